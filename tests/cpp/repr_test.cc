#include "core/repr.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/ops/ops.h"

namespace ap {
namespace {

Tensor FloatTensor(Shape shape, std::vector<float> values) {
  Tensor t = Tensor::Zeros(DType::kFloat32, std::move(shape));
  for (size_t i = 0; i < values.size(); ++i) t.f32()[i] = values[i];
  return t;
}

// Python float repr: shortest round trip, scientific outside [1e-4, 1e16).
TEST(ReprTest, PyFloatIsShortestRoundTrip) {
  EXPECT_EQ(FormatPyFloat(0.1), "0.1");
  EXPECT_EQ(FormatPyFloat(1.0), "1.0");
  EXPECT_EQ(FormatPyFloat(1e-9), "1e-09");
  EXPECT_EQ(FormatPyFloat(1e16), "1e+16");
  EXPECT_EQ(FormatPyFloat(123.5), "123.5");
  EXPECT_EQ(FormatPyFloat(-0.0001), "-0.0001");
  EXPECT_EQ(FormatPyFloat(0.0), "0.0");
}

// Strings pick the quote CPython picks and escape control characters.
TEST(ReprTest, StringRepr) {
  EXPECT_EQ(PyStringRepr("q,v,k"), "'q,v,k'");
  EXPECT_EQ(PyStringRepr("it's"), "\"it's\"");
  EXPECT_EQ(PyStringRepr("a\nb"), "'a\\nb'");
}

// Containers, tuples of one, shapes and dtypes print as in Python/TF.
TEST(ReprTest, Containers) {
  EXPECT_EQ(Repr(Value::List({Value::Int(1), Value::Str("a"), Value::None()})),
            "[1, 'a', None]");
  EXPECT_EQ(Repr(Value::Tuple({Value::Int(5)})), "(5,)");
  EXPECT_EQ(Str(Value::FromShape({1, 32, 2})), "(1, 32, 2)");
  EXPECT_EQ(Repr(Value::FromDType(DType::kFloat32)), "tf.float32");
  EXPECT_EQ(Str(Value::FromDType(DType::kBool)), "<dtype: 'bool'>");
}

// A list that contains itself prints [...] instead of recursing forever.
TEST(ReprTest, SelfContainingList) {
  ContainerArena arena;  // frees the cycle at the end of the test
  ContainerArenaScope scope(&arena);
  Value list = Value::List({Value::Int(1)});
  list.items().push_back(list);
  EXPECT_EQ(Repr(list), "[1, [...]]");
}

// numpy pads floats to a common width and drops trailing zeros ("1.").
TEST(ReprTest, NumpyFloatArrays) {
  EXPECT_EQ(NumpyRepr(FloatTensor({2}, {1.0f, 0.25f})),
            "array([1.  , 0.25], dtype=float32)");
  EXPECT_EQ(NumpyStr(FloatTensor({2, 2}, {1, 1, 1, 1})), "[[1. 1.]\n [1. 1.]]");
  EXPECT_EQ(TensorStr(FloatTensor({2}, {1, 1})),
            "tf.Tensor([1. 1.], shape=(2,), dtype=float32)");
  EXPECT_EQ(TensorRepr(FloatTensor({2, 2}, {1, 2, 3, 4})),
            "<tf.Tensor: shape=(2, 2), dtype=float32, numpy=\n"
            "array([[1., 2.],\n       [3., 4.]], dtype=float32)>");
  EXPECT_EQ(TensorRepr(Tensor::ScalarF32(1.0f)),
            "<tf.Tensor: shape=(), dtype=float32, numpy=1.0>");
}

// Bool arrays pad True to the width of False; int32 shows its dtype.
TEST(ReprTest, NumpyBoolAndIntArrays) {
  Tensor b = Tensor::Zeros(DType::kBool, {3});
  b.b8()[0] = 1;
  EXPECT_EQ(NumpyRepr(b), "array([ True, False, False])");
  Tensor i = Tensor::Zeros(DType::kInt32, {3});
  i.i32()[0] = 10;
  EXPECT_EQ(NumpyRepr(i), "array([10,  0,  0], dtype=int32)");
}

// Past 1000 elements numpy shows the first and last three per axis.
TEST(ReprTest, NumpySummarisesLargeArrays) {
  Tensor t = Tensor::Zeros(DType::kInt32, {2000});
  EXPECT_EQ(NumpyStr(t), "[0 0 0 ... 0 0 0]");
}

// Expected texts below are NumPy 2.4.6 / TF 2.21's own output.

// " True" keeps its pad with no False beside it; 0-d bools have none.
TEST(ReprTest, NumpyBoolPadsTrueInEveryArray) {
  Tensor b = Tensor::Zeros(DType::kBool, {1, 1});
  b.b8()[0] = 1;
  EXPECT_EQ(NumpyRepr(b), "array([[ True]])");
  EXPECT_EQ(TensorRepr(Tensor::ScalarBool(true)),
            "<tf.Tensor: shape=(), dtype=bool, numpy=True>");
}

// Line width 75 counts the "array(" prefix and leaves room for ")" or the
// separator; each nesting level takes one more column.
TEST(ReprTest, NumpyWrapsCountingThePrefix) {
  std::vector<float> tenths(16, 0.1f);
  EXPECT_EQ(NumpyRepr(FloatTensor({16}, tenths)),
            "array([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, "
            "0.1, 0.1,\n       0.1, 0.1, 0.1], dtype=float32)");
  EXPECT_EQ(NumpyRepr(FloatTensor({1, 1, 16}, tenths)),
            "array([[[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, "
            "0.1,\n         0.1, 0.1, 0.1, 0.1]]], dtype=float32)");
}

// Summarised arrays name their shape, which the text no longer shows.
TEST(ReprTest, NumpySummarisedReprShowsShape) {
  EXPECT_EQ(NumpyRepr(Tensor::Zeros(DType::kInt32, {2000})),
            "array([0, 0, 0, ..., 0, 0, 0], shape=(2000,), dtype=int32)");
  EXPECT_EQ(NumpyRepr(Tensor::Zeros(DType::kFloat32, {1, 1200, 2})),
            "array([[[0., 0.],\n        [0., 0.],\n        [0., 0.],\n"
            "        ...,\n        [0., 0.],\n        [0., 0.],\n"
            "        [0., 0.]]], shape=(1, 1200, 2), dtype=float32)");
}

// Empty arrays: "[]", with the shape unless it is (0,).
TEST(ReprTest, NumpyEmptyArrays) {
  EXPECT_EQ(NumpyRepr(Tensor::Zeros(DType::kFloat32, {0})),
            "array([], dtype=float32)");
  EXPECT_EQ(NumpyRepr(Tensor::Zeros(DType::kFloat32, {0, 3})),
            "array([], shape=(0, 3), dtype=float32)");
  EXPECT_EQ(NumpyStr(Tensor::Zeros(DType::kBool, {2, 0})), "[]");
}

// floatmode 'maxprec': at most 8 digits after the point; scientific from
// 1e6 for float32, below 1e-4, or past a ratio of 1000, with every
// element showing as many digits as the longest.
TEST(ReprTest, NumpyFloatLayouts) {
  EXPECT_EQ(NumpyRepr(FloatTensor({2}, {100.0f, 0.123456789f})),
            "array([100.        ,   0.12345679], dtype=float32)");
  EXPECT_EQ(NumpyRepr(FloatTensor({2}, {1e6f, 1.0f})),
            "array([1.e+06, 1.e+00], dtype=float32)");
  EXPECT_EQ(NumpyRepr(FloatTensor({2}, {999999.0f, 1.0f})),
            "array([9.99999e+05, 1.00000e+00], dtype=float32)");
  EXPECT_EQ(NumpyRepr(FloatTensor({2}, {1e-5f, 1.2345678e-5f})),
            "array([9.9999997e-06, 1.2345678e-05], dtype=float32)");
  EXPECT_EQ(NumpyRepr(FloatTensor({2}, {-0.0f, 1.0f})),
            "array([-0.,  1.], dtype=float32)");
}

// nan and inf take the numbers' width, widened only as far as they need.
TEST(ReprTest, NumpyNonFinite) {
  EXPECT_EQ(NumpyRepr(FloatTensor({2}, {1.5f, NAN})),
            "array([1.5, nan], dtype=float32)");
  EXPECT_EQ(NumpyRepr(FloatTensor({3}, {INFINITY, NAN, -INFINITY})),
            "array([ inf,  nan, -inf], dtype=float32)");
}

// 0-d tensors: repr shows repr(.item()) (a Python float), str and print
// show str(np.float32), scientific from 1e6 and below 1e-4.
TEST(ReprTest, ScalarTensors) {
  EXPECT_EQ(TensorRepr(Tensor::ScalarF32(0.1f)),
            "<tf.Tensor: shape=(), dtype=float32, numpy=0.10000000149011612>");
  EXPECT_EQ(TensorStr(Tensor::ScalarF32(0.1f)),
            "tf.Tensor(0.1, shape=(), dtype=float32)");
  EXPECT_EQ(NumpyStr(Tensor::ScalarF32(1e6f)), "1e+06");
  EXPECT_EQ(NumpyStr(Tensor::ScalarF32(999999.0f)), "999999.0");
  EXPECT_EQ(NumpyStr(Tensor::ScalarF32(1e-4f)), "1e-04");
  EXPECT_EQ(NumpyStr(Tensor::ScalarF32(-0.0f)), "-0.0");
}

// f"{t}": str(array), or the Python scalar for 0-d tensors.
TEST(ReprTest, TensorFormatWithEmptySpec) {
  EXPECT_EQ(TensorFormat(FloatTensor({2}, {1, 2})), "[1. 2.]");
  EXPECT_EQ(TensorFormat(Tensor::ScalarF32(0.1f)), "0.10000000149011612");
  EXPECT_EQ(TensorFormat(Tensor::ScalarI32(3)), "3");
}

// Just above a power of two fewer values read back as it from below, so
// printf's nearest decimal may not round-trip while the next one up does.
TEST(ReprTest, ShortestDigitsNextToPowersOfTwo) {
  EXPECT_EQ(FormatFloat32Shortest(std::ldexp(1.0f, -96)), "1.2621775e-29");
  EXPECT_EQ(FormatFloat32Shortest(std::ldexp(1.0f, 87)), "1.5474251e+26");
  EXPECT_EQ(FormatPyFloat(std::ldexp(1.0, -24)), "5.960464477539063e-08");
}

// (x, x) nested n times: 2^n leaves shared by reference.
Value SharedTupleTree(int levels) {
  Value v = Value::Str("aa");
  for (int i = 0; i < levels; ++i) v = Value::Tuple({v, v});
  return v;
}

// A repr with a length cap stops early on a value whose text is exponential
// in its size (the fuzzer's `x = x + x,` loop took minutes per step), and
// what it returns starts with exactly the full text.
TEST(ReprTest, LengthCapStopsEarlyWithTheFullTextsPrefix) {
  const Value small = SharedTupleTree(8);
  const std::string full = Repr(small);
  ASSERT_GT(full.size(), 1000u);
  for (size_t cap : {size_t{0}, size_t{1}, size_t{37}, size_t{500}}) {
    const std::string capped = Repr(small, cap);
    EXPECT_GT(capped.size(), cap);
    EXPECT_EQ(capped.substr(0, cap), full.substr(0, cap)) << cap;
  }
  EXPECT_EQ(Repr(small, full.size()), full);
  const Value list = Value::List({small});
  EXPECT_EQ(Str(list, 10).substr(0, 10), Str(list).substr(0, 10));
  // 2^60 leaves: only the first ~100 characters are ever built.
  EXPECT_LT(Repr(SharedTupleTree(60), 100).size(), 200u);
}

Tensor DoubleTensor(Shape shape, std::vector<double> values) {
  Tensor t = Tensor::Zeros(DType::kFloat64, std::move(shape));
  for (size_t i = 0; i < values.size(); ++i) t.f64()[i] = values[i];
  return t;
}

Tensor Int64Tensor(Shape shape, std::vector<int64_t> values) {
  Tensor t = Tensor::Zeros(DType::kInt64, std::move(shape));
  for (size_t i = 0; i < values.size(); ++i) t.i64()[i] = values[i];
  return t;
}

// float64 prints up to 8 digits after the point (numpy's precision), with
// the dtype implied; a 0-d tensor shows the Python float's repr.
TEST(ReprTest, Float64Arrays) {
  EXPECT_EQ(TensorRepr(DoubleTensor({}, {1.0 / 3})),
            "<tf.Tensor: shape=(), dtype=float64, numpy=0.3333333333333333>");
  EXPECT_EQ(TensorStr(DoubleTensor({2}, {1.0 / 3, 2.5})),
            "tf.Tensor([0.33333333 2.5       ], shape=(2,), dtype=float64)");
  EXPECT_EQ(
      TensorRepr(DoubleTensor({3}, {1.0 / 3, 2.5, 1e10})),
      "<tf.Tensor: shape=(3,), dtype=float64, numpy=array([3.33333333e-01, "
      "2.50000000e+00, 1.00000000e+10])>");
  EXPECT_EQ(NumpyStr(DoubleTensor({2}, {-1.0 / 3, 2.0 / 3})),
            "[-0.33333333  0.66666667]");
  EXPECT_EQ(NumpyRepr(DoubleTensor({2}, {1e-5, 1.5})),
            "array([1.0e-05, 1.5e+00])");
  EXPECT_EQ(NumpyRepr(DoubleTensor({1}, {0.1 + 0.2})), "array([0.3])");
  EXPECT_EQ(TensorRepr(DoubleTensor({}, {0.1 + 0.2})),
            "<tf.Tensor: shape=(), dtype=float64, numpy=0.30000000000000004>");
}

// float64 switches to scientific at 1e8 (float32 at 1e6).
TEST(ReprTest, Float64ScientificCutoff) {
  EXPECT_EQ(NumpyRepr(DoubleTensor({2}, {12345678.0, 1.0})),
            "array([1.2345678e+07, 1.0000000e+00])");
  EXPECT_EQ(NumpyRepr(DoubleTensor({2}, {123456789.0, 1.0})),
            "array([1.23456789e+08, 1.00000000e+00])");
  EXPECT_EQ(NumpyRepr(DoubleTensor({1, 2}, {0.1, 12345.678})),
            "array([[1.0000000e-01, 1.2345678e+04]])");
  EXPECT_EQ(NumpyRepr(DoubleTensor({2}, {1.0, 1000.0})),
            "array([   1., 1000.])");
}

// nan / inf / -0.0 take numpy's widths.
TEST(ReprTest, Float64NonFinite) {
  const double inf = INFINITY;
  EXPECT_EQ(NumpyRepr(DoubleTensor({4}, {NAN, inf, -inf, 1.0})),
            "array([ nan,  inf, -inf,   1.])");
  EXPECT_EQ(NumpyRepr(DoubleTensor({2}, {1.0, -0.0})), "array([ 1., -0.])");
}

// int64 pads to the widest element and omits dtype=.
TEST(ReprTest, Int64Arrays) {
  const int64_t big = int64_t{1} << 40;
  EXPECT_EQ(NumpyRepr(Int64Tensor({2}, {1, big})),
            "array([            1, 1099511627776])");
  EXPECT_EQ(TensorStr(Int64Tensor({2, 2}, {1, 2, 3, big})),
            "tf.Tensor(\n[[            1             2]\n [            3 "
            "1099511627776]], shape=(2, 2), dtype=int64)");
  EXPECT_EQ(TensorRepr(Int64Tensor({}, {INT64_MIN})),
            "<tf.Tensor: shape=(), dtype=int64, "
            "numpy=-9223372036854775808>");
  EXPECT_EQ(NumpyRepr(Tensor::Zeros(DType::kInt64, {0, 2})),
            "array([], shape=(0, 2), dtype=int64)");
  EXPECT_EQ(NumpyRepr(Tensor::Zeros(DType::kFloat64, {0})),
            "array([], dtype=float64)");
}

// Summarised float64 rows keep numpy's edge items and shape=.
TEST(ReprTest, Float64Summarised) {
  Tensor t = Tensor::Zeros(DType::kFloat64, {2, 1000});
  for (int64_t i = 0; i < 2000; ++i) t.f64()[i] = static_cast<double>(i) / 7;
  EXPECT_EQ(NumpyRepr(t),
            "array([[0.00000000e+00, 1.42857143e-01, 2.85714286e-01, ...,\n"
            "        1.42428571e+02, 1.42571429e+02, 1.42714286e+02],\n"
            "       [1.42857143e+02, 1.43000000e+02, 1.43142857e+02, ...,\n"
            "        2.85285714e+02, 2.85428571e+02, 2.85571429e+02]], "
            "shape=(2, 1000))");
}

}  // namespace
}  // namespace ap
