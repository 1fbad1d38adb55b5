#include "core/repr.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ap
