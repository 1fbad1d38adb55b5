#include <gtest/gtest.h>

#include "ops_test_util.h"

namespace ap {
namespace {

using namespace ap::testing;  // NOLINT

// Fill writes the value in the requested dtype.
TEST(OpsCreationTest, Fill) {
  Tensor f = ops::Fill({2, 2}, 1.5, DType::kFloat32);
  EXPECT_EQ(f.shape(), (Shape{2, 2}));
  EXPECT_EQ(Values(f), (std::vector<double>{1.5, 1.5, 1.5, 1.5}));
  EXPECT_EQ(Values(ops::Fill({3}, 7, DType::kInt32)),
            (std::vector<double>{7, 7, 7}));
  EXPECT_EQ(Values(ops::Fill({2}, 1, DType::kBool)),
            (std::vector<double>{1, 1}));
  EXPECT_EQ(ops::Fill({}, 0, DType::kFloat32).num_elements(), 1);
}

// Negative and overflowing dims in creation ops use MakeShape's texts.
TEST(OpsCreationTest, FillShapeMessages) {
  EXPECT_EQ(ErrorOf([&] {
              ops::Fill({2, -1}, 0, DType::kFloat32);
            }).Message(),
            Eager("Fill", "Dimension -1 must be >= 0"));
  const int64_t big = int64_t{1} << 40;
  EXPECT_EQ(ErrorOf([&] {
              ops::Fill({big, big}, 0, DType::kFloat32);
            }).Message(),
            Eager("Fill",
                  "Shape [1099511627776,1099511627776] would have more than "
                  "2**63 - 1 elements"));
}

// tf.eye builds ones(batch + [min(rows, cols)]) first: a negative size
// fails in that Fill.
TEST(OpsCreationTest, EyeShapeMessages) {
  EXPECT_EQ(ops::Eye(2, 3, {4}, DType::kFloat32).shape(), (Shape{4, 2, 3}));
  EXPECT_EQ(ErrorOf([&] { ops::Eye(-2, -2, {}, DType::kFloat32); }).Message(),
            Eager("Fill", "Dimension -2 must be >= 0"));
  EXPECT_EQ(
      ErrorOf([&] { ops::Eye(2, -3, {}, DType::kFloat32); }).KernelMessage(),
      "Dimension -3 must be >= 0");
  EXPECT_EQ(
      ErrorOf([&] { ops::Eye(2, 2, {-1}, DType::kFloat32); }).KernelMessage(),
      "Dimension -1 must be >= 0");
}

// tf.sequence_mask: lengths.shape + [maxlen], True for j < length.
TEST(OpsCreationTest, SequenceMask) {
  Tensor m = ops::SequenceMask(I32({1}, {32}), 1200);
  EXPECT_EQ(m.shape(), (Shape{1, 1200}));
  EXPECT_EQ(m.dtype(), DType::kBool);
  int count = 0;
  for (int j = 0; j < 1200; ++j) count += m.b8()[j];
  EXPECT_EQ(count, 32);
  EXPECT_EQ(m.b8()[31], 1);
  EXPECT_EQ(m.b8()[32], 0);
  Tensor d = ops::SequenceMask(I32({3}, {1, 3, 2}), std::nullopt);
  EXPECT_EQ(d.shape(), (Shape{3, 3}));
  EXPECT_EQ(Values(d), (std::vector<double>{1, 0, 0, 1, 1, 1, 1, 1, 0}));
  Tensor s = ops::SequenceMask(I32({}, {2}), 4);
  EXPECT_EQ(s.shape(), (Shape{4}));
  EXPECT_EQ(Values(s), (std::vector<double>{1, 1, 0, 0}));
  // Empty lengths: maxlen = max(0, max([])) = 0.
  EXPECT_EQ(ops::SequenceMask(I32({0}, {}), std::nullopt).shape(),
            (Shape{0, 0}));
  // A negative maxlen fails in the Range op.
  EXPECT_EQ(ErrorOf([&] { ops::SequenceMask(I32({1}, {2}), -3); }).Message(),
            Eager("Range", "Requires start <= limit when delta > 0: 0/-3"));
}

// tf.range with positive and negative deltas, and its messages.
TEST(OpsCreationTest, Range) {
  EXPECT_EQ(Values(ops::Range(0, 5, 2, DType::kInt32)),
            (std::vector<double>{0, 2, 4}));
  EXPECT_EQ(Values(ops::Range(5, 0, -2, DType::kInt32)),
            (std::vector<double>{5, 3, 1}));
  EXPECT_EQ(Values(ops::Range(0, 1, 0.25, DType::kFloat32)),
            (std::vector<double>{0, 0.25, 0.5, 0.75}));
  EXPECT_EQ(ops::Range(3, 3, 1, DType::kInt32).shape(), (Shape{0}));
  EXPECT_EQ(ErrorOf([&] { ops::Range(0, 5, 0, DType::kInt32); }).Message(),
            Eager("Range", "Requires delta != 0: 0"));
  EXPECT_EQ(ErrorOf([&] { ops::Range(5, 1, 1, DType::kInt32); }).Message(),
            Eager("Range", "Requires start <= limit when delta > 0: 5/1"));
  EXPECT_EQ(ErrorOf([&] { ops::Range(1, 5, -1, DType::kInt32); }).Message(),
            Eager("Range", "Requires start >= limit when delta < 0: 1/5"));
  EXPECT_EQ(
      ErrorOf([&] { ops::Range(1.5, 0.5, 0.5, DType::kFloat32); }).Message(),
      Eager("Range", "Requires start <= limit when delta > 0: 1.5/0.5"));
}

// Random ops: shapes, ranges, determinism per seed.
TEST(OpsCreationTest, Random) {
  Random r1(42), r2(42);
  Tensor a = ops::RandomNormal({3, 4}, 0, 1, r1);
  Tensor b = ops::RandomNormal({3, 4}, 0, 1, r2);
  EXPECT_EQ(a.shape(), (Shape{3, 4}));
  EXPECT_EQ(Values(a), Values(b));
  Tensor u = ops::RandomUniform({1000}, 2, 3, DType::kFloat32, r1);
  for (double v : Values(u)) {
    EXPECT_GE(v, 2.0);
    EXPECT_LT(v, 3.0);
  }
  Tensor i = ops::RandomUniform({1000}, -2, 3, DType::kInt32, r1);
  EXPECT_EQ(i.dtype(), DType::kInt32);
  for (double v : Values(i)) {
    EXPECT_GE(v, -2);
    EXPECT_LT(v, 3);
  }
  EXPECT_EQ(ErrorOf([&] {
              ops::RandomUniform({2}, 5, 3, DType::kInt32, r1);
            }).Message(),
            Eager("RandomUniformInt", "Need minval < maxval, got 5 >= 3"));
  // An empty output never checks the range.
  EXPECT_EQ(ops::RandomUniform({0}, 5, 3, DType::kInt32, r1).num_elements(), 0);
  EXPECT_EQ(ErrorOf([&] { ops::RandomNormal({-2}, 0, 1, r1); }).Message(),
            Eager("RandomStandardNormal", "Dimension -2 must be >= 0"));
}

// The budget: one tensor over the element limit, or live bytes over the
// total limit, fails with ResourceExhaustedError before allocating.
TEST(OpsCreationTest, MemoryBudget) {
  auto budget = std::make_shared<MemoryBudget>(ResourceLimits{1000, 8000});
  BudgetScope scope(budget);
  Error e = ErrorOf([&] { ops::Fill({10, 101}, 0, DType::kFloat32); });
  EXPECT_EQ(e.cls, ErrorClass::kResourceExhaustedError);
  EXPECT_EQ(
      e.Message(),
      Eager("Fill",
            "OOM when allocating tensor with shape[10,101] and type float "
            "on /job:localhost/replica:0/task:0/device:CPU:0 by "
            "allocator cpu"));
  Tensor a = Zf({10, 10}), b = Zf({10, 10});            // 800 bytes live
  Tensor keep = ops::Fill({1000}, 0, DType::kFloat32);  // 4800 bytes live
  Tensor keep2 = ops::Fill({750}, 0, DType::kFloat32);  // 7800 bytes live
  // The 400-byte product would make 8200 > 8000.
  Error t = ErrorOf([&] { ops::MatMul(a, b); });
  EXPECT_EQ(t.cls, ErrorClass::kResourceExhaustedError);
  EXPECT_EQ(t.KernelMessage(),
            "OOM when allocating tensor with shape[10,10] and type float on "
            "/job:localhost/replica:0/task:0/device:CPU:0 by allocator cpu");
  EXPECT_EQ(budget->live_bytes(), 7800);
}

}  // namespace
}  // namespace ap
