// The float32 kernels behind MatMul and Softmax (cpp/core/kernels) against
// naive double-precision references: every tile and tail of the GEMM, both
// transposes, the narrow-output path, batch broadcast through ops::MatMul,
// and the softmax's exp, NaN/inf and masking behaviour.
#include "core/kernels/kernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/ops/ops.h"

namespace ap {
namespace {

std::vector<float> RandomVector(int64_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(gen);
  return v;
}

// c = op(a) · op(b) in double; a stored (m x k) or (k x m) when trans_a.
std::vector<double> NaiveGemm(int64_t m, int64_t n, int64_t k,
                              const std::vector<float>& a, bool trans_a,
                              const std::vector<float>& b, bool trans_b) {
  std::vector<double> c(m * n, 0.0);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double acc = 0;
      for (int64_t p = 0; p < k; ++p) {
        const double av = trans_a ? a[p * m + i] : a[i * k + p];
        const double bv = trans_b ? b[j * k + p] : b[p * n + j];
        acc += av * bv;
      }
      c[i * n + j] = acc;
    }
  }
  return c;
}

// Float sums of k products of values in [-1, 1]: error well below k * 1e-6.
void ExpectGemmClose(int64_t m, int64_t n, int64_t k, bool ta, bool tb) {
  const auto a = RandomVector(m * k, 1 + m * 7 + k);
  const auto b = RandomVector(k * n, 2 + n * 5 + k);
  std::vector<float> c(m * n, -7.0f);  // garbage the kernel must overwrite
  kernels::Sgemm(m, n, k, a.data(), ta, b.data(), tb, c.data());
  const auto ref = NaiveGemm(m, n, k, a, ta, b, tb);
  const double tol = 1e-6 * static_cast<double>(k) + 1e-6;
  for (int64_t i = 0; i < m * n; ++i) {
    ASSERT_NEAR(c[i], ref[i], tol)
        << "m=" << m << " n=" << n << " k=" << k << " ta=" << ta << " tb=" << tb
        << " at " << i;
  }
}

// Odd sizes hit every row tail (m % 4), column tail (n % 8), the narrow
// (n < 8) dot path with its k tail (k % 4), and both transposes.
TEST(KernelsGemmTest, MatchesNaiveOnOddSizesAndTransposes) {
  const int64_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 33};
  for (int64_t m : sizes) {
    for (int64_t n : sizes) {
      for (int64_t k :
           {int64_t{1}, int64_t{2}, int64_t{5}, int64_t{17}, int64_t{33}}) {
        for (int t = 0; t < 4; ++t) ExpectGemmClose(m, n, k, t & 1, t & 2);
      }
    }
  }
}

// Blocking: k beyond one k-block (256; 2048 on the dot path) and n beyond
// one column block (1024) accumulate across blocks.
TEST(KernelsGemmTest, MatchesNaiveAcrossBlocks) {
  ExpectGemmClose(9, 1030, 300, false, false);
  ExpectGemmClose(6, 20, 700, true, true);
  ExpectGemmClose(5, 3, 4100, false, false);
  ExpectGemmClose(5, 2, 4100, true, true);
  ExpectGemmClose(32, 2, 1200, false, false);  // weights · value, dim 2
  ExpectGemmClose(32, 1200, 2, false, false);  // scores, dim 2
  ExpectGemmClose(33, 129, 64, false, true);   // q · kᵀ with transpose_b
}

// k == 0 gives zeros; empty m or n writes nothing.
TEST(KernelsGemmTest, EmptyInnerDimensionGivesZeros) {
  std::vector<float> c(6, 5.0f);
  kernels::Sgemm(2, 3, 0, nullptr, false, nullptr, false, c.data());
  EXPECT_EQ(c, std::vector<float>(6, 0.0f));
  kernels::Sgemm(0, 3, 4, nullptr, false, nullptr, false, nullptr);
}

