#include <gtest/gtest.h>

#include <chrono>

#include "ops_test_util.h"

namespace ap {
namespace {

using namespace ap::testing;  // NOLINT

// Rank-2 product values, hand-computed.
TEST(OpsMatMulTest, Rank2Values) {
  Tensor a = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = F32({3, 2}, {7, 8, 9, 10, 11, 12});
  Tensor c = ops::MatMul(a, b);
  EXPECT_EQ(c.shape(), (Shape{2, 2}));
  EXPECT_EQ(Values(c), (std::vector<double>{58, 64, 139, 154}));
}

// transpose_a / transpose_b use the stored operands transposed.
TEST(OpsMatMulTest, Transposes) {
  Tensor a = F32({3, 2}, {1, 4, 2, 5, 3, 6});  // a^T = [[1,2,3],[4,5,6]]
  Tensor b =
      F32({2, 3}, {7, 9, 11, 8, 10, 12});  // b^T = [[7,8],[9,10],[11,12]]
  EXPECT_EQ(Values(ops::MatMul(a, b, true, true)),
            (std::vector<double>{58, 64, 139, 154}));
  Tensor a2 = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(Values(ops::MatMul(a2, b, false, true)),
            (std::vector<double>{58, 64, 139, 154}));
  EXPECT_EQ(Values(ops::MatMul(a, F32({3, 2}, {7, 8, 9, 10, 11, 12}), true)),
            (std::vector<double>{58, 64, 139, 154}));
}

// Batch dims broadcast: [2,1,2,2] x [3,2,2] -> [2,3,2,2].
TEST(OpsMatMulTest, BatchBroadcast) {
  Tensor a = F32({2, 1, 2, 2}, {1, 0, 0, 1, 2, 0, 0, 2});  // I, 2I
  Tensor b = F32({3, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  Tensor c = ops::MatMul(a, b);
  EXPECT_EQ(c.shape(), (Shape{2, 3, 2, 2}));
  EXPECT_EQ(Values(c),
            (std::vector<double>{1, 2, 3, 4, 5,  6,  7,  8,  9,  10, 11, 12,
                                 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24}));
  // Rank 3 x rank 2 is BatchMatMulV2 too.
  Tensor d = ops::MatMul(F32({2, 1, 2}, {1, 2, 3, 4}), F32({2, 1}, {1, 1}));
  EXPECT_EQ(d.shape(), (Shape{2, 1, 1}));
  EXPECT_EQ(Values(d), (std::vector<double>{3, 7}));
}

// Inner-dim mismatch: MatMul vs BatchMatMulV2, untransposed shapes printed.
TEST(OpsMatMulTest, SizeIncompatibleMessages) {
  Error e = ErrorOf([&] { ops::MatMul(Zf({1, 4}), Zf({3, 3})); });
  EXPECT_EQ(
      e.Message(),
      Eager("MatMul", "Matrix size-incompatible: In[0]: [1,4], In[1]: [3,3]"));
  EXPECT_EQ(e.failing_axes, (std::vector<int>{1, 0}));
  Error b = ErrorOf([&] { ops::MatMul(Zf({1, 32, 2}), Zf({1, 1200, 2})); });
  EXPECT_EQ(b.Message(), Eager("BatchMatMulV2",
                               "Matrix size-incompatible: In[0]: [1,32,2], "
                               "In[1]: [1,1200,2]"));
  EXPECT_EQ(b.failing_axes, (std::vector<int>{2, 1}));
  // With transpose_b the same operands are compatible.
  EXPECT_EQ(ops::MatMul(Zf({1, 32, 2}), Zf({1, 1200, 2}), false, true).shape(),
            (Shape{1, 32, 1200}));
  Error t = ErrorOf([&] { ops::MatMul(Zf({2, 3}), Zf({2, 3}), true, true); });
  EXPECT_EQ(t.KernelMessage(),
            "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]");
  EXPECT_EQ(t.failing_axes, (std::vector<int>{0, 1}));
}

// Rank checks: MatMul (the legacy-matmul kernel) wants equal ranks of 2,
// BatchMatMulV2 rank >= 2.
TEST(OpsMatMulTest, RankMessages) {
  Error m = ErrorOf([&] { ops::MatMul(Zf({3}), Zf({3, 3})); });
  EXPECT_EQ(m.Message(), Eager("MatMul",
                               "In[0] and In[1] has different ndims: [3] vs. "
                               "[3,3]"));
  Error m1 = ErrorOf([&] { ops::MatMul(Zf({3}), Zf({3})); });
  EXPECT_EQ(m1.Message(),
            Eager("MatMul", "In[0] and In[1] ndims must be == 2: 1"));
  Error b = ErrorOf([&] { ops::MatMul(Zf({3}), Zf({2, 3, 3})); });
  EXPECT_EQ(b.Message(), Eager("BatchMatMulV2", "In[0] ndims must be >= 2: 1"));
  Error b1 = ErrorOf([&] { ops::MatMul(Zf({2, 3, 3}), Zf({3})); });
  EXPECT_EQ(b1.KernelMessage(), "In[1] ndims must be >= 2: 1");
}

// Batch dims that do not broadcast.
TEST(OpsMatMulTest, BatchDimsMessage) {
  Error e = ErrorOf([&] { ops::MatMul(Zf({2, 3, 4}), Zf({3, 4, 5})); });
  EXPECT_EQ(e.Message(),
            Eager("BatchMatMulV2",
                  "In[0] and In[1] must have compatible batch dimensions: "
                  "[2,3,4] vs. [3,4,5]"));
  EXPECT_EQ(e.failing_axes, (std::vector<int>{0, 0}));
}

// Dtypes must match; int32 products work (and wrap).
TEST(OpsMatMulTest, DTypes) {
  Error e = ErrorOf([&] {
    ops::MatMul(Zf({2, 2}), I32({2, 2}, {1, 2, 3, 4}));
  });
  EXPECT_EQ(e.Message(),
            "cannot compute MatMul as input #1(zero-based) was expected to be "
            "a float tensor but is a int32 tensor [Op:MatMul] name: ");
  Tensor c = ops::MatMul(I32({1, 2}, {1, 2}), I32({2, 1}, {3, 4}));
  EXPECT_EQ(c.dtype(), DType::kInt32);
  EXPECT_EQ(Values(c), (std::vector<double>{11}));
}

// Empty inner dim gives zeros; empty batch gives an empty result.
TEST(OpsMatMulTest, EmptyDims) {
  Tensor c = ops::MatMul(Zf({2, 0}), Zf({0, 3}));
  EXPECT_EQ(c.shape(), (Shape{2, 3}));
  EXPECT_EQ(Values(c), std::vector<double>(6, 0));
  EXPECT_EQ(ops::MatMul(Zf({0, 2, 2}), Zf({2, 2})).shape(), (Shape{0, 2, 2}));
}

// (1200x64)·(64x1200) runs through Eigen's GEMM in reasonable time.
TEST(OpsMatMulTest, LargeProductIsFast) {
  Tensor a = Tensor::Zeros(DType::kFloat32, {1200, 64});
  Tensor b = Tensor::Zeros(DType::kFloat32, {64, 1200});
  for (int64_t i = 0; i < a.num_elements(); ++i) a.f32()[i] = 0.01f * (i % 7);
  for (int64_t i = 0; i < b.num_elements(); ++i) b.f32()[i] = 0.02f * (i % 5);
  const auto t0 = std::chrono::steady_clock::now();
  Tensor c = ops::MatMul(a, b);
  const double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - t0)
                        .count();
  EXPECT_EQ(c.shape(), (Shape{1200, 1200}));
  // Spot-check one element against a direct sum.
  double want = 0;
  for (int k = 0; k < 64; ++k)
    want += a.f32()[5 * 64 + k] * b.f32()[k * 1200 + 7];
  EXPECT_NEAR(c.f32()[5 * 1200 + 7], want, 1e-4);
  EXPECT_LT(ms, 5000.0);  // generous: Debug and sanitizer builds are slow
}

// Many tiny batches broadcast without per-batch tables.
TEST(OpsMatMulTest, ManyBatches) {
  Tensor a = Tensor::Zeros(DType::kFloat32, {100000, 1, 2});
  for (int64_t i = 0; i < a.num_elements(); ++i) a.f32()[i] = 1;
  Tensor b = F32({2, 1}, {2, 3});
  Tensor c = ops::MatMul(a, b);
  EXPECT_EQ(c.shape(), (Shape{100000, 1, 1}));
  EXPECT_EQ(c.f32()[99999], 5.0f);
}

// int32 products wrap like TF's (modular sums), with every transpose.
TEST(OpsMatMulTest, IntProductsWrapWithTransposes) {
  const int m = 3, n = 5, k = 4;
  std::vector<int32_t> av(m * k), bv(k * n);
  for (size_t i = 0; i < av.size(); ++i) av[i] = int32_t(i * 2654435761u);
  for (size_t i = 0; i < bv.size(); ++i) bv[i] = int32_t(i * 40503u) - 7;
  for (int ta = 0; ta < 2; ++ta) {
    for (int tb = 0; tb < 2; ++tb) {
      // a stored (k x m) when transposed, b (n x k).
      std::vector<int32_t> as(av.size()), bs(bv.size());
      for (int i = 0; i < m; ++i) {
        for (int p = 0; p < k; ++p)
          as[ta ? p * m + i : i * k + p] = av[i * k + p];
      }
      for (int p = 0; p < k; ++p) {
        for (int j = 0; j < n; ++j)
          bs[tb ? j * k + p : p * n + j] = bv[p * n + j];
      }
      const Tensor c =
          ops::MatMul(I32(ta ? Shape{k, m} : Shape{m, k}, as),
                      I32(tb ? Shape{n, k} : Shape{k, n}, bs), ta, tb);
      ASSERT_EQ(c.shape(), (Shape{m, n}));
      for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
          uint32_t want = 0;
          for (int p = 0; p < k; ++p) {
            want += uint32_t(av[i * k + p]) * uint32_t(bv[p * n + j]);
          }
          EXPECT_EQ(c.i32()[i * n + j], int32_t(want)) << ta << tb;
        }
      }
    }
  }
}

}  // namespace
}  // namespace ap
