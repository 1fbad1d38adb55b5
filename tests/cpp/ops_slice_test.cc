#include <gtest/gtest.h>

#include "ops_test_util.h"

namespace ap {
namespace {

using namespace ap::testing;  // NOLINT
using Item = ops::SliceItem;
using Kind = ops::SliceItem::Kind;

Item Idx(int64_t i) {
  Item it;
  it.kind = Kind::kIndex;
  it.index = i;
  return it;
}
Item Rng(std::optional<int64_t> start, std::optional<int64_t> stop,
         std::optional<int64_t> step = std::nullopt) {
  Item it;
  it.kind = Kind::kRange;
  it.start = start;
  it.stop = stop;
  it.step = step;
  return it;
}
Item NewAxis() {
  Item it;
  it.kind = Kind::kNewAxis;
  return it;
}
Item Ellipsis() {
  Item it;
  it.kind = Kind::kEllipsis;
  return it;
}

// 0..n-1 as float, in the given shape.
Tensor Iota(const Shape& shape) {
  Tensor t = Tensor::Zeros(DType::kFloat32, shape);
  for (int64_t i = 0; i < t.num_elements(); ++i) t.f32()[i] = float(i);
  return t;
}

// x[1] drops the axis; x[-1] counts from the end.
TEST(OpsSliceTest, IntegerIndex) {
  Tensor x = Iota({3, 2});
  Tensor r = ops::StridedSlice(x, {Idx(1)});
  EXPECT_EQ(r.shape(), (Shape{2}));
  EXPECT_EQ(Values(r), (std::vector<double>{2, 3}));
  EXPECT_EQ(Values(ops::StridedSlice(x, {Idx(-1)})),
            (std::vector<double>{4, 5}));
  Tensor s = ops::StridedSlice(x, {Idx(2), Idx(0)});
  EXPECT_EQ(s.shape(), Shape{});
  EXPECT_EQ(Values(s), (std::vector<double>{4}));
}

// x[:, :32] keeps axes and clamps the stop.
TEST(OpsSliceTest, RangesClamp) {
  Tensor x = Iota({2, 3});
  Tensor r = ops::StridedSlice(x, {Rng({}, {}), Rng({}, 32)});
  EXPECT_EQ(r.shape(), (Shape{2, 3}));
  EXPECT_EQ(Values(r), Values(x));
  Tensor s = ops::StridedSlice(x, {Rng({}, {}), Rng(1, {})});
  EXPECT_EQ(s.shape(), (Shape{2, 2}));
  EXPECT_EQ(Values(s), (std::vector<double>{1, 2, 4, 5}));
  Tensor n = ops::StridedSlice(x, {Rng(-1, {})});
  EXPECT_EQ(n.shape(), (Shape{1, 3}));
  EXPECT_EQ(Values(n), (std::vector<double>{3, 4, 5}));
  // Empty ranges give a zero-size axis, not an error.
  EXPECT_EQ(ops::StridedSlice(x, {Rng(5, 9)}).shape(), (Shape{0, 3}));
  EXPECT_EQ(ops::StridedSlice(x, {Rng(2, 1)}).shape(), (Shape{0, 3}));
}

// Steps, including negative steps (x[::-1], x[::2], x[3:0:-2]).
TEST(OpsSliceTest, Steps) {
  Tensor x = Iota({5});
  EXPECT_EQ(Values(ops::StridedSlice(x, {Rng({}, {}, -1)})),
            (std::vector<double>{4, 3, 2, 1, 0}));
  EXPECT_EQ(Values(ops::StridedSlice(x, {Rng({}, {}, 2)})),
            (std::vector<double>{0, 2, 4}));
  EXPECT_EQ(Values(ops::StridedSlice(x, {Rng(3, 0, -2)})),
            (std::vector<double>{3, 1}));
  EXPECT_EQ(Values(ops::StridedSlice(x, {Rng(-1, -6, -1)})),
            (std::vector<double>{4, 3, 2, 1, 0}));
  EXPECT_EQ(Values(ops::StridedSlice(x, {Rng(10, {}, -3)})),
            (std::vector<double>{4, 1}));
  EXPECT_EQ(Values(ops::StridedSlice(x, {Rng(1, 4, 5)})),
            (std::vector<double>{1}));
}

// x[..., None], x[None], and ellipsis in the middle.
TEST(OpsSliceTest, NewAxisAndEllipsis) {
  Tensor x = Iota({2, 3});
  EXPECT_EQ(ops::StridedSlice(x, {Ellipsis(), NewAxis()}).shape(),
            (Shape{2, 3, 1}));
  EXPECT_EQ(ops::StridedSlice(x, {NewAxis()}).shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(ops::StridedSlice(x, {Rng({}, {}), NewAxis()}).shape(),
            (Shape{2, 1, 3}));
  Tensor y = Iota({2, 3, 4});
  Tensor last = ops::StridedSlice(y, {Ellipsis(), Idx(1)});
  EXPECT_EQ(last.shape(), (Shape{2, 3}));
  EXPECT_EQ(Values(last), (std::vector<double>{1, 5, 9, 13, 17, 21}));
  Tensor mid = ops::StridedSlice(y, {Idx(1), Ellipsis(), Idx(0)});
  EXPECT_EQ(mid.shape(), (Shape{3}));
  EXPECT_EQ(Values(mid), (std::vector<double>{12, 16, 20}));
  EXPECT_EQ(ops::StridedSlice(y, {Ellipsis()}).shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(Values(ops::StridedSlice(Iota({}), {NewAxis()})),
            (std::vector<double>{0}));
}

// An index out of range raises StridedSlice's message with name
// "strided_slice/" (the eager name scope of Python's _slice_helper).
TEST(OpsSliceTest, OutOfBoundsMessages) {
  Tensor x = Iota({3, 2});
  Error e = ErrorOf([&] { ops::StridedSlice(x, {Idx(3)}); });
  EXPECT_EQ(e.Message(),
            Eager("StridedSlice", "slice index 3 of dimension 0 out of bounds.",
                  "strided_slice/"));
  EXPECT_EQ(e.failing_axes, (std::vector<int>{0}));
  // A negative index prints after adding the dim (-4 + 3 = -1).
  EXPECT_EQ(ErrorOf([&] { ops::StridedSlice(x, {Idx(-4)}); }).KernelMessage(),
            "slice index -1 of dimension 0 out of bounds.");
  EXPECT_EQ(ErrorOf([&] {
              ops::StridedSlice(x, {Rng({}, {}), Idx(2)});
            }).KernelMessage(),
            "slice index 2 of dimension 1 out of bounds.");
  EXPECT_EQ(ErrorOf([&] {
              ops::StridedSlice(x, {Idx(0), Idx(0), Idx(0)});
            }).Message(),
            Eager("StridedSlice",
                  "Index out of range using input dim 2; input has "
                  "only 2 dims",
                  "strided_slice/"));
  EXPECT_EQ(
      ErrorOf([&] { ops::StridedSlice(x, {Rng({}, {}, 0)}); }).Message(),
      Eager("StridedSlice", "strides[0] must be non-zero", "strided_slice/"));
  EXPECT_EQ(ErrorOf([&] {
              ops::StridedSlice(x, {Ellipsis(), Ellipsis()});
            }).Message(),
            Eager("StridedSlice", "Multiple ellipses in slice spec not allowed",
                  "strided_slice/"));
  // A scalar takes only None and ...
  EXPECT_EQ(ErrorOf([&] {
              ops::StridedSlice(Zf({}), {Ellipsis(), Idx(0)});
            }).Message(),
            Eager("StridedSlice", "Attempting to slice scalar input.",
                  "strided_slice/"));
  EXPECT_EQ(ErrorOf([&] {
              ops::StridedSlice(Zf({}), {Rng({}, {}, 0)});
            }).KernelMessage(),
            "Attempting to slice scalar input.");
  // The caller may pass the scoped name.
  EXPECT_EQ(ErrorOf([&] {
              ops::StridedSlice(x, {Idx(9)}, "outer/strided_slice/");
            }).op_name,
            "outer/strided_slice/");
}

// Slicing keeps the dtype.
TEST(OpsSliceTest, KeepsDType) {
  Tensor b = Bool({3}, {1, 0, 1});
  Tensor r = ops::StridedSlice(b, {Rng(1, {})});
  EXPECT_EQ(r.dtype(), DType::kBool);
  EXPECT_EQ(Values(r), (std::vector<double>{0, 1}));
  Tensor i =
      ops::StridedSlice(I32({2, 2}, {1, 2, 3, 4}), {Rng({}, {}), Idx(1)});
  EXPECT_EQ(Values(i), (std::vector<double>{2, 4}));
}

}  // namespace
}  // namespace ap