// Through ops::MatMul: broadcast batch dims pick the right operand blocks.
TEST(KernelsGemmTest, BatchBroadcastThroughMatMul) {
  const int64_t m = 5, k = 9, n = 11;
  const auto av = RandomVector(2 * m * k, 11);  // a: (2, 1, m, k)
  const auto bv = RandomVector(3 * k * n, 12);  // b: (3, k, n)
  Tensor a = Tensor::Zeros(DType::kFloat32, {2, 1, m, k});
  Tensor b = Tensor::Zeros(DType::kFloat32, {3, k, n});
  std::copy(av.begin(), av.end(), a.f32());
  std::copy(bv.begin(), bv.end(), b.f32());
  const Tensor c = ops::MatMul(a, b);
  ASSERT_EQ(c.shape(), (Shape{2, 3, m, n}));
  for (int64_t i = 0; i < 2; ++i) {
    for (int64_t j = 0; j < 3; ++j) {
      const std::vector<float> ai(av.begin() + i * m * k,
                                  av.begin() + (i + 1) * m * k);
      const std::vector<float> bj(bv.begin() + j * k * n,
                                  bv.begin() + (j + 1) * k * n);
      const auto ref = NaiveGemm(m, n, k, ai, false, bj, false);
      const float* got = c.f32() + (i * 3 + j) * m * n;
      for (int64_t e = 0; e < m * n; ++e) ASSERT_NEAR(got[e], ref[e], 1e-5);
    }
  }
}

// The polynomial exp is within 2.4 ulp (relative 3e-7) of exp on [-87, 0].
TEST(KernelsSoftmaxTest, ExpMatchesStdExp) {
  for (float x = -87.0f; x <= 0.0f; x += 0.01173f) {
    const double ref = std::exp(static_cast<double>(x));
    ASSERT_NEAR(kernels::ExpNonPositive(x), ref, 3e-7 * ref) << x;
  }
  EXPECT_EQ(kernels::ExpNonPositive(0.0f), 1.0f);
  EXPECT_EQ(kernels::ExpNonPositive(-200.0f), 0.0f);
  EXPECT_EQ(kernels::ExpNonPositive(-std::numeric_limits<float>::infinity()),
            0.0f);
  EXPECT_TRUE(std::isnan(
      kernels::ExpNonPositive(std::numeric_limits<float>::quiet_NaN())));
}

// Rows of every length up to 40 (vector body and scalar tail) against a
// double-precision softmax, within 1e-6 relative.
TEST(KernelsSoftmaxTest, RowsMatchNaive) {
  for (int64_t len = 1; len <= 40; ++len) {
    const int64_t rows = 3;
    auto x = RandomVector(rows * len, 100 + len);
    for (float& v : x) v *= 20.0f;  // spread: large exponent differences
    std::vector<float> out(rows * len);
    kernels::SoftmaxRows(x.data(), out.data(), rows, len);
    for (int64_t r = 0; r < rows; ++r) {
      // The max and x - max in float, as the kernel (and TF) rounds them;
      // exp and the sum in double.
      float mx = -std::numeric_limits<float>::infinity();
      for (int64_t i = 0; i < len; ++i) mx = std::max(mx, x[r * len + i]);
      double sum = 0;
      for (int64_t i = 0; i < len; ++i)
        sum += std::exp(double(x[r * len + i] - mx));
      for (int64_t i = 0; i < len; ++i) {
        const double ref = std::exp(double(x[r * len + i] - mx)) / sum;
        ASSERT_NEAR(out[r * len + i], ref, 1e-6 * ref + 1e-30)
            << "len=" << len << " r=" << r << " i=" << i;
      }
    }
  }
}

