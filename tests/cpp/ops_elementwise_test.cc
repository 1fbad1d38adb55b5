#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ops_test_util.h"

namespace ap {
namespace {

using namespace ap::testing;  // NOLINT
using ops::BinaryOp;
using ops::UnaryOp;

// The article's canonical failure: [32,2] + [1200,2] with the exact TF text.
TEST(OpsElementwiseTest, CanonicalIncompatibleShapesMessage) {
  Tensor q = Zf({32, 2}), k = Zf({1200, 2});
  Error e = ErrorOf([&] { ops::Binary(BinaryOp::kAdd, q, k); });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_EQ(e.kind, ErrorKind::kIncompatibleShapes);
  EXPECT_EQ(e.op, "AddV2");
  EXPECT_EQ(e.Message(),
            "{{function_node "
            "__wrapped__AddV2_device_/job:localhost/replica:0/task:0/"
            "device:CPU:0}} Incompatible shapes: [32,2] vs. [1200,2] "
            "[Op:AddV2] name: ");
  EXPECT_EQ(e.failing_axes, (std::vector<int>{0, 0}));
}

// Failing axes are reported in each operand's own coordinates.
TEST(OpsElementwiseTest, FailingAxesPerOperand) {
  Error e = ErrorOf([&] {
    ops::Binary(BinaryOp::kMul, Zf({1, 32, 1200}), Zf({1200, 32}));
  });
  EXPECT_EQ(e.KernelMessage(),
            "Incompatible shapes: [1,32,1200] vs. [1200,32]");
  EXPECT_EQ(e.op, "Mul");
  EXPECT_EQ(e.failing_axes, (std::vector<int>{2, 1}));
}

// Each BinaryOp maps to TF's op type (used in the envelope).
TEST(OpsElementwiseTest, OpTypesAreTfNames) {
  const std::vector<std::pair<BinaryOp, std::string>> table = {
      {BinaryOp::kAdd, "AddV2"},
      {BinaryOp::kSub, "Sub"},
      {BinaryOp::kMul, "Mul"},
      {BinaryOp::kDiv, "RealDiv"},
      {BinaryOp::kFloorDiv, "FloorDiv"},
      {BinaryOp::kFloorMod, "FloorMod"},
      {BinaryOp::kPow, "Pow"},
      {BinaryOp::kMaximum, "Maximum"},
      {BinaryOp::kMinimum, "Minimum"},
      {BinaryOp::kSquaredDifference, "SquaredDifference"},
      {BinaryOp::kEqual, "Equal"},
      {BinaryOp::kNotEqual, "NotEqual"},
      {BinaryOp::kLess, "Less"},
      {BinaryOp::kLessEqual, "LessEqual"},
      {BinaryOp::kGreater, "Greater"},
      {BinaryOp::kGreaterEqual, "GreaterEqual"},
      {BinaryOp::kLogicalAnd, "LogicalAnd"},
      {BinaryOp::kLogicalOr, "LogicalOr"}};
  for (const auto& entry : table) {
    const BinaryOp op = entry.first;
    const std::string& name = entry.second;
    EXPECT_EQ(ops::BinaryOpType(op), name);
    const bool logical =
        op == BinaryOp::kLogicalAnd || op == BinaryOp::kLogicalOr;
    Tensor a = logical ? Bool({2}, {1, 0}) : Zf({2});
    Tensor b = logical ? Bool({3}, {1, 0, 1}) : Zf({3});
    Error e = ErrorOf([&] { ops::Binary(op, a, b); });
    EXPECT_EQ(e.Message(), Eager(name, "Incompatible shapes: [2] vs. [3]"))
        << name;
  }
}

// Numpy broadcasting: [2,1] op [3] -> [2,3], values hand-computed.
TEST(OpsElementwiseTest, BroadcastsLikeNumpy) {
  Tensor a = F32({2, 1}, {1, 2});
  Tensor b = F32({3}, {10, 20, 30});
  Tensor s = ops::Binary(BinaryOp::kAdd, a, b);
  EXPECT_EQ(s.shape(), (Shape{2, 3}));
  EXPECT_EQ(Values(s), (std::vector<double>{11, 21, 31, 12, 22, 32}));
  Tensor d = ops::Binary(BinaryOp::kSub, b, a);
  EXPECT_EQ(Values(d), (std::vector<double>{9, 19, 29, 8, 18, 28}));
  // Scalar with tensor, and middle-axis broadcast.
  Tensor m =
      ops::Binary(BinaryOp::kMul, F32({}, {2}), F32({2, 2}, {1, 2, 3, 4}));
  EXPECT_EQ(Values(m), (std::vector<double>{2, 4, 6, 8}));
  Tensor x = F32({2, 1, 2}, {1, 2, 3, 4});
  Tensor y = F32({1, 3, 1}, {0, 10, 100});
  Tensor z = ops::Binary(BinaryOp::kAdd, x, y);
  EXPECT_EQ(z.shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(Values(z), (std::vector<double>{1, 2, 11, 12, 101, 102, 3, 4, 13,
                                            14, 103, 104}));
}

// Comparisons return bool; logical ops combine bools.
TEST(OpsElementwiseTest, ComparisonsGiveBool) {
  Tensor a = I32({3}, {1, 2, 3});
  Tensor b = I32({}, {2});
  Tensor lt = ops::Binary(BinaryOp::kLess, a, b);
  EXPECT_EQ(lt.dtype(), DType::kBool);
  EXPECT_EQ(Values(lt), (std::vector<double>{1, 0, 0}));
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kGreaterEqual, a, b)),
            (std::vector<double>{0, 1, 1}));
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kEqual, a, b)),
            (std::vector<double>{0, 1, 0}));
  Tensor p = Bool({4}, {0, 0, 1, 1}), q = Bool({4}, {0, 1, 0, 1});
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kLogicalAnd, p, q)),
            (std::vector<double>{0, 0, 0, 1}));
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kLogicalOr, p, q)),
            (std::vector<double>{0, 1, 1, 1}));
}

