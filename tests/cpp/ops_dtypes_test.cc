// float64 and int64 tensors: storage and budget, casts, elementwise ops,
// reductions, matmul, softmax, argmax, creation, and the mixed-dtype errors,
// with the values and texts TF 2.21 gives (probed on the oracle).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/api.h"
#include "core/repr.h"
#include "ops_test_util.h"

namespace ap {
namespace {

using ops::BinaryOp;
using ops::ReduceOp;
using ops::UnaryOp;
using testing::ErrorOf;

Tensor F64(const Shape& shape, const std::vector<double>& v) {
  Tensor t = Tensor::Zeros(DType::kFloat64, shape);
  EXPECT_EQ(static_cast<int64_t>(v.size()), t.num_elements());
  for (size_t i = 0; i < v.size(); ++i) t.f64()[i] = v[i];
  return t;
}

Tensor I64(const Shape& shape, const std::vector<int64_t>& v) {
  Tensor t = Tensor::Zeros(DType::kInt64, shape);
  EXPECT_EQ(static_cast<int64_t>(v.size()), t.num_elements());
  for (size_t i = 0; i < v.size(); ++i) t.i64()[i] = v[i];
  return t;
}

std::vector<int64_t> Ints(const Tensor& t) {
  EXPECT_EQ(t.dtype(), DType::kInt64);
  return std::vector<int64_t>(t.i64(), t.i64() + t.num_elements());
}

std::vector<double> Doubles(const Tensor& t) {
  EXPECT_EQ(t.dtype(), DType::kFloat64);
  return std::vector<double>(t.f64(), t.f64() + t.num_elements());
}

constexpr int64_t kTwo40 = int64_t{1} << 40;

// The names TF prints and its kernel / enum spellings.
TEST(DTypesTest, Names) {
  EXPECT_EQ(DTypeName(DType::kFloat64), "float64");
  EXPECT_EQ(DTypeName(DType::kInt64), "int64");
  EXPECT_EQ(DTypeKernelName(DType::kFloat64), "double");
  EXPECT_EQ(DTypeKernelName(DType::kInt64), "int64");
  EXPECT_EQ(DTypeEnumName(DType::kFloat64), "DT_DOUBLE");
  EXPECT_EQ(DTypeEnumName(DType::kInt64), "DT_INT64");
  EXPECT_EQ(ParseDType("double"), DType::kFloat64);
  EXPECT_EQ(ParseDType("int64"), DType::kInt64);
}

// Eight bytes per element, charged to the budget and given back.
TEST(DTypesTest, BudgetCountsEightBytes) {
  auto budget = std::make_shared<MemoryBudget>();
  BudgetScope scope(budget);
  {
    Tensor a = Tensor::Zeros(DType::kFloat64, {10});
    EXPECT_EQ(budget->live_bytes(), 80);
    Tensor b = Tensor::Zeros(DType::kInt64, {3});
    EXPECT_EQ(budget->live_bytes(), 104);
    Tensor c = ops::Cast(a, DType::kFloat32);
    EXPECT_EQ(budget->live_bytes(), 144);
  }
  EXPECT_EQ(budget->live_bytes(), 0);
}

// The live-bytes limit fails at half the float32 element count.
TEST(DTypesTest, BudgetLimitUsesDTypeSize) {
  ResourceLimits limits;
  limits.max_total_bytes = 800;
  auto budget = std::make_shared<MemoryBudget>(limits);
  BudgetScope scope(budget);
  Tensor ok = Tensor::Zeros(DType::kFloat32, {200});
  EXPECT_EQ(ErrorOf([] { Tensor::Zeros(DType::kFloat64, {100}); }).kind,
            ErrorKind::kOutOfMemory);
}

// Float to integer truncates; NaN and out-of-range give the most negative
// value (x86's cvtt*); int64 -> int32 keeps the low bits.
TEST(DTypesTest, CastMatchesTf) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(Ints(ops::Cast(F64({4}, {1.7, -2.5, nan, 1e20}), DType::kInt64)),
            (std::vector<int64_t>{1, -2, INT64_MIN, INT64_MIN}));
  Tensor i32 = ops::Cast(F64({4}, {1.7, -2.5, nan, 1e20}), DType::kInt32);
  EXPECT_EQ(testing::Values(i32),
            (std::vector<double>{1, -2, INT32_MIN, INT32_MIN}));
  Tensor wrapped =
      ops::Cast(I64({3}, {kTwo40, -1, int64_t{1} << 31}), DType::kInt32);
  EXPECT_EQ(testing::Values(wrapped), (std::vector<double>{0, -1, INT32_MIN}));
  Tensor f64 = ops::Cast(testing::F32({1}, {1.0f / 3}), DType::kFloat64);
  EXPECT_EQ(f64.f64()[0], static_cast<double>(1.0f / 3));
  Tensor b = ops::Cast(I64({2}, {3, 0}), DType::kBool);
  EXPECT_EQ(testing::Values(b), (std::vector<double>{1, 0}));
  EXPECT_EQ(Doubles(ops::Cast(testing::Bool({2}, {1, 0}), DType::kFloat64)),
            (std::vector<double>{1, 0}));
}

// Binary ops broadcast in float64 and wrap in int64.
TEST(DTypesTest, BinaryFloat64AndInt64) {
  Tensor x = F64({2, 2}, {1, 2, 3, 4});
  EXPECT_EQ(Doubles(ops::Binary(BinaryOp::kAdd, x, F64({2}, {0.5, 1}))),
            (std::vector<double>{1.5, 3, 3.5, 5}));
  EXPECT_EQ(
      Doubles(ops::Binary(BinaryOp::kAdd, F64({1}, {0.1}), F64({1}, {0.2}))),
      (std::vector<double>{0.1 + 0.2}));
  EXPECT_EQ(Ints(ops::Binary(BinaryOp::kMul, I64({}, {kTwo40}),
                             I64({}, {int64_t{1} << 30}))),
            (std::vector<int64_t>{0}));
  EXPECT_EQ(
      Ints(ops::Binary(BinaryOp::kFloorDiv, I64({2}, {7, -7}), I64({}, {2}))),
      (std::vector<int64_t>{3, -4}));
  EXPECT_EQ(
      Ints(ops::Binary(BinaryOp::kFloorMod, I64({2}, {-7, 7}), I64({}, {3}))),
      (std::vector<int64_t>{2, 1}));
  Tensor less = ops::Binary(BinaryOp::kLess, x, F64({}, {2.5}));
  EXPECT_EQ(less.dtype(), DType::kBool);
  EXPECT_EQ(testing::Values(less), (std::vector<double>{1, 1, 0, 0}));
}

// Integer true division is float64 (math_ops._truediv_python3).
TEST(DTypesTest, IntegerTrueDivisionIsFloat64) {
  Tensor q = ops::Binary(BinaryOp::kDiv, testing::I32({2}, {1, 2}),
                         testing::I32({2}, {2, 2}));
  EXPECT_EQ(Doubles(q), (std::vector<double>{0.5, 1}));
  EXPECT_EQ(Doubles(ops::Binary(BinaryOp::kDiv, I64({1}, {1}), I64({}, {2}))),
            (std::vector<double>{0.5}));
}

// Mixed dtypes: the eager executor's text with TF's kernel names.
TEST(DTypesTest, MixedDTypeMessages) {
  Error e = ErrorOf([] {
    ops::Binary(BinaryOp::kAdd, F64({2}, {1, 2}), testing::F32({2}, {1, 2}));
  });
  EXPECT_EQ(e.Message(),
            "cannot compute AddV2 as input #1(zero-based) was expected to be "
            "a double tensor but is a float tensor [Op:AddV2] name: ");
  e = ErrorOf([] {
    ops::Binary(BinaryOp::kAdd, I64({1}, {1}), testing::I32({1}, {1}));
  });
  EXPECT_EQ(e.Message(),
            "cannot compute AddV2 as input #1(zero-based) was expected to be "
            "a int64 tensor but is a int32 tensor [Op:AddV2] name: ");
  e = ErrorOf([] { ops::MatMul(F64({1, 1}, {1}), testing::F32({1, 1}, {1})); });
  EXPECT_EQ(e.Message(),
            "cannot compute MatMul as input #1(zero-based) was expected to be "
            "a double tensor but is a float tensor [Op:MatMul] name: ");
  e = ErrorOf([] {
    ops::Binary(BinaryOp::kDiv, testing::I32({1}, {1}), I64({1}, {1}));
  });
  EXPECT_EQ(e.cls, ErrorClass::kTypeError);
  EXPECT_EQ(e.Message(),
            "`x` and `y` must have the same dtype, got tf.int32 != tf.int64.");
}

// An op without a kernel for the dtype fails TF's attr check, OpDef and all.
TEST(DTypesTest, AttrListErrors) {
  Error e = ErrorOf([] { ops::Softmax(I64({3}, {1, 2, 3})); });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_EQ(e.Message(),
            "Value for attr 'T' of int64 is not in the list of allowed values: "
            "half, bfloat16, float, double\n\t; NodeDef: {{node Softmax}}; "
            "Op<name=Softmax; signature=logits:T -> softmax:T; "
            "attr=T:type,allowed=[DT_HALF, DT_BFLOAT16, DT_FLOAT, "
            "DT_DOUBLE]> [Op:Softmax] name: ");
  e = ErrorOf([] { ops::Unary(UnaryOp::kExp, I64({1}, {1})); });
  EXPECT_EQ(e.Message().rfind("Value for attr 'T' of int64 is not in the list "
                              "of allowed values: bfloat16, half, float, "
                              "double, complex64, complex128",
                              0),
            0u);
  // ArgMax has a bool kernel.
  Tensor a = ops::ArgMax(testing::Bool({2}, {0, 1}), 0, DType::kInt64);
  EXPECT_EQ(Ints(a), (std::vector<int64_t>{1}));
}

// int64 division by zero and negative powers raise as for int32.
TEST(DTypesTest, Int64ComputeErrors) {
  EXPECT_EQ(ErrorOf([] {
              ops::Binary(BinaryOp::kFloorDiv, I64({1}, {5}), I64({1}, {0}));
            }).kind,
            ErrorKind::kIntegerDivisionByZero);
  EXPECT_EQ(ErrorOf([] {
              ops::Binary(BinaryOp::kPow, I64({1}, {5}), I64({1}, {-1}));
            }).kind,
            ErrorKind::kIntegerNegativePower);
}

// Unary float64 math and wrapping int64 Neg / Abs.
TEST(DTypesTest, Unary) {
  EXPECT_EQ(Doubles(ops::Unary(UnaryOp::kSqrt, F64({1}, {2}))),
            (std::vector<double>{std::sqrt(2.0)}));
  EXPECT_EQ(Doubles(ops::Unary(UnaryOp::kExp, F64({1}, {1}))),
            (std::vector<double>{std::exp(1.0)}));
  EXPECT_EQ(Ints(ops::Unary(UnaryOp::kAbs, I64({2}, {INT64_MIN, -3}))),
            (std::vector<int64_t>{INT64_MIN, 3}));
  EXPECT_EQ(Ints(ops::Unary(UnaryOp::kNeg, I64({1}, {INT64_MIN}))),
            (std::vector<int64_t>{INT64_MIN}));
  EXPECT_EQ(Ints(ops::Unary(UnaryOp::kRelu, I64({2}, {-1, 2}))),
            (std::vector<int64_t>{0, 2}));
}

// Matmul: float64 through Eigen, int64 wrapping, batched broadcast.
TEST(DTypesTest, MatMul) {
  Tensor a = F64({2, 2}, {1, 2, 3, 4});
  EXPECT_EQ(Doubles(ops::MatMul(a, a)), (std::vector<double>{7, 10, 15, 22}));
  EXPECT_EQ(Doubles(ops::MatMul(a, a, false, true)),
            (std::vector<double>{5, 11, 11, 25}));
  Tensor i = I64({1, 2, 2}, {1, 2, 3, 4});
  Tensor out = ops::MatMul(i, I64({2, 2}, {1, 2, 3, 4}));
  EXPECT_EQ(out.shape(), (Shape{1, 2, 2}));
  EXPECT_EQ(Ints(out), (std::vector<int64_t>{7, 10, 15, 22}));
  EXPECT_EQ(Ints(ops::MatMul(I64({1, 1}, {kTwo40}), I64({1, 1}, {kTwo40}))),
            (std::vector<int64_t>{0}));
}

// Softmax in float64 along any axis; TF's digits.
TEST(DTypesTest, Softmax) {
  Tensor s = ops::Softmax(F64({3}, {1, 2, 3}));
  EXPECT_EQ(s.dtype(), DType::kFloat64);
  EXPECT_EQ(NumpyStr(s), "[0.09003057 0.24472847 0.66524096]");
  Tensor cols = ops::Softmax(F64({2, 2}, {1, 2, 3, 5}), 0);
  EXPECT_EQ(NumpyStr(cols),
            "[[0.11920292 0.04742587]\n [0.88079708 0.95257413]]");
}

// Reductions keep the dtype; int64 mean is the integer quotient.
TEST(DTypesTest, Reduce) {
  Tensor x = F64({2, 2}, {1, 2, 3, 5});
  EXPECT_EQ(
      Doubles(ops::Reduce(ReduceOp::kMean, x, std::vector<int>{0}, false)),
      (std::vector<double>{2, 3.5}));
  EXPECT_EQ(Ints(ops::Reduce(ReduceOp::kSum, I64({2}, {1, kTwo40}),
                             std::nullopt, false)),
            (std::vector<int64_t>{kTwo40 + 1}));
  EXPECT_EQ(
      Ints(ops::Reduce(ReduceOp::kMean, I64({2}, {1, 2}), std::nullopt, false)),
      (std::vector<int64_t>{1}));
  EXPECT_EQ(Ints(ops::Reduce(ReduceOp::kProd, I64({2}, {kTwo40, kTwo40}),
                             std::nullopt, false)),
            (std::vector<int64_t>{0}));
  EXPECT_EQ(Ints(ops::CumSum(I64({2}, {1, kTwo40}), 0)),
            (std::vector<int64_t>{1, kTwo40 + 1}));
}

// ArgMax writes int64 or int32 indices.
TEST(DTypesTest, ArgMax) {
  Tensor a = ops::ArgMax(F64({2, 2}, {1, 3, 4, 2}), 1, DType::kInt64);
  EXPECT_EQ(Ints(a), (std::vector<int64_t>{1, 0}));
  Tensor b = ops::ArgMax(I64({3}, {1, kTwo40, kTwo40 - 1}), 0, DType::kInt32);
  EXPECT_EQ(b.dtype(), DType::kInt32);
  EXPECT_EQ(b.i32()[0], 1);
}

// Creation ops of the new dtypes, exact beyond 2**53 for int64 fills.
TEST(DTypesTest, Creation) {
  EXPECT_EQ(Ints(ops::Range(0, 5, 1, DType::kInt64)),
            (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(Doubles(ops::Range(0, 1, 0.25, DType::kFloat64)),
            (std::vector<double>{0, 0.25, 0.5, 0.75}));
  const int64_t big = (int64_t{1} << 60) + 1;
  EXPECT_EQ(Ints(ops::Fill({2}, I64({}, {big}))),
            (std::vector<int64_t>{big, big}));
  EXPECT_EQ(Doubles(ops::Fill({1}, 1.0 / 3, DType::kFloat64)),
            (std::vector<double>{1.0 / 3}));
  Tensor eye = ops::Eye(2, 2, {}, DType::kFloat64);
  EXPECT_EQ(Doubles(eye), (std::vector<double>{1, 0, 0, 1}));
}

// Data movement keeps all 8 bytes of each element.
TEST(DTypesTest, ArrayOps) {
  const int64_t big = (int64_t{1} << 60) + 7;
  Tensor x = I64({2, 2}, {1, 2, 3, big});
  EXPECT_EQ(Ints(ops::Transpose(x, std::nullopt)),
            (std::vector<int64_t>{1, 3, 2, big}));
  EXPECT_EQ(Ints(ops::Concat({x, x}, 1)),
            (std::vector<int64_t>{1, 2, 1, 2, 3, big, 3, big}));
  EXPECT_EQ(Ints(ops::Gather(x, I64({1}, {1}), 0)),
            (std::vector<int64_t>{3, big}));
  EXPECT_EQ(Ints(ops::Tile(I64({1}, {big}), {2})),
            (std::vector<int64_t>{big, big}));
  Tensor y = F64({3}, {0.1, 0.2, 0.3});
  ops::SliceItem range;
  range.kind = ops::SliceItem::Kind::kRange;
  range.start = 1;
  EXPECT_EQ(Doubles(ops::StridedSlice(y, {range})),
            (std::vector<double>{0.2, 0.3}));
  EXPECT_EQ(Doubles(ops::Pad(y, testing::I32({1, 2}, {1, 0}), 0)),
            (std::vector<double>{0, 0.1, 0.2, 0.3}));
  EXPECT_EQ(
      Doubles(ops::Where(testing::Bool({3}, {1, 0, 1}), y, F64({}, {-1}))),
      (std::vector<double>{0.1, -1, 0.3}));
}

// Programs: Python ints beyond int32 make int64 tensors, hints convert or
// refuse as TF does, and printing shows NumPy's float64 / int64 texts.
nlohmann::json RunTf(const std::string& body) {
  return nlohmann::json::parse(
      RunProgramToJson("import tensorflow as tf\n" + body, RunOptions{}));
}

TEST(DTypesProgramTest, PythonIntsAndHints) {
  auto doc = RunTf(
      "a = tf.constant(2**40)\nb = tf.constant([1, 2**40])\n"
      "c = tf.constant(2**40, dtype=tf.int32)\nprint(repr(a))\nprint(b)\n"
      "print(c)\n");
  ASSERT_TRUE(doc["ok"].get<bool>()) << doc.dump();
  EXPECT_EQ(doc["stdout"].get<std::string>(),
            "<tf.Tensor: shape=(), dtype=int64, numpy=1099511627776>\n"
            "tf.Tensor([            1 1099511627776], shape=(2,), "
            "dtype=int64)\n"
            "tf.Tensor(0, shape=(), dtype=int32)\n");
  doc = RunTf("a = tf.constant([1.0, 2.0], dtype=tf.int64)\n");
  ASSERT_FALSE(doc["ok"].get<bool>());
  EXPECT_EQ(doc["error"]["message"].get<std::string>(),
            "Cannot convert [1.0, 2.0] to EagerTensor of dtype int64");
}

TEST(DTypesProgramTest, ArgmaxShapeAndRange) {
  auto doc = RunTf(
      "a = tf.argmax(tf.constant([1.0, 3.0, 2.0]))\n"
      "b = tf.shape(tf.zeros([2, 3]), out_type=tf.int64)\n"
      "c = tf.range(3, 2**40, 2**39)\nprint(repr(a))\nprint(b)\nprint(c)\n");
  ASSERT_TRUE(doc["ok"].get<bool>()) << doc.dump();
  EXPECT_EQ(doc["stdout"].get<std::string>(),
            "<tf.Tensor: shape=(), dtype=int64, numpy=1>\n"
            "tf.Tensor([2 3], shape=(2,), dtype=int64)\n"
            "tf.Tensor([           3 549755813891], shape=(2,), "
            "dtype=int64)\n");
}

}  // namespace
}  // namespace ap