// Keras's padding bias (-1e9) gives exact zeros; -inf gives zeros; a NaN
// makes its row NaN (as TF's kernel does) without touching other rows;
// in-place use works.
TEST(KernelsSoftmaxTest, MaskedNanAndInPlace) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> x = {1, 2, 3, 4, 5, 6,   7, 8, 9 - 1e9f, 0, 0, -inf, 0, 0,
                          0, 0, 0, 0, 1, nan, 1, 1, 1,        1, 1, 1,    1};
  kernels::SoftmaxRows(x.data(), x.data(), 3, 9);
  EXPECT_EQ(x[8], 0.0f);
  EXPECT_NEAR(
      x[7],
      std::exp(0.0) /
          [] {
            double s = 0;
            for (int i = 1; i <= 8; ++i) s += std::exp(i - 8.0);
            return s;
          }(),
      1e-7);
  EXPECT_EQ(x[9 + 2], 0.0f);
  EXPECT_FLOAT_EQ(x[9], 1.0f / 8);
  for (int i = 18; i < 27; ++i) EXPECT_TRUE(std::isnan(x[i])) << i;
}

// A non-last axis takes the strided path with the same exp: same values as
// the last axis of the transposed tensor.
TEST(KernelsSoftmaxTest, NonLastAxisAgreesWithLastAxis) {
  const auto v = RandomVector(4 * 13, 7);
  Tensor x = Tensor::Zeros(DType::kFloat32, {4, 13});
  std::copy(v.begin(), v.end(), x.f32());
  const Tensor by_axis0 = ops::Softmax(x, 0);
  const Tensor xt = ops::Transpose(x, std::nullopt);
  const Tensor by_last = ops::Transpose(ops::Softmax(xt, -1), std::nullopt);
  for (int64_t i = 0; i < 4 * 13; ++i) {
    EXPECT_NEAR(by_axis0.f32()[i], by_last.f32()[i], 1e-7) << i;
  }
}

// Where Sgemm sums in plain k order (one k block, n >= 8 or k < 16), its
// small-product path (Eigen rank-1 updates) and its panels give exactly the
// floats of a sequential loop from zero, so the size threshold between them
// never changes a printed digit.
TEST(KernelsGemmTest, SmallAndPanelPathsSumInKOrder) {
  const int64_t shapes[][3] = {{1, 1, 1},    {2, 3, 4},    {3, 8, 15},
                               {5, 9, 16},   {4, 16, 64},  {7, 33, 17},
                               {16, 16, 16}, {17, 20, 40}, {40, 64, 200}};
  for (const auto& s : shapes) {
    const int64_t m = s[0], n = s[1], k = s[2];
    for (int ta = 0; ta < 2; ++ta) {
      for (int tb = 0; tb < 2; ++tb) {
        auto a = RandomVector(m * k, 21 + m), b = RandomVector(k * n, 22 + n);
        a[0] = -0.0f;
        std::vector<float> c(m * n);
        kernels::Sgemm(m, n, k, a.data(), ta, b.data(), tb, c.data());
        for (int64_t i = 0; i < m; ++i) {
          for (int64_t j = 0; j < n; ++j) {
            float acc = 0.0f;
            for (int64_t p = 0; p < k; ++p) {
              acc += (ta ? a[p * m + i] : a[i * k + p]) *
                     (tb ? b[j * k + p] : b[p * n + j]);
            }
            const float got = c[i * n + j];
            ASSERT_EQ(std::memcmp(&acc, &got, sizeof acc), 0)
                << m << "x" << n << "x" << k << " " << ta << tb << " (" << i
                << ", " << j << "): " << got << " != " << acc;
          }
        }
      }
    }
  }
}

