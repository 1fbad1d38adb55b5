// The attention forward pass through this project's core, exactly as
// layers.Attention (Keras 3, score_mode="dot") computes it:
//   scores  = MatMul(query, Transpose(key))   (batch..., Tq, Tv)
//   weights = Softmax(scores)                 over Tv
//   output  = MatMul(weights, value)          (batch..., Tq, dim)
// through ops::DotAttention as keras/attention.cc calls it (the three ops
// fused per block of query rows; scores and weights are still materialised,
// the layer records them).
// Built twice from this one file: to WASM (cpp/wasm/CMakeLists.txt target
// attention_bench, C exports driven by tests/bench/kernel-suite.mjs) and
// natively with -O3 -march=native (tests/bench/native, main() below).
#include <cstdint>
#include <memory>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#include "core/ops/ops.h"
#include "core/tensor.h"

namespace {

struct Bench {
  ap::Tensor query, key, value, output;
};
Bench* bench = nullptr;

ap::Shape ShapeOf(int heads, int rows, int dim) {
  if (heads > 1) return {1, heads, rows, dim};
  return {1, rows, dim};
}

}  // namespace

extern "C" {

// Allocates (1, [heads,] Tq, d) query and (1, [heads,] Tv, d) key and value.
void bench_prepare(int tq, int tv, int d, int heads) {
  delete bench;
  bench = new Bench;
  bench->query = ap::Tensor::Zeros(ap::DType::kFloat32, ShapeOf(heads, tq, d));
  bench->key = ap::Tensor::Zeros(ap::DType::kFloat32, ShapeOf(heads, tv, d));
  bench->value = ap::Tensor::Zeros(ap::DType::kFloat32, ShapeOf(heads, tv, d));
}

// 0: query, 1: key, 2: value, 3: the last output (float32, row-major).
float* bench_buffer(int which) {
  switch (which) {
    case 0:
      return bench->query.f32();
    case 1:
      return bench->key.f32();
    case 2:
      return bench->value.f32();
    default:
      return bench->output.valid() ? bench->output.f32() : nullptr;
  }
}

void bench_run() {
  // A fresh budget per call, as every playground run gets one (the default
  // budget would accumulate the compute of every call).
  ap::BudgetScope scope(std::make_shared<ap::MemoryBudget>());
  const ap::Tensor& k = bench->key;
  std::vector<int64_t> perm;
  for (int i = 0; i < k.rank(); ++i) perm.push_back(i);
  std::swap(perm[k.rank() - 1], perm[k.rank() - 2]);
  // keras/attention.cc (Keras 3 profile, no mask, no scale): the three ops
  // through ops::DotAttention, fused.
  bench->output =
      ap::ops::DotAttention(bench->query, ap::ops::Transpose(k, perm),
                            bench->value, /*transpose_k=*/false)
          .output;
}

#ifdef __EMSCRIPTEN__
// Development aid (tests/bench/quick.mjs --phases): ms spent in each step of
// `calls` runs of bench_run -- Transpose, the scores MatMul, Softmax, the
// output MatMul -- in the returned array of 4.
EMSCRIPTEN_KEEPALIVE double* bench_phases(int calls) {
  static double out[4];
  for (int i = 0; i < 4; ++i) out[i] = 0;
  for (int c = 0; c < calls; ++c) {
    ap::BudgetScope scope(std::make_shared<ap::MemoryBudget>());
    const ap::Tensor& k = bench->key;
    std::vector<int64_t> perm;
    for (int i = 0; i < k.rank(); ++i) perm.push_back(i);
    std::swap(perm[k.rank() - 1], perm[k.rank() - 2]);
    const double t0 = emscripten_get_now();
    const ap::Tensor kt = ap::ops::Transpose(k, perm);
    const double t1 = emscripten_get_now();
    const ap::Tensor scores = ap::ops::MatMul(bench->query, kt);
    const double t2 = emscripten_get_now();
    const ap::Tensor weights = ap::ops::Softmax(scores, -1);
    const double t3 = emscripten_get_now();
    bench->output = ap::ops::MatMul(weights, bench->value);
    const double t4 = emscripten_get_now();
    out[0] += t1 - t0;
    out[1] += t2 - t1;
    out[2] += t3 - t2;
    out[3] += t4 - t3;
  }
  for (int i = 0; i < 4; ++i) out[i] /= calls;
  return out;
}
#endif

}  // extern "C"

#ifndef __EMSCRIPTEN__
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

// attention-bench-native TQ TV D HEADS CALLS: fills the inputs with the same
// values as kernel-suite.mjs, runs 2 warm-up calls, then prints the mean ms
// of CALLS calls and the output checksum.
int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s TQ TV D HEADS CALLS\n", argv[0]);
    return 2;
  }
  const int tq = std::atoi(argv[1]), tv = std::atoi(argv[2]),
            d = std::atoi(argv[3]), heads = std::atoi(argv[4]),
            calls = std::atoi(argv[5]);
#ifdef M_MMAP_THRESHOLD
  // Reuse freed memory like the WASM heap does, instead of fresh mmap'd
  // (page-faulting) pages for every large tensor: compare compute, not the OS.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
  bench_prepare(tq, tv, d, heads);
  const int64_t sizes[3] = {int64_t{heads} * tq * d, int64_t{heads} * tv * d,
                            int64_t{heads} * tv * d};
  for (int which = 0; which < 3; ++which) {
    float* p = bench_buffer(which);
    // Same generator as kernel-suite.mjs fill(): sin-based, in [-1, 1].
    for (int64_t i = 0; i < sizes[which]; ++i) {
      p[i] = static_cast<float>(std::sin(i * 0.37 + which * 1.3));
    }
  }
  bench_run();
  bench_run();
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < calls; ++i) bench_run();
  const auto t1 = std::chrono::steady_clock::now();
  const double ms =
      std::chrono::duration<double, std::milli>(t1 - t0).count() / calls;
  double sum = 0;
  const int64_t out_n = int64_t{heads} * tq * d;
  for (int64_t i = 0; i < out_n; ++i) sum += bench_buffer(3)[i];
  std::printf("{\"ms\": %.6f, \"checksum\": %.9g}\n", ms, sum);
  return 0;
}
#endif
