// Softmax rows and the exp they use. See kernels.h.
//
// Hand-written rather than Eigen's (x - max).exp() / sum because it is faster
// in the browser. With SoftmaxRowsEigen in its place (and so without the
// fused AttentionForward), the attention benchmark
// (tests/bench/ab-chromium.mjs, Chromium 156, 2026-12-07, medians of 7
// rounds) took 2.5x the time at 32x1200x2 (0.048 -> 0.120 ms), 1.6x at
// 32x1200x128, 4.4x at 1200x1200x2 (1.30 -> 5.78 ms), 1.4x at 1200x1200x64,
// 1.3x at 512x512x64 and 1.8x at 8 heads x 512x512x64 (Node 20, by CPU time:
// 1.4-6.5x). Eigen 3.4 has no WASM SIMD backend, so its exp is a call to the
// C library's expf per element there.
#include <cstring>

#include "kernels.h"
#include "simd.h"

namespace ap::kernels {

namespace {

using simd::F4;
using simd::I4;

// exp(x) = 2^n * exp(r): n = round(x / ln 2) by the magic-bias trick, r = x
// - n ln 2 in two parts (|r| <= ln2/2), exp(r) = 1 + r p(r) with p a
// degree-4 minimax fit (the "rr2-p5" scheme of XNNPACK's softmax), and 2^n
// built in the exponent bits. 22 vector operations where a degree-6 Cephes
// polynomial took 25: 11% faster softmax-bound attention (1200x1200x2), at
// most 2.36 ulp from exp over every float in [log(FLT_MIN), 0] (Cephes: 1.0).
constexpr float kLog2e = 0x1.715476p+0f;
constexpr float kLn2Hi = 0x1.62E400p-1f;   // ln 2 with its low bits clear,
constexpr float kLn2Lo = 0x1.7F7D1Cp-20f;  // so n * kLn2Hi is exact
constexpr float kMinArg = -87.3365447f;    // log(FLT_MIN): below it, 0
// 1.5 * 2^23 + 127: adding it rounds to an integer n held in the low
// mantissa bits as n + 127, so (bits << 23) is the float 2^n.
constexpr float kRoundBias = 0x1.8000FEp23f;
constexpr float kC1 = 0x1.FFFFF6p-1f, kC2 = 0x1.FFFDC6p-2f,
                kC3 = 0x1.555A80p-3f, kC4 = 0x1.573A1Ap-5f,
                kC5 = 0x1.0F9F9Cp-7f;

// The exp's constants as vectors, read from memory once per row. Written as
// literals, LLVM re-emitted all eleven as v128.const in every iteration of
// the loop, which V8 builds with several instructions each: loaded once,
// attention ran 8% (1200x1200x2) to 15% (1200x1200x64) faster in Chromium.
struct ExpConsts {
  F4 min_arg, log2e, bias, neg_bias, ln2_hi, ln2_lo, c1, c2, c3, c4, c5;
};
// Volatile: the compiler must load it (once per row) rather than fold the
// literals back into the loop.
volatile float g_exp_consts[11] = {kMinArg, kLog2e, kRoundBias, -kRoundBias,
                                   kLn2Hi,  kLn2Lo, kC1,        kC2,
                                   kC3,     kC4,    kC5};

inline ExpConsts LoadExpConsts() {
  const volatile float* c = g_exp_consts;
  return {simd::Splat(c[0]), simd::Splat(c[1]), simd::Splat(c[2]),
          simd::Splat(c[3]), simd::Splat(c[4]), simd::Splat(c[5]),
          simd::Splat(c[6]), simd::Splat(c[7]), simd::Splat(c[8]),
          simd::Splat(c[9]), simd::Splat(c[10])};
}

inline F4 ExpNonPositive4(F4 x, const ExpConsts& k) {
  // Lanes below log(FLT_MIN) (-inf too; NaN is not) compute garbage (no
  // clamp needed: float SIMD never traps) and are zeroed at the end.
  const I4 under = x < k.min_arg;
  F4 n = x * k.log2e + k.bias;
  const F4 s = simd::FromBits(simd::Bits(n) << 23);
  n = n + k.neg_bias;
  F4 r = x - n * k.ln2_hi;
  r = r - n * k.ln2_lo;
  // Estrin's form: short independent chains, so the four exps in flight
  // overlap (Horner's one long chain measured 25% slower in Chromium).
  const F4 z = r * r;
  const F4 a = r * k.c2 + k.c1, b = r * k.c4 + k.c3;
  const F4 p = (z * k.c5 + b) * z + a;
  r = r * s;
  return simd::FromBits(~under & simd::Bits(r * p + s));
}

}  // namespace

float ExpNonPositive(float x) {
  if (x < kMinArg) return 0.0f;
  float n = x * kLog2e + kRoundBias;
  int32_t bits;
  std::memcpy(&bits, &n, sizeof bits);
  bits = static_cast<int32_t>(static_cast<uint32_t>(bits) << 23);
  float s;
  std::memcpy(&s, &bits, sizeof s);
  n = n - kRoundBias;
  float r = x - n * kLn2Hi;
  r = r - n * kLn2Lo;
  const float z = r * r;
  const float a = r * kC2 + kC1, b = r * kC4 + kC3;
  const float p = (z * kC5 + b) * z + a;
  r = r * s;
  return r * p + s;
}

void SoftmaxRowsUnscaled(const float* in, float* out, int64_t rows,
                         int64_t len64, float* inv_sums, const float* row_max) {
  // 32-bit indices inside a row (a row has at most 64 Mi elements): in WASM
  // an int64_t index costs an i32.wrap per access.
  const int len = static_cast<int>(len64);
  const int vec_end = len - len % 8;
  for (int64_t row = 0; row < rows; ++row) {
    const float* x = in + row * len;
    float* o = out + row * len;
    // Row max (unless given); a NaN never wins a comparison, so it is skipped.
    float mx = -__builtin_huge_valf();
    if (row_max) {
      mx = row_max[row];
    } else {
      if (vec_end > 0) {
        F4 m0 = simd::Load(x), m1 = simd::Load(x + 4);
        for (int i = 8; i < vec_end; i += 8) {
          const F4 a = simd::Load(x + i), b = simd::Load(x + i + 4);
          m0 = simd::MaxIfGreater(m0, a);
          m1 = simd::MaxIfGreater(m1, b);
        }
        mx = simd::MaxLanes(m0, m1);
      }
      for (int i = vec_end; i < len; ++i) mx = x[i] > mx ? x[i] : mx;
    }

    // exp(x - max) and their sum: 16 floats per step (four independent
    // polynomials in flight), then 4, then one at a time; the partial sums
    // are added in a fixed order and finished in double.
    F4 s0 = simd::Splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
    const ExpConsts kc = LoadExpConsts();
    const F4 vmx = simd::Splat(mx);
    int i = 0;
    for (; i + 16 <= len; i += 16) {
      const F4 e0 = ExpNonPositive4(simd::Load(x + i) - vmx, kc);
      const F4 e1 = ExpNonPositive4(simd::Load(x + i + 4) - vmx, kc);
      const F4 e2 = ExpNonPositive4(simd::Load(x + i + 8) - vmx, kc);
      const F4 e3 = ExpNonPositive4(simd::Load(x + i + 12) - vmx, kc);
      simd::Store(o + i, e0);
      simd::Store(o + i + 4, e1);
      simd::Store(o + i + 8, e2);
      simd::Store(o + i + 12, e3);
      s0 += e0;
      s1 += e1;
      s2 += e2;
      s3 += e3;
    }
    for (; i + 4 <= len; i += 4) {
      const F4 e0 = ExpNonPositive4(simd::Load(x + i) - vmx, kc);
      simd::Store(o + i, e0);
      s0 += e0;
    }
    double sum = static_cast<double>(simd::SumLanes((s0 + s1) + (s2 + s3)));
    for (; i < len; ++i) {
      const float e = ExpNonPositive(x[i] - mx);
      o[i] = e;
      sum += e;
    }
    inv_sums[row] = static_cast<float>(1.0 / sum);
  }
}

void SoftmaxRows(const float* in, float* out, int64_t rows, int64_t len64) {
  if (kEigenSoftmax) return SoftmaxRowsEigen(in, out, rows, len64);
  const int len = static_cast<int>(len64);
  const int vec_end = len - len % 8;
  float inv_sum;
  for (int64_t row = 0; row < rows; ++row) {
    float* o = out + row * len;
    SoftmaxRowsUnscaled(in + row * len, o, 1, len, &inv_sum);
    const F4 vinv = simd::Splat(inv_sum);
    for (int i = 0; i < vec_end; i += 8) {
      simd::Store(o + i, simd::Load(o + i) * vinv);
      simd::Store(o + i + 4, simd::Load(o + i + 4) * vinv);
    }
    for (int i = vec_end; i < len; ++i) o[i] *= inv_sum;
  }
}

}  // namespace ap::kernels