// The Eigen formulations the benchmark measures the hand-written kernels
// against compute the same products and softmax (to rounding).
TEST(KernelsEigenTest, EigenFormulationsAgree) {
  for (int ta = 0; ta < 2; ++ta) {
    for (int tb = 0; tb < 2; ++tb) {
      const int64_t m = 13, n = 21, k = 37;
      const auto a = RandomVector(m * k, 11), b = RandomVector(k * n, 12);
      std::vector<float> c(m * n), e(m * n);
      kernels::Sgemm(m, n, k, a.data(), ta, b.data(), tb, c.data());
      kernels::SgemmEigen(m, n, k, a.data(), ta, b.data(), tb, e.data());
      for (int64_t i = 0; i < m * n; ++i) ASSERT_NEAR(c[i], e[i], 1e-5) << i;
    }
  }
  const auto x = RandomVector(5 * 33, 13);
  std::vector<float> s(x.size()), e(x.size());
  kernels::SoftmaxRows(x.data(), s.data(), 5, 33);
  kernels::SoftmaxRowsEigen(x.data(), e.data(), 5, 33);
  for (size_t i = 0; i < x.size(); ++i) ASSERT_NEAR(s[i], e[i], 1e-6) << i;
}

}  // namespace
}  // namespace ap

namespace ap {
namespace {

// The fused attention kernel gives exactly the three separate steps' floats
// (every path: panels and dots for the output, both key layouts, blocks of
// k and of query rows, operands read in place at few query rows, and the
// small shapes that fall back).
TEST(KernelsAttentionTest, FusedEqualsSeparateStepsBitForBit) {
  const int64_t shapes[][4] = {
      {32, 1200, 2, 2},    {7, 1200, 2, 2},   {5, 33, 3, 1},    {9, 40, 64, 64},
      {13, 17, 5, 9},      {4, 8, 300, 12},   {6, 1100, 20, 7}, {3, 5, 4, 4},
      {10, 2100, 2, 2},    {2, 16, 16, 3},    {17, 300, 1, 8},  {1, 9, 2, 2},
      {32, 600, 128, 128}, {64, 520, 16, 24}, {65, 64, 8, 16},  {12, 64, 4, 3},
      {70, 40, 1, 2},      {9, 17, 3, 5}};
  for (const auto& sh : shapes) {
    const int64_t tq = sh[0], tv = sh[1], d = sh[2], dv = sh[3];
    for (bool trans_k : {false, true}) {
      const auto q = RandomVector(tq * d, 11 + tq);
      const auto k = RandomVector(tv * d, 12 + tv);
      const auto v = RandomVector(tv * dv, 13 + dv);
      std::vector<float> s1(tq * tv), w1(tq * tv), o1(tq * dv);
      kernels::Sgemm(tq, tv, d, q.data(), false, k.data(), trans_k, s1.data());
      kernels::SoftmaxRows(s1.data(), w1.data(), tq, tv);
      kernels::Sgemm(tq, dv, tv, w1.data(), false, v.data(), false, o1.data());
      std::vector<float> s2(tq * tv, -3.0f), w2(tq * tv, -3.0f),
          o2(tq * dv, -3.0f);
      kernels::AttentionForward(tq, tv, d, dv, q.data(), k.data(), trans_k,
                                v.data(), s2.data(), w2.data(), o2.data());
      const std::string at =
          "tq=" + std::to_string(tq) + " tv=" + std::to_string(tv) +
          " d=" + std::to_string(d) + " dv=" + std::to_string(dv) +
          " trans_k=" + std::to_string(trans_k);
      ASSERT_EQ(0, std::memcmp(s1.data(), s2.data(), s1.size() * 4)) << at;
      ASSERT_EQ(0, std::memcmp(w1.data(), w2.data(), w1.size() * 4)) << at;
      ASSERT_EQ(0, std::memcmp(o1.data(), o2.data(), o1.size() * 4)) << at;
    }
  }
}

// ops::DotAttention: the same tensors and budget use as MatMul, Softmax,
// MatMul, fused (batched, rank 4) or not (broadcast batch falls back).
TEST(KernelsAttentionTest, DotAttentionOpMatchesOps) {
  auto tensor = [](Shape shape, uint32_t seed) {
    Tensor t = Tensor::Zeros(DType::kFloat32, shape);
    const auto r = RandomVector(t.num_elements(), seed);
    std::copy(r.begin(), r.end(), t.f32());
    return t;
  };
  struct Case {
    Shape q, k, v;
    bool transpose_k;
  };
  const Case cases[] = {{{2, 3, 20, 8}, {2, 3, 30, 8}, {2, 3, 30, 16}, true},
                        {{1, 20, 2}, {1, 2, 50}, {1, 50, 2}, false},
                        {{1, 20, 2}, {3, 50, 2}, {3, 50, 2}, true}};
  for (const Case& c : cases) {
    const Tensor q = tensor(c.q, 1), k = tensor(c.k, 2), v = tensor(c.v, 3);
    auto b1 = std::make_shared<MemoryBudget>();
    Tensor s, w, o;
    {
      BudgetScope scope(b1);
      s = ops::MatMul(q, k, false, c.transpose_k);
      w = ops::Softmax(s, -1);
      o = ops::MatMul(w, v);
    }
    auto b2 = std::make_shared<MemoryBudget>();
    ops::AttentionTensors r;
    {
      BudgetScope scope(b2);
      r = ops::DotAttention(q, k, v, c.transpose_k);
    }
    EXPECT_EQ(b1->compute(), b2->compute());
    EXPECT_EQ(b1->peak_bytes(), b2->peak_bytes());
    for (const auto& [x, y] :
         {std::pair{&s, &r.scores}, {&w, &r.weights}, {&o, &r.output}}) {
      ASSERT_EQ(x->shape(), y->shape());
      ASSERT_EQ(0, std::memcmp(x->f32(), y->f32(), x->num_elements() * 4));
    }
  }
  // A shape error is MatMul's, raised before anything is computed.
  const Tensor q = tensor({1, 4, 3}, 1), k = tensor({1, 5, 2}, 2);
  EXPECT_THROW(ops::DotAttention(q, k, k, true), ErrorException);
}

}  // namespace
}  // namespace ap