// Binary ops need equal dtypes; the eager executor's text has no
// function_node prefix but keeps the [Op:...] name: suffix.
TEST(OpsElementwiseTest, DTypeMismatchMessage) {
  Error e = ErrorOf([&] {
    ops::Binary(BinaryOp::kAdd, Zf({2}), I32({2}, {1, 2}));
  });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_EQ(e.kind, ErrorKind::kDTypeMismatch);
  EXPECT_EQ(e.Message(),
            "cannot compute AddV2 as input #1(zero-based) was expected to be a "
            "float tensor but is a int32 tensor [Op:AddV2] name: ");
  Error l = ErrorOf([&] {
    ops::Binary(BinaryOp::kLogicalAnd, Zf({2}), Bool({2}, {1, 1}));
  });
  EXPECT_EQ(l.Message(),
            "cannot compute LogicalAnd as input #0(zero-based) was expected to "
            "be a bool tensor but is a float tensor [Op:LogicalAnd] name: ");
}

// int32 true division is float64, as math_ops._truediv_python3 casts it.
TEST(OpsElementwiseTest, IntRealDivIsFloat64) {
  Tensor q = ops::Binary(BinaryOp::kDiv, I32({1}, {1}), I32({1}, {2}));
  EXPECT_EQ(q.dtype(), DType::kFloat64);
  EXPECT_EQ(q.f64()[0], 0.5);
}

// Integer floor division/modulo follow Python floor semantics; by zero
// raises "Integer division by zero".
TEST(OpsElementwiseTest, IntegerFloorDivModAndZero) {
  Tensor a = I32({4}, {7, -7, 7, -7});
  Tensor b = I32({4}, {2, 2, -2, -2});
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kFloorDiv, a, b)),
            (std::vector<double>{3, -4, -4, 3}));
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kFloorMod, a, b)),
            (std::vector<double>{1, 1, -1, -1}));
  Error e = ErrorOf([&] {
    ops::Binary(BinaryOp::kFloorDiv, I32({2}, {1, 2}), I32({2}, {1, 0}));
  });
  EXPECT_EQ(e.Message(), Eager("FloorDiv", "Integer division by zero"));
  Error m = ErrorOf(
      [&] { ops::Binary(BinaryOp::kFloorMod, I32({1}, {1}), I32({1}, {0})); });
  EXPECT_EQ(m.Message(), Eager("FloorMod", "Integer division by zero"));
  // INT_MIN // -1 wraps instead of trapping.
  Tensor w = ops::Binary(BinaryOp::kFloorDiv,
                         I32({1}, {std::numeric_limits<int32_t>::min()}),
                         I32({1}, {-1}));
  EXPECT_EQ(w.i32()[0], std::numeric_limits<int32_t>::min());
}

// Float floor division/modulo and pow.
TEST(OpsElementwiseTest, FloatFloorDivModPow) {
  Tensor a = F32({2}, {7.5f, -7.5f});
  Tensor b = F32({2}, {2, 2});
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kFloorDiv, a, b)),
            (std::vector<double>{3, -4}));
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kFloorMod, a, b)),
            (std::vector<double>{1.5, 0.5}));
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kPow, F32({1}, {2}), F32({1}, {10}))),
            (std::vector<double>{1024}));
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kPow, I32({1}, {3}), I32({1}, {4}))),
            (std::vector<double>{81}));
  Error e = ErrorOf(
      [&] { ops::Binary(BinaryOp::kPow, I32({1}, {3}), I32({1}, {-1})); });
  EXPECT_EQ(
      e.Message(),
      Eager("Pow", "Integers to negative integer powers are not allowed"));
}

