// Shape inference (core/ops/shape_inference.h) and partial shapes
// (core/partial_shape.h). Unknown-dim expectations are what TF 2.21 gives for
// a None batch (tf.function with an input_signature of None dims,
// get_concrete_function().structured_outputs.shape); known-dim errors must be
// the ops' own errors, field for field.
#include "core/ops/shape_inference.h"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "core/partial_shape.h"
#include "ops_test_util.h"

namespace ap {
namespace {

using namespace ap::testing;  // NOLINT

const Dim kNone = Dim::Unknown();

std::string Py(const PartialShape& s) { return PartialShapeToPyString(s); }
PartialShape P(const Shape& s) { return ToPartialShape(s); }

// The inference error equals the op's error on the same concrete operands.
void ExpectSameError(const std::function<void()>& op,
                     const std::function<void()>& inference) {
  const Error want = ErrorOf(op);
  const Error got = ErrorOf(inference);
  ASSERT_NE(want.text, "no error");
  EXPECT_EQ(got.Message(), want.Message());
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.cls, want.cls);
  EXPECT_EQ(got.op_suffix, want.op_suffix);
  EXPECT_EQ(got.shapes, want.shapes);
  EXPECT_EQ(got.ints, want.ints);
  EXPECT_EQ(got.failing_axes, want.failing_axes);
}

// ---- Dim and PartialShape ------------------------------------------------

TEST(PartialShapeTest, DimKnownAndUnknown) {
  EXPECT_FALSE(kNone.known());
  EXPECT_TRUE(Dim(3).known());
  EXPECT_EQ(Dim(3).size(), 3);
  EXPECT_TRUE(Dim(0).Is(0));
  EXPECT_TRUE(kNone.IsCompatibleWith(5));
  EXPECT_TRUE(Dim(5).IsCompatibleWith(5));
  EXPECT_FALSE(Dim(5).IsCompatibleWith(4));
  EXPECT_EQ(kNone, Dim());
  EXPECT_NE(kNone, Dim(1));
}

TEST(PartialShapeTest, Printing) {
  const PartialShape s{kNone, 32, 2};
  EXPECT_EQ(PartialShapeToPyString(s), "(None, 32, 2)");
  EXPECT_EQ(PartialShapeToTfString(s), "[?,32,2]");
  EXPECT_EQ(PartialShapeToPyString({kNone}), "(None,)");
  EXPECT_EQ(PartialShapeToPyString({}), "()");
  EXPECT_EQ(PartialShapeToTfString({}), "[]");
  EXPECT_EQ(ShapeToTfString({2, 3}), "[2,3]");
}

TEST(PartialShapeTest, Conversions) {
  const Shape s{4, 0, 2};
  EXPECT_TRUE(IsFullyDefined(P(s)));
  EXPECT_EQ(ToShape(P(s)), s);
  EXPECT_FALSE(ToShape({kNone, 2}).has_value());
  EXPECT_EQ(ToShapeWithUnknowns({kNone, 2}), (Shape{-1, 2}));
}

// common_shapes.broadcast_shape, TF 2.21.
TEST(PartialShapeTest, Broadcast) {
  auto b = [](const PartialShape& x, const PartialShape& y) {
    auto r = BroadcastPartialShapes(x, y);
    return r ? Py(*r) : std::string("error");
  };
  EXPECT_EQ(b({kNone}, {1}), "(None,)");
  EXPECT_EQ(b({1}, {kNone}), "(None,)");
  EXPECT_EQ(b({kNone}, {3}), "(3,)");
  EXPECT_EQ(b({3}, {kNone}), "(3,)");
  EXPECT_EQ(b({kNone}, {kNone}), "(None,)");
  EXPECT_EQ(b({2}, {3}), "error");
  EXPECT_EQ(b({kNone, 3}, {4, 1}), "(4, 3)");
  EXPECT_EQ(b({kNone, 1, 2}, {4, 5, 1}), "(4, 5, 2)");
  EXPECT_EQ(b({5}, {kNone, 2, 1}), "(None, 2, 5)");
  int axis = -1;
  EXPECT_FALSE(BroadcastPartialShapes({kNone, 3}, {4, 5}, &axis));
  EXPECT_EQ(axis, 1);
}

// On concrete shapes the same result and failing axis as BroadcastShapes.
TEST(PartialShapeTest, BroadcastAgreesOnConcreteShapes) {
  const std::vector<Shape> shapes = {{},     {1},       {3}, {2, 1}, {1, 3},
                                     {2, 3}, {4, 1, 3}, {0}, {0, 3}, {2, 0, 1}};
  for (const Shape& a : shapes) {
    for (const Shape& b : shapes) {
      int fa = -1, fp = -1;
      const auto want = BroadcastShapes(a, b, &fa);
      const auto got = BroadcastPartialShapes(P(a), P(b), &fp);
      ASSERT_EQ(want.has_value(), got.has_value());
      if (want) EXPECT_EQ(*want, ToShape(*got));
      EXPECT_EQ(fa, fp);
    }
  }
}

// ---- Unknown dims through each op ------------------------------------------

TEST(ShapeInferenceTest, BinaryBroadcastsUnknownDims) {
  using ops::BinaryOp;
  EXPECT_EQ(
      Py(ops::InferBinaryShape(BinaryOp::kAdd, {kNone, 32, 2}, {kNone, 1, 2})),
      "(None, 32, 2)");
  EXPECT_EQ(Py(ops::InferBinaryShape(BinaryOp::kMul, {kNone, 1, 2}, {4, 5, 1})),
            "(4, 5, 2)");
  EXPECT_EQ(Py(ops::InferBinaryShape(BinaryOp::kLess, {kNone, 3}, {})),
            "(None, 3)");
  // The known dims already disagree: the op's error, unknowns as "?".
  const Error e = ErrorOf([] {
    ops::InferBinaryShape(BinaryOp::kAdd, {kNone, 3}, {4, 5});
  });
  EXPECT_EQ(e.kind, ErrorKind::kIncompatibleShapes);
  EXPECT_EQ(e.Message(),
            Eager("AddV2", "Incompatible shapes: [?,3] vs. [4,5]"));
  EXPECT_EQ(e.failing_axes, (std::vector<int>{1, 1}));
}

TEST(ShapeInferenceTest, MatMulUnknownBatch) {
  EXPECT_EQ(Py(ops::InferMatMulShape({kNone, 32, 2}, {kNone, 2, 1200})),
            "(None, 32, 1200)");
  EXPECT_EQ(
      Py(ops::InferMatMulShape({kNone, 32, 2}, {kNone, 1200, 2}, false, true)),
      "(None, 32, 1200)");
  EXPECT_EQ(Py(ops::InferMatMulShape({kNone, 32, kNone}, {kNone, 3, 1200})),
            "(None, 32, 1200)");
  EXPECT_EQ(Py(ops::InferMatMulShape({kNone, 32, 2}, {4, 2, 5})), "(4, 32, 5)");
  EXPECT_EQ(Py(ops::InferMatMulShape({kNone, kNone}, {kNone, 5})), "(None, 5)");
  EXPECT_EQ(Py(ops::InferMatMulShape({2, kNone}, {kNone, 5}, true)),
            "(None, 5)");
  const Error e = ErrorOf([] {
    ops::InferMatMulShape({kNone, 32, 2}, {kNone, 3, 1200});
  });
  EXPECT_EQ(e.kind, ErrorKind::kMatMulSizeIncompatible);
  EXPECT_EQ(e.shapes, (std::vector<Shape>{{-1, 32, 2}, {-1, 3, 1200}}));
  EXPECT_EQ(e.failing_axes, (std::vector<int>{2, 1}));
  EXPECT_EQ(ErrorOf([] {
              ops::InferMatMulShape({3, 32, 2}, {4, 2, 5});
            }).kind,
            ErrorKind::kBatchMatMulBatchDims);
}

TEST(ShapeInferenceTest, SoftmaxAndReduce) {
  using ops::ReduceOp;
  EXPECT_EQ(Py(ops::InferSoftmaxShape({kNone, 3, 4})), "(None, 3, 4)");
  EXPECT_EQ(Py(ops::InferReduceShape(ReduceOp::kSum, {kNone, 3, 4},
                                     std::vector<int>{1}, false)
                   .shape),
            "(None, 4)");
  EXPECT_EQ(Py(ops::InferReduceShape(ReduceOp::kMean, {kNone, 3, 4},
                                     std::vector<int>{0}, true)
                   .shape),
            "(1, 3, 4)");
  EXPECT_EQ(
      Py(ops::InferReduceShape(ReduceOp::kMax, {kNone, 3}, std::nullopt, false)
             .shape),
      "()");
}

TEST(ShapeInferenceTest, WhereCumSumArgMax) {
  EXPECT_EQ(Py(ops::InferWhereShape({kNone, 1}, {kNone, 3}, {})), "(None, 3)");
  EXPECT_EQ(Py(ops::InferWhereShape({1}, {kNone, 1}, {4, 5})), "(4, 5)");
  const Error e = ErrorOf([] {
    ops::InferWhereShape({kNone, 2}, {kNone, 3}, {});
  });
  EXPECT_EQ(e.kind, ErrorKind::kSelectNotBroadcastable);
  EXPECT_EQ(e.failing_axes, (std::vector<int>{1, 1, -1}));
  EXPECT_EQ(Py(ops::InferCumSumShape({kNone, 3}, -1)), "(None, 3)");
  EXPECT_EQ(Py(ops::InferArgMaxShape({kNone, 3, 4}, 1)), "(None, 4)");
  // An unknown size along the axis could be 0 or not: no error.
  EXPECT_EQ(Py(ops::InferArgMaxShape({kNone, 3}, 0)), "(3,)");
  EXPECT_EQ(ErrorOf([] {
              ops::InferArgMaxShape({kNone, 0}, 1);
            }).kind,
            ErrorKind::kArgMaxEmpty);
}

TEST(ShapeInferenceTest, ConcatAndStack) {
  // Concat on axis 1 of (None, 32, 2) and (None, 1200, 2): fine.
  EXPECT_EQ(Py(ops::InferConcatShape({{kNone, 32, 2}, {kNone, 1200, 2}}, 1)),
            "(None, 1232, 2)");
  EXPECT_EQ(Py(ops::InferConcatShape({{kNone, 32, 2}, {4, kNone, 2}}, 1)),
            "(4, None, 2)");
  // On axis 0 (or 2) the 32 and 1200 must agree: the op's error.
  const Error e = ErrorOf([] {
    ops::InferConcatShape({{kNone, 32, 2}, {kNone, 1200, 2}}, 0);
  });
  EXPECT_EQ(e.kind, ErrorKind::kConcatDim);
  EXPECT_EQ(e.ints, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(e.shapes, (std::vector<Shape>{{-1, 32, 2}, {-1, 1200, 2}}));
  EXPECT_EQ(Py(ops::InferConcatShape({{kNone, 3}}, 5)), "(None, 3)");

  const std::vector<DType> f32x2(2, DType::kFloat32);
  EXPECT_EQ(Py(ops::InferStackShape({{kNone, 3}, {4, 3}}, f32x2, 1)),
            "(4, 2, 3)");
  EXPECT_EQ(Py(ops::InferStackShape({{kNone, 3}, {kNone, 3}}, f32x2, 0)),
            "(2, None, 3)");
  EXPECT_EQ(ErrorOf([&] {
              ops::InferStackShape({{kNone, 3}, {4, 5}}, f32x2, 1);
            }).kind,
            ErrorKind::kPackShapes);
}

TEST(ShapeInferenceTest, ExpandDimsSqueezeTransposeTile) {
  EXPECT_EQ(Py(ops::InferExpandDimsShape({kNone, 3}, 1)), "(None, 1, 3)");
  EXPECT_EQ(Py(ops::InferExpandDimsShape({kNone, 3}, -1)), "(None, 3, 1)");
  // An unknown dim could be 1: squeezing it is not an error.
  EXPECT_EQ(Py(ops::InferSqueezeShape({kNone, kNone, 3}, {1})), "(None, 3)");
  EXPECT_EQ(Py(ops::InferSqueezeShape({kNone, 1, 3}, {})), "(None, 3)");
  const Error e = ErrorOf([] { ops::InferSqueezeShape({kNone, 1, 3}, {2}); });
  EXPECT_EQ(e.kind, ErrorKind::kSqueezeNotOne);
  EXPECT_EQ(e.ints, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(
      Py(ops::InferTransposeShape({kNone, 3, 4}, std::vector<int64_t>{1, 0, 2})
             .shape),
      "(3, None, 4)");
  EXPECT_EQ(Py(ops::InferTransposeShape({kNone, 3}, std::nullopt).shape),
            "(3, None)");
  EXPECT_EQ(Py(ops::InferTileShape({kNone, 3}, {2, 3})), "(None, 9)");
  EXPECT_EQ(Py(ops::InferTileShape({kNone, 3}, {0, 1})), "(0, 3)");
}

TEST(ShapeInferenceTest, PadBandPartGatherSplit) {
  EXPECT_EQ(Py(ops::InferPadShape({kNone, 3}, {2, 2}, {0, 0, 1, 2}, "Pad")),
            "(None, 6)");
  EXPECT_EQ(Py(ops::InferBandPartShape({kNone, 4, 4}, -1, 0)), "(None, 4, 4)");
  // num_lower 9 against unknown rows: could be fine.
  EXPECT_EQ(Py(ops::InferBandPartShape({kNone, kNone}, 9, 0)), "(None, None)");
  EXPECT_EQ(Py(ops::InferGatherShape({kNone, 5, 3}, {kNone, 2}, 1)),
            "(None, None, 2, 3)");
  EXPECT_EQ(Py(ops::InferSplitShape({kNone, 6}, 3, 1)), "(None, 2)");
  EXPECT_EQ(Py(ops::InferSplitShape({kNone, 6}, 4, 0)), "(None, 6)");
  const auto parts = ops::InferSplitVShapes({kNone, 6}, {1, -1}, 0);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(Py(parts[0]), "(1, 6)");
  EXPECT_EQ(Py(parts[1]), "(None, 6)");
  const auto known = ops::InferSplitVShapes({kNone, 6}, {1, -1, 2}, 1);
  EXPECT_EQ(Py(known[1]), "(None, 3)");
}

ops::SliceItem Index(int64_t i) {
  ops::SliceItem it;
  it.index = i;
  return it;
}
ops::SliceItem Range(std::optional<int64_t> start, std::optional<int64_t> stop,
                     std::optional<int64_t> step = std::nullopt) {
  ops::SliceItem it;
  it.kind = ops::SliceItem::Kind::kRange;
  it.start = start;
  it.stop = stop;
  it.step = step;
  return it;
}
ops::SliceItem Item(ops::SliceItem::Kind kind) {
  ops::SliceItem it;
  it.kind = kind;
  return it;
}

// TF 2.21: an unknown dim slices to an unknown size (1 when indexed).
TEST(ShapeInferenceTest, StridedSliceUnknownDims) {
  using K = ops::SliceItem::Kind;
  auto shape = [](const PartialShape& x,
                  const std::vector<ops::SliceItem>& it) {
    return Py(ops::InferStridedSlice(x, it, "strided_slice/").shape);
  };
  EXPECT_EQ(shape({kNone, kNone}, {Range({}, {}), Range(1, 3)}),
            "(None, None)");
  EXPECT_EQ(shape({kNone, 3}, {Index(0)}), "(3,)");
  EXPECT_EQ(shape({kNone, 3}, {Index(5)}), "(3,)");
  EXPECT_EQ(shape({kNone, 3}, {Index(-1)}), "(3,)");
  EXPECT_EQ(shape({kNone, 5},
                  {Item(K::kEllipsis), Item(K::kNewAxis), Range({}, {}, 2)}),
            "(None, 1, 3)");
  const Error e = ErrorOf([] {
    ops::InferStridedSlice({kNone, 3}, {Range({}, {}), Index(5)},
                           "strided_slice/");
  });
  EXPECT_EQ(e.kind, ErrorKind::kSliceOutOfBounds);
  EXPECT_EQ(e.ints, (std::vector<int64_t>{5, 1, 3}));
}

TEST(ShapeInferenceTest, ReshapeWithUnknownInput) {
  EXPECT_EQ(Py(ops::InferReshapeShape({kNone, 2, 3}, {-1, 6})), "(None, 6)");
  EXPECT_EQ(Py(ops::InferReshapeShape({kNone, 2, 3}, {-1, 4})), "(None, 4)");
  EXPECT_EQ(Py(ops::InferReshapeShape({2, kNone}, {-1, 3, 2})), "(None, 3, 2)");
  EXPECT_EQ(Py(ops::InferReshapeShape({kNone, 2}, {4, 5})), "(4, 5)");
  // Checks that need no input size still apply.
  EXPECT_EQ(ErrorOf([] {
              ops::InferReshapeShape({kNone, 2}, {-1, -1});
            }).kind,
            ErrorKind::kReshapeTwoUnknown);
  EXPECT_EQ(ErrorOf([] { ops::InferReshapeShape({kNone}, {-2}); }).kind,
            ErrorKind::kReshapeNegativeDim);
  // Known input: -1 inferred as the op does.
  EXPECT_EQ(Py(ops::InferReshapeShape({4, 0, 3}, {0, -1})), "(0, 12)");
}

// ---- Known dims: the same Error as the op ---------------------------------

TEST(ShapeInferenceTest, ErrorsEqualTheOpsErrors) {
  using ops::BinaryOp;
  using ops::ReduceOp;
  const Tensor x23 = Zf({2, 3}), x43 = Zf({4, 3}), x234 = Zf({2, 3, 4});
  const Tensor scalar = Zf({});
  auto same = [](const std::function<void()>& op,
                 const std::function<void()>& inference) {
    SCOPED_TRACE(ErrorOf(op).Message());
    ExpectSameError(op, inference);
  };
  // Binary.
  same([&] { ops::Binary(BinaryOp::kAdd, x23, x43, "n"); },
       [&] {
         ops::InferBinaryShape(BinaryOp::kAdd, P({2, 3}), P({4, 3}), "n");
       });
  same(
      [&] {
        ops::Binary(BinaryOp::kLess, Zf({5, 1, 3}), Zf({2, 2}));
      },
      [&] {
        ops::InferBinaryShape(BinaryOp::kLess, P({5, 1, 3}), P({2, 2}));
      });
  // MatMul / BatchMatMulV2.
  const std::vector<std::pair<Shape, Shape>> matmul_cases = {
      {{2, 3}, {2, 3}},          {{2, 3}, {4, 3, 2}},
      {{2, 3, 4}, {3}},          {{3}, {3, 2}},
      {{2, 3, 4}, {3, 5, 6}},    {{5, 2, 3}, {2, 4}},
      {{3, 2, 3, 4}, {2, 4, 5}}, {{2, 3}, {3, 2, 2}}};
  for (const auto& shapes : matmul_cases) {
    // Named copies: a lambda cannot capture a structured binding in C++17.
    const Shape& a = shapes.first;
    const Shape& b = shapes.second;
    for (int t = 0; t < 4; ++t) {
      const bool ta = t & 1, tb = t & 2;
      const Tensor ta_ = Zf(a), tb_ = Zf(b);
      if (ErrorOf([&] { ops::MatMul(ta_, tb_, ta, tb); }).text == "no error") {
        EXPECT_EQ(ops::MatMul(ta_, tb_, ta, tb).shape(),
                  ToShape(ops::InferMatMulShape(P(a), P(b), ta, tb)));
        continue;
      }
      same([&] { ops::MatMul(ta_, tb_, ta, tb); },
           [&] { ops::InferMatMulShape(P(a), P(b), ta, tb); });
    }
  }
  // SelectV2.
  const Tensor c21 = Bool({2, 1}, {1, 0});
  same(
      [&] {
        ops::Where(Bool({2}, {1, 0}), x23, x23);
      },
      [&] {
        ops::InferWhereShape(P({2}), P({2, 3}), P({2, 3}));
      });
  same([&] { ops::Where(c21, x23, x43); },
       [&] {
         ops::InferWhereShape(P({2, 1}), P({2, 3}), P({4, 3}));
       });
  // Cumsum, ArgMax.
  same([&] { ops::CumSum(x23, 2); },
       [&] {
         ops::InferCumSumShape(P({2, 3}), 2);
       });
  same([&] { ops::CumSum(x23, -3); },
       [&] {
         ops::InferCumSumShape(P({2, 3}), -3);
       });
  same([&] { ops::ArgMax(x23, -3); },
       [&] {
         ops::InferArgMaxShape(P({2, 3}), -3);
       });
  same(
      [&] {
        ops::ArgMax(Zf({2, 0}), 1);
      },
      [&] {
        ops::InferArgMaxShape(P({2, 0}), 1);
      });
  // Pad, MatrixBandPart, GatherV2, Split, SplitV.
  const Tensor pads = I32({2, 2}, {0, 0, -1, 2});
  same([&] { ops::Pad(x23, pads); },
       [&] {
         ops::InferPadShape(P({2, 3}), P({2, 2}), {0, 0, -1, 2}, "Pad");
       });
  same(
      [&] {
        ops::Pad(x23, I32({3, 2}, {0, 0, 0, 0, 0, 0}));
      },
      [&] {
        ops::InferPadShape(P({2, 3}), P({3, 2}), {}, "Pad");
      });
  same(
      [&] {
        ops::Pad(x23, I32({4}, {0, 0, 0, 0}), 1);
      },
      [&] {
        ops::InferPadShape(P({2, 3}), P({4}), {}, "PadV2");
      });
  same([&] { ops::BandPart(Zf({3}), 0, 0); },
       [&] { ops::InferBandPartShape(P({3}), 0, 0); });
  same([&] { ops::BandPart(x23, 3, 0); },
       [&] {
         ops::InferBandPartShape(P({2, 3}), 3, 0);
       });
  same([&] { ops::BandPart(x23, 0, 4); },
       [&] {
         ops::InferBandPartShape(P({2, 3}), 0, 4);
       });
  const Tensor idx = I32({}, {0});
  same([&] { ops::Gather(scalar, idx, 0); },
       [&] { ops::InferGatherShape(P({}), P({}), 0); });
  same([&] { ops::Gather(x23, idx, -3); },
       [&] {
         ops::InferGatherShape(P({2, 3}), P({}), -3);
       });
  same([&] { ops::Gather(x23, I32({1}, {0}), 2); },
       [&] {
         ops::InferGatherShape(P({2, 3}), P({1}), 2);
       });
  for (const int64_t n : {0, -1, 2}) {
    for (const int64_t axis : {1, 2}) {
      same([&] { ops::Split(x23, n, axis); },
           [&] {
             ops::InferSplitShape(P({2, 3}), n, axis);
           });
    }
  }
  for (const std::vector<int64_t>& sizes : std::vector<std::vector<int64_t>>{
           {2}, {-1, -1}, {1, 1}, {4, -1}, {5, -2}, {-1, 5, -2}}) {
    same([&] { ops::SplitV(x23, sizes, 1); },
         [&] {
           ops::InferSplitVShapes(P({2, 3}), sizes, 1);
         });
  }
  same(
      [&] {
        ops::SplitV(x23, {1, 2}, 2);
      },
      [&] {
        ops::InferSplitVShapes(P({2, 3}), {1, 2}, 2);
      });
  // StridedSlice.
  using K = ops::SliceItem::Kind;
  for (const std::vector<ops::SliceItem>& items :
       std::vector<std::vector<ops::SliceItem>>{
           {Index(2)},
           {Range({}, {}), Index(-4)},
           {Index(0), Index(0), Index(0)},
           {Range(0, 1, 0)},
           {Item(K::kEllipsis), Item(K::kEllipsis)}}) {
    same([&] { ops::StridedSlice(x23, items, "outer/strided_slice/"); },
         [&] {
           ops::InferStridedSlice(P({2, 3}), items, "outer/strided_slice/");
         });
  }
  same([&] { ops::StridedSlice(scalar, {Index(0)}); },
       [&] { ops::InferStridedSlice(P({}), {Index(0)}, "strided_slice/"); });
  // Softmax, Reduce.
  same([&] { ops::Softmax(scalar); }, [&] { ops::InferSoftmaxShape({}); });
  same([&] { ops::Softmax(x23, 2); },
       [&] {
         ops::InferSoftmaxShape(P({2, 3}), 2);
       });
  same([&] { ops::Reduce(ReduceOp::kSum, x23, std::vector<int>{2}, false); },
       [&] {
         ops::InferReduceShape(ReduceOp::kSum, P({2, 3}), std::vector<int>{2},
                               false);
       });
  same(
      [&] {
        ops::Reduce(ReduceOp::kMax, x23, std::vector<int>{1, -1}, false);
      },
      [&] {
        ops::InferReduceShape(ReduceOp::kMax, P({2, 3}),
                              std::vector<int>{1, -1}, false);
      });
  // Concat, Stack.
  same(
      [&] {
        ops::Concat({x23, x43}, 1);
      },
      [&] {
        ops::InferConcatShape({P({2, 3}), P({4, 3})}, 1);
      });
  same(
      [&] {
        ops::Concat({x23, x234}, 0);
      },
      [&] {
        ops::InferConcatShape({P({2, 3}), P({2, 3, 4})}, 0);
      });
  same(
      [&] {
        ops::Concat({x23, x23}, 2);
      },
      [&] {
        ops::InferConcatShape({P({2, 3}), P({2, 3})}, 2);
      });
  same(
      [&] {
        ops::Concat({scalar, scalar}, 0);
      },
      [&] {
        ops::InferConcatShape({P({}), P({})}, 0);
      });
  const std::vector<DType> f32x2(2, DType::kFloat32);
  same(
      [&] {
        ops::Stack({x23, x43}, 0);
      },
      [&] {
        ops::InferStackShape({P({2, 3}), P({4, 3})}, f32x2, 0);
      });
  same(
      [&] {
        ops::Stack({x23, x23}, 3);
      },
      [&] {
        ops::InferStackShape({P({2, 3}), P({2, 3})}, f32x2, 3);
      });
  // ExpandDims, Squeeze, Reshape, Transpose, Tile.
  same([&] { ops::ExpandDims(x23, 3); },
       [&] {
         ops::InferExpandDimsShape(P({2, 3}), 3);
       });
  same([&] { ops::Squeeze(x23, {0}); },
       [&] {
         ops::InferSqueezeShape(P({2, 3}), {0});
       });
  same([&] { ops::Squeeze(x23, {-3}); },
       [&] {
         ops::InferSqueezeShape(P({2, 3}), {-3});
       });
  for (const std::vector<int64_t>& sizes : std::vector<std::vector<int64_t>>{
           {-1, -1}, {-2, 3}, {4, -1}, {5}, {1LL << 62, 1LL << 62}}) {
    same([&] { ops::Reshape(x23, sizes); },
         [&] {
           ops::InferReshapeShape(P({2, 3}), sizes);
         });
  }
  for (const std::vector<int64_t>& perm :
       std::vector<std::vector<int64_t>>{{0}, {0, 2}, {1, 1}, {-3, 0}}) {
    same([&] { ops::Transpose(x23, perm); },
         [&] {
           ops::InferTransposeShape(P({2, 3}), perm);
         });
  }
  same([&] { ops::Tile(x23, {2}); },
       [&] {
         ops::InferTileShape(P({2, 3}), {2});
       });
  same(
      [&] {
        ops::Tile(x23, {1, -1});
      },
      [&] {
        ops::InferTileShape(P({2, 3}), {1, -1});
      });
}

// The ops whose shapes are their operand's, broadcast without an error, or
// asked for by value; the composed attention pass; the 1-D windows.
TEST(ShapeInferenceTest, UnaryEqualityAndMakeShape) {
  EXPECT_EQ(Py(ops::InferUnaryShape({kNone, 3})), "(None, 3)");
  EXPECT_EQ(ops::Unary(ops::UnaryOp::kExp, Zf({2, 3})).shape(), Shape({2, 3}));
  EXPECT_EQ(Py(ops::InferEqualityShape({kNone, 3}, {1, 3})), "(None, 3)");
  // Shapes that cannot broadcast compare unequal as a whole: a scalar.
  EXPECT_EQ(Py(ops::InferEqualityShape(P({32, 2}), P({1200, 2}))), "()");
  EXPECT_EQ(ops::EqualityOperator(Zf({32, 2}), Zf({1200, 2}), false).shape(),
            Shape{});
  EXPECT_EQ(Py(ops::InferMakeShape({2, 0, 4}, "Fill")), "(2, 0, 4)");
  ExpectSameError(
      [] {
        ops::Fill({2, -1}, 0.0, DType::kFloat32);
      },
      [] {
        ops::InferMakeShape({2, -1}, "Fill");
      });
}

TEST(ShapeInferenceTest, DotAttentionComposesItsThreeOps) {
  const ops::DotAttentionInference s = ops::InferDotAttentionShapes(
      {kNone, 32, 8}, {kNone, 1200, 8}, {kNone, 1200, 4}, true);
  EXPECT_EQ(Py(s.scores), "(None, 32, 1200)");
  EXPECT_EQ(Py(s.output), "(None, 32, 4)");
  const ops::AttentionTensors r = ops::DotAttention(
      Zf({1, 32, 8}), Zf({1, 1200, 8}), Zf({1, 1200, 4}), true);
  EXPECT_EQ(r.scores.shape(), Shape({1, 32, 1200}));
  EXPECT_EQ(r.output.shape(), Shape({1, 32, 4}));
  // The article's mistake: the first MatMul's error.
  ExpectSameError(
      [] {
        ops::DotAttention(Zf({1, 32, 2}), Zf({1, 1200, 3}), Zf({1, 1200, 3}),
                          true);
      },
      [] {
        ops::InferDotAttentionShapes(P({1, 32, 2}), P({1, 1200, 3}),
                                     P({1, 1200, 3}), true);
      });
}

TEST(ShapeInferenceTest, Conv1DAndPool1D) {
  EXPECT_EQ(Py(ops::InferConv1DShape({kNone, kNone, 8}, {4, 8, 16}, 1, 1,
                                     /*same_padding=*/true)),
            "(None, None, 16)");
  EXPECT_EQ(Py(ops::InferConv1DShape({kNone, 10, 8}, {4, 8, 16}, 2, 1, false)),
            "(None, 4, 16)");
  EXPECT_EQ(ops::Conv1D(Zf({1, 10, 8}), Zf({4, 8, 16}), 2, 1, false).shape(),
            Shape({1, 4, 16}));
  EXPECT_EQ(Py(ops::InferPool1DShape({kNone, 9, 3}, 2, 2, true)),
            "(None, 5, 3)");
  EXPECT_EQ(ops::Pool1D(Zf({1, 9, 3}), 2, 2, true, true).shape(),
            Shape({1, 5, 3}));
}

}  // namespace
}  // namespace ap