namespace ap {
namespace {

// Tensor::ComputeValueStats is the GetAsDouble loop result_json runs, value
// for value (NaN skipped by min/max, propagated by the sum), every dtype.
TEST(TensorStatsTest, ComputeValueStatsEqualsGetAsDoubleLoop) {
  auto loop = [](const Tensor& t) {
    Tensor::ValueStats st{std::numeric_limits<double>::infinity(),
                          -std::numeric_limits<double>::infinity(), 0};
    for (int64_t i = 0; i < t.num_elements(); ++i) {
      const double v = t.GetAsDouble(i);
      st.lo = std::min(st.lo, v);
      st.hi = std::max(st.hi, v);
      st.sum += v;
    }
    return st;
  };
  Tensor f = Tensor::Zeros(DType::kFloat32, {3, 101});
  const auto r = RandomVector(f.num_elements(), 5);
  std::copy(r.begin(), r.end(), f.f32());
  Tensor fn = Tensor::Zeros(DType::kFloat32, {4});
  fn.f32()[0] = std::numeric_limits<float>::quiet_NaN();
  fn.f32()[1] = -2.0f;
  fn.f32()[2] = 7.0f;
  Tensor i = Tensor::Zeros(DType::kInt32, {5});
  for (int k = 0; k < 5; ++k) i.i32()[k] = (k - 2) * 1000003;
  Tensor b = Tensor::Zeros(DType::kBool, {3});
  b.b8()[1] = 1;
  for (const Tensor* t : {&f, &fn, &i, &b}) {
    const auto want = loop(*t), got = t->ComputeValueStats();
    EXPECT_EQ(0, std::memcmp(&want.lo, &got.lo, sizeof(double)));
    EXPECT_EQ(0, std::memcmp(&want.hi, &got.hi, sizeof(double)));
    if (std::isnan(want.sum)) {
      EXPECT_TRUE(std::isnan(got.sum));
    } else {
      EXPECT_EQ(0, std::memcmp(&want.sum, &got.sum, sizeof(double)));
    }
  }
  EXPECT_EQ(Tensor::Zeros(DType::kFloat32, {0}).ComputeValueStats().sum, 0.0);
}

}  // namespace
}  // namespace ap