// Maximum, Minimum and SquaredDifference values.
TEST(OpsElementwiseTest, MaxMinSquaredDifference) {
  Tensor a = F32({3}, {1, 5, -2}), b = F32({3}, {3, 4, -2});
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kMaximum, a, b)),
            (std::vector<double>{3, 5, -2}));
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kMinimum, a, b)),
            (std::vector<double>{1, 4, -2}));
  EXPECT_EQ(Values(ops::Binary(BinaryOp::kSquaredDifference, a, b)),
            (std::vector<double>{4, 1, 0}));
}

// More than 5 collapsed broadcast dims is Unimplemented in the cwise kernel.
TEST(OpsElementwiseTest, BroadcastBeyondFiveDimsIsUnimplemented) {
  Tensor a = Zf({2, 1, 2, 1, 2, 1});
  Tensor b = Zf({1, 2, 1, 2, 1, 2});
  Error e = ErrorOf([&] { ops::Binary(BinaryOp::kAdd, a, b); });
  EXPECT_EQ(e.cls, ErrorClass::kUnimplementedError);
  EXPECT_EQ(e.Message(),
            Eager("AddV2",
                  "Broadcast between [2,1,2,1,2,1] and [1,2,1,2,1,2] is not "
                  "supported yet."));
  // Five groups are fine: [2,1,2,1,2] vs [1,2,1,2,1].
  Tensor ok =
      ops::Binary(BinaryOp::kAdd, Zf({2, 1, 2, 1, 2}), Zf({1, 2, 1, 2, 1}));
  EXPECT_EQ(ok.shape(), (Shape{2, 2, 2, 2, 2}));
  // Runs of the same pattern merge: [2,3,1,1] vs [1,1,4,5] is 2 groups.
  Tensor merged = ops::Binary(BinaryOp::kAdd, Zf({2, 3, 1, 1, 2, 1, 2}),
                              Zf({1, 1, 4, 5, 1, 2, 1}));
  EXPECT_EQ(merged.shape(), (Shape{2, 3, 4, 5, 2, 2, 2}));
}

// Python `==` on tensors never raises for incompatible shapes.
TEST(OpsElementwiseTest, EqualityOperatorIncompatibleIsScalar) {
  Tensor eq = ops::EqualityOperator(Zf({2}), Zf({3}), false);
  EXPECT_EQ(eq.shape(), Shape{});
  EXPECT_EQ(eq.b8()[0], 0);
  Tensor ne = ops::EqualityOperator(Zf({2}), Zf({3}), true);
  EXPECT_EQ(ne.b8()[0], 1);
  Tensor same =
      ops::EqualityOperator(F32({2}, {1, 2}), F32({2}, {1, 3}), false);
  EXPECT_EQ(Values(same), (std::vector<double>{1, 0}));
}

// Unary math on float values.
TEST(OpsElementwiseTest, UnaryValues) {
  Tensor x = F32({3}, {-1, 0, 4});
  EXPECT_EQ(Values(ops::Unary(UnaryOp::kNeg, x)),
            (std::vector<double>{1, 0, -4}));
  EXPECT_EQ(Values(ops::Unary(UnaryOp::kAbs, x)),
            (std::vector<double>{1, 0, 4}));
  EXPECT_EQ(Values(ops::Unary(UnaryOp::kSquare, x)),
            (std::vector<double>{1, 0, 16}));
  EXPECT_EQ(Values(ops::Unary(UnaryOp::kRelu, x)),
            (std::vector<double>{0, 0, 4}));
  EXPECT_FLOAT_EQ(ops::Unary(UnaryOp::kSqrt, x).f32()[2], 2.0f);
  EXPECT_FLOAT_EQ(ops::Unary(UnaryOp::kRsqrt, x).f32()[2], 0.5f);
  EXPECT_FLOAT_EQ(ops::Unary(UnaryOp::kExp, x).f32()[1], 1.0f);
  EXPECT_FLOAT_EQ(ops::Unary(UnaryOp::kLog, x).f32()[2], std::log(4.0f));
  EXPECT_FLOAT_EQ(ops::Unary(UnaryOp::kTanh, x).f32()[0], std::tanh(-1.0f));
  EXPECT_FLOAT_EQ(ops::Unary(UnaryOp::kSigmoid, x).f32()[1], 0.5f);
  EXPECT_EQ(Values(ops::Unary(UnaryOp::kNeg, I32({2}, {3, -4}))),
            (std::vector<double>{-3, 4}));
  EXPECT_EQ(Values(ops::Unary(UnaryOp::kLogicalNot, Bool({2}, {1, 0}))),
            (std::vector<double>{0, 1}));
  Error e = ErrorOf([&] { ops::Unary(UnaryOp::kLogicalNot, x); });
  EXPECT_EQ(e.Message(),
            "cannot compute LogicalNot as input #0(zero-based) was expected to "
            "be a bool tensor but is a float tensor [Op:LogicalNot] name: ");
  // Sqrt has no int32 kernel: TF's attr check, with the OpDef.
  EXPECT_EQ(
      ErrorOf([&] { ops::Unary(UnaryOp::kSqrt, I32({1}, {4})); }).Message(),
      "Value for attr 'T' of int32 is not in the list of allowed values: "
      "bfloat16, half, float, double, complex64, complex128\n\t; NodeDef: "
      "{{node Sqrt}}; Op<name=Sqrt; signature=x:T -> y:T; "
      "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
      "DT_COMPLEX64, DT_COMPLEX128]> [Op:Sqrt] name: ");
}

