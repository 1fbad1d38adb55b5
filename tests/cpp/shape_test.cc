#include "core/shape.h"

#include <gtest/gtest.h>

#include <limits>

namespace ap {
namespace {

// TensorShape::DebugString prints without spaces; scalars as [].
TEST(ShapeTest, TfStringHasNoSpaces) {
  EXPECT_EQ(ShapeToTfString({32, 2}), "[32,2]");
  EXPECT_EQ(ShapeToTfString({}), "[]");
}

// Python tuple reprs, including the one-element trailing comma.
TEST(ShapeTest, PyStringIsTupleRepr) {
  EXPECT_EQ(ShapeToPyString({1, 32, 2}), "(1, 32, 2)");
  EXPECT_EQ(ShapeToPyString({5}), "(5,)");
  EXPECT_EQ(ShapeToPyString({}), "()");
}

// Numpy broadcasting aligns from the right and reports the failing axis.
TEST(ShapeTest, BroadcastAlignsRight) {
  EXPECT_EQ(*BroadcastShapes({1, 32, 1}, {1200}), (Shape{1, 32, 1200}));
  int axis = -1;
  EXPECT_FALSE(BroadcastShapes({32, 2}, {1200, 2}, &axis));
  EXPECT_EQ(axis, 0);
}

// Absurd shapes must not wrap around.
TEST(ShapeTest, NumElementsDetectsOverflow) {
  const int64_t big = std::numeric_limits<int64_t>::max() / 2;
  EXPECT_FALSE(CheckedNumElements({big, 3}));
  EXPECT_EQ(*CheckedNumElements({0, big, big}), 0);
}

}  // namespace
}  // namespace ap
