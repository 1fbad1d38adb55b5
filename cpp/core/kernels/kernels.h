// Float32 compute kernels behind the ops (MatMul, Softmax). Plain loops over
// row-major buffers: no shapes, no dtypes, no errors; the ops validate and
// allocate, then call these. The rest of the ops compute through Eigen
// (eigen_view.h); these stay hand-written, vectorised with 4-lane SIMD (WASM
// SIMD128 in the browser), because in the browser they are faster than their
// Eigen formulations (figures in gemm.cc and softmax.cc). Identical
// arithmetic natively and in WASM.
#pragma once

#include <cstdint>

namespace ap::kernels {

// c (m x n, row-major) = op(a) · op(b) with k the inner dimension.
// a is stored row-major as (m x k), or (k x m) when trans_a; b as (k x n),
// or (n x k) when trans_b. Sums run over k in increasing order per output
// element except on the small-n path (n < 8), which sums 4 interleaved
// partial sums. k == 0 writes zeros.
void Sgemm(int64_t m, int64_t n, int64_t k, const float* a, bool trans_a,
           const float* b, bool trans_b, float* c);

// Attention forward for one (tq x d) query q, key k and (tv x dv) value v:
// scores = q · op(k) with op(k) (d x tv), k stored (tv x d) when trans_k or
// (d x tv) otherwise (Sgemm's b and trans_b), weights = SoftmaxRows(scores),
// out = weights · v. All three are written (row-major). Block by block of
// query rows, so a block's scores and weights are still in cache for the
// softmax and the second product; every element gets exactly the sums
// Sgemm and SoftmaxRows would give it.
void AttentionForward(int64_t tq, int64_t tv, int64_t d, int64_t dv,
                      const float* q, const float* k, bool trans_k,
                      const float* v, float* scores, float* weights,
                      float* out);

// exp(x) for x <= 0 (or NaN), within 2.4 ulp: a degree-5 polynomial after
// range reduction. Inputs below log(FLT_MIN) give 0, -inf
// gives 0, NaN stays NaN. The scalar form of what SoftmaxRows uses.
float ExpNonPositive(float x);

// out[r, :] = softmax(in[r, :]) for `rows` contiguous rows of `len` floats:
// subtract the row max (NaN inputs are skipped by the max, then propagate
// through exp), exponentiate, divide by the sum. in == out is allowed.
void SoftmaxRows(const float* in, float* out, int64_t rows, int64_t len);

// SoftmaxRows without its last step: out[r, :] = exp(in[r, :] - max) and
// inv_sums[r] = 1 / sum; out[r, i] * inv_sums[r] is SoftmaxRows' value, so a
// caller can scale while it reads the row anyway (AttentionForward).
// row_max, if not null, holds each row's max (NaNs skipped) already.
void SoftmaxRowsUnscaled(const float* in, float* out, int64_t rows, int64_t len,
                         float* inv_sums, const float* row_max = nullptr);

// Sgemm for small products with k <= 256 that Sgemm would compute with its
// panels (n >= 8 or k < 16): Eigen rank-1 updates, every output element
// summed from zero in increasing k, bit for bit Sgemm's floats there,
// without packing. Sgemm calls it for such shapes.
void SgemmSmall(int64_t m, int64_t n, int64_t k, const float* a, bool trans_a,
                const float* b, bool trans_b, float* c);

// Sgemm and SoftmaxRows written as Eigen expressions (Eigen's GEMM; its
// exp, max and sum): the formulation the hand-written kernels are measured
// against (figures in gemm.cc and softmax.cc). Same contracts, but not the
// same rounding: Eigen sums in its own order, and its vectorised exp exists
// natively only.
void SgemmEigen(int64_t m, int64_t n, int64_t k, const float* a, bool trans_a,
                const float* b, bool trans_b, float* c);
void SoftmaxRowsEigen(const float* in, float* out, int64_t rows, int64_t len);

// Benchmark builds only: -DAP_EIGEN_GEMM / -DAP_EIGEN_SOFTMAX (e.g. a WASM
// build configured with -DCMAKE_CXX_FLAGS=-DAP_EIGEN_GEMM, its bench module
// compared with tests/bench/ab-chromium.mjs) make Sgemm / SoftmaxRows call
// the Eigen formulations, and AttentionForward the three separate steps (its
// fusion is part of the hand-written kernels).
#ifdef AP_EIGEN_GEMM
constexpr bool kEigenGemm = true;
#else
constexpr bool kEigenGemm = false;
#endif
#ifdef AP_EIGEN_SOFTMAX
constexpr bool kEigenSoftmax = true;
#else
constexpr bool kEigenSoftmax = false;
#endif

}  // namespace ap::kernels