// Cast truncates float->int toward zero; ->bool is != 0.
TEST(OpsElementwiseTest, CastSemantics) {
  Tensor x = F32({5}, {1.9f, -1.9f, 0.0f, 2.5f, -0.0f});
  Tensor i = ops::Cast(x, DType::kInt32);
  EXPECT_EQ(i.dtype(), DType::kInt32);
  EXPECT_EQ(Values(i), (std::vector<double>{1, -1, 0, 2, 0}));
  EXPECT_EQ(Values(ops::Cast(x, DType::kBool)),
            (std::vector<double>{1, 1, 0, 1, 0}));
  EXPECT_EQ(Values(ops::Cast(Bool({2}, {1, 0}), DType::kFloat32)),
            (std::vector<double>{1, 0}));
  EXPECT_EQ(Values(ops::Cast(I32({2}, {0, -3}), DType::kBool)),
            (std::vector<double>{0, 1}));
  // NaN and out-of-range floats become INT32_MIN (x86 cvttss2si), not UB.
  Tensor big = F32({2}, {std::nanf(""), 1e10f});
  EXPECT_EQ(Values(ops::Cast(big, DType::kInt32)),
            (std::vector<double>{-2147483648.0, -2147483648.0}));
}

// SelectV2 broadcasts cond, then and else together.
TEST(OpsElementwiseTest, WhereBroadcasts) {
  Tensor c = Bool({2, 1}, {1, 0});
  Tensor x = F32({3}, {1, 2, 3});
  Tensor y = F32({}, {-1});
  Tensor w = ops::Where(c, x, y);
  EXPECT_EQ(w.shape(), (Shape{2, 3}));
  EXPECT_EQ(Values(w), (std::vector<double>{1, 2, 3, -1, -1, -1}));
}

// SelectV2's broadcast and dtype errors.
TEST(OpsElementwiseTest, WhereErrors) {
  Error e = ErrorOf([&] { ops::Where(Bool({2}, {1, 0}), Zf({3}), Zf({3})); });
  EXPECT_EQ(
      e.Message(),
      Eager("SelectV2",
            "condition [2], then [3], and else [3] must be broadcastable"));
  EXPECT_EQ(e.failing_axes, (std::vector<int>{0, 0, 0}));
  Error c = ErrorOf([&] { ops::Where(Zf({2}), Zf({2}), Zf({2})); });
  EXPECT_EQ(c.Message(),
            "cannot compute SelectV2 as input #0(zero-based) was expected to "
            "be a bool tensor but is a float tensor [Op:SelectV2] name: ");
  Error d =
      ErrorOf([&] { ops::Where(Bool({1}, {1}), Zf({1}), I32({1}, {1})); });
  EXPECT_EQ(d.Message(),
            "cannot compute SelectV2 as input #2(zero-based) was expected to "
            "be a float tensor but is a int32 tensor [Op:SelectV2] name: ");
}

// int32 arithmetic wraps instead of invoking signed-overflow UB.
TEST(OpsElementwiseTest, IntOverflowWraps) {
  const int32_t mx = std::numeric_limits<int32_t>::max();
  EXPECT_EQ(ops::Binary(BinaryOp::kAdd, I32({1}, {mx}), I32({1}, {1})).i32()[0],
            std::numeric_limits<int32_t>::min());
  EXPECT_EQ(ops::Binary(BinaryOp::kMul, I32({1}, {mx}), I32({1}, {2})).i32()[0],
            -2);
}

}  // namespace
}  // namespace ap
