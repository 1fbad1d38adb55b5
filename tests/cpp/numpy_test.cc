// numpy's ndarray and module: printing, dtypes, broadcasting, indexing,
// reductions, item assignment, the interplay with tf tensors and Keras
// layers, the run document and the budgets (texts probed on NumPy 2.4.6
// beside TF 2.21 / Keras 3.15).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/api.h"
#include "core/numpy/array_ops.h"
#include "core/numpy/ndarray.h"
#include "core/repr.h"

namespace ap {
namespace {

using json = nlohmann::json;

constexpr char kNp[] = "import numpy as np\nimport tensorflow as tf\n";

json RunDoc(const std::string& body) {
  return json::parse(RunProgramToJson(std::string(kNp) + body, {}));
}

std::string Stdout(const std::string& body) {
  const json doc = RunDoc(body);
  EXPECT_TRUE(doc["ok"].get<bool>()) << body << "\n" << doc["error"].dump();
  return doc["stdout"].get<std::string>();
}

struct Failure {
  std::string type, message;
};
Failure Fails(const std::string& body) {
  const json doc = RunDoc(body);
  EXPECT_FALSE(doc["ok"].get<bool>()) << body;
  if (doc["error"].is_null()) return {};
  return {doc["error"]["type"], doc["error"]["plain_message"]};
}

TEST(NumpyContractTest, WrapsAndUnwrapsTensors) {
  Tensor t = Tensor::Zeros(DType::kInt32, {2, 3});
  const Value a = np::MakeNdarray(t);
  ASSERT_TRUE(np::IsNdarray(a));
  EXPECT_FALSE(np::IsNumpyScalar(a));
  EXPECT_EQ(np::NdarrayTensor(a).storage_id(), t.storage_id());
  EXPECT_EQ(Repr(a), "array([[0, 0, 0],\n       [0, 0, 0]], dtype=int32)");
  EXPECT_FALSE(np::IsNdarray(Value::FromTensor(t)));
  const Value s = np::MakeNumpyScalar(Tensor::ScalarF64(1.5));
  EXPECT_TRUE(np::IsNumpyScalar(s));
  EXPECT_EQ(Repr(s), "np.float64(1.5)");
  EXPECT_EQ(Str(s), "1.5");
}

TEST(NumpyPrintTest, ReprStrAndDTypes) {
  EXPECT_EQ(Stdout("a = np.array([[1., 0.]])\nprint(repr(a))\nprint(a)\n"),
            "array([[1., 0.]])\n[[1. 0.]]\n");
  EXPECT_EQ(Stdout("print(repr(np.array([1, 2], dtype=np.int32)), "
                   "repr(np.array([1, 2])), np.array([1, 2]).dtype)\n"),
            "array([1, 2], dtype=int32) array([1, 2]) int64\n");
  EXPECT_EQ(Stdout("print(repr(np.float32(1.5)), np.float32(1.5), "
                   "repr(np.mean(np.ones(2))), repr(np.int64(3)))\n"),
            "np.float32(1.5) 1.5 np.float64(1.0) np.int64(3)\n");
  EXPECT_EQ(Stdout("a = np.ones((2, 3))\nprint(a.shape, a.dtype, "
                   "repr(a.dtype), a.ndim, a.size, a.T.shape)\n"),
            "(2, 3) float64 dtype('float64') 2 6 (3, 2)\n");
}

TEST(NumpyArrayTest, RaggedListIsNumpysValueError) {
  const Failure f = Fails("x = np.array([[1, 2], [3]])\n");
  EXPECT_EQ(f.type, "ValueError");
  EXPECT_EQ(f.message,
            "setting an array element with a sequence. The requested array "
            "has an inhomogeneous shape after 1 dimensions. The detected "
            "shape was (2,) + inhomogeneous part.");
}

TEST(NumpyOperatorTest, BroadcastingAndItsError) {
  EXPECT_EQ(Stdout("c = np.ones((4, 1, 3)) * np.arange(3)\n"
                   "print(c.shape, c.dtype, (np.arange(3) / 2).dtype, "
                   "(np.arange(3) // 2).dtype, np.float32(2) * 2.5)\n"),
            "(4, 1, 3) float64 float64 int64 5.0\n");
  const Failure f = Fails("c = np.ones((32, 2)) + np.ones((1200, 2))\n");
  EXPECT_EQ(f.type, "ValueError");
  EXPECT_EQ(f.message,
            "operands could not be broadcast together with shapes (32,2) "
            "(1200,2) ");
}

TEST(NumpyOperatorTest, MatmulAndDotErrors) {
  EXPECT_EQ(Fails("c = np.ones((3, 2)) @ np.ones((3, 2))\n").message,
            "matmul: Input operand 1 has a mismatch in its core dimension 0, "
            "with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is "
            "different from 2)");
  EXPECT_EQ(Fails("c = np.dot(np.ones((3, 2)), np.ones((3, 2)))\n").message,
            "shapes (3,2) and (3,2) not aligned: 2 (dim 1) != 3 (dim 0)");
  EXPECT_EQ(Stdout("print((np.ones(3) @ np.ones((3, 2))).shape, "
                   "np.ones(3) @ np.ones(3))\n"),
            "(2,) 3.0\n");
}

TEST(NumpyIndexTest, BasicIndexingAndErrors) {
  EXPECT_EQ(Stdout("x = np.arange(24).reshape(2, 3, 4)\n"
                   "print(x[0].shape, x[:, 1].shape, x[..., -1].shape, "
                   "x[None, 0, :2].shape, repr(x[1, 2, 3]))\n"),
            "(3, 4) (2, 4) (2, 3) (1, 2, 4) np.int64(23)\n");
  const Failure oob = Fails("y = np.ones((3, 2))[5]\n");
  EXPECT_EQ(oob.type, "IndexError");
  EXPECT_EQ(oob.message, "index 5 is out of bounds for axis 0 with size 3");
  EXPECT_EQ(Fails("y = np.ones((3, 2))[0, 0, 0]\n").message,
            "too many indices for array: array is 2-dimensional, but 3 were "
            "indexed");
}

TEST(NumpyIndexTest, ItemAssignmentIsSeenThroughEveryName) {
  EXPECT_EQ(Stdout("m = np.ones((2, 4), dtype=bool)\nalias = m\n"
                   "m[:, 2:] = False\nm[1, 0] = 0\nprint(alias)\n"),
            "[[ True  True False False]\n [False  True False False]]\n");
  EXPECT_EQ(Fails("m = np.ones((2, 4))\nm[0] = np.ones(3)\n").message,
            "could not broadcast input array from shape (3,) into shape (4,)");
}

TEST(NumpyIndexTest, MasksAndIndexLists) {
  EXPECT_EQ(Stdout("x = np.arange(6).reshape(3, 2)\n"
                   "print(x[x > 2], x[[0, -1]].shape)\n"
                   "y = np.arange(4.)\ny[y > 1] = 0\nprint(y)\n"),
            "[3 4 5] (2, 2)\n[0. 1. 0. 0.]\n");
  EXPECT_EQ(Fails("x = np.ones((3, 2))[np.array([True, False])]\n").message,
            "boolean index did not match indexed array along axis 0; size "
            "of axis is 3 but size of corresponding boolean axis is 2");
}

TEST(NumpyReduceTest, RoundDoesNotTouchItsInput) {
  EXPECT_EQ(Stdout("w = np.array([0.125, 2.5, 3.14159])\n"
                   "print(np.round(w, 2), w[0], repr(np.round(2.5)))\n"),
            "[0.12 2.5  3.14] 0.125 np.float64(2.0)\n");
}

TEST(NumpyReduceTest, AxisErrorIsAValueError) {
  EXPECT_EQ(Stdout("try:\n    np.ones((2, 3)).sum(axis=2)\n"
                   "except ValueError as e:\n    print(type(e).__name__, e)\n"),
            "AxisError axis 2 is out of bounds for array of dimension 2\n");
}

TEST(NumpyReduceTest, DTypesAxesAndKeepdims) {
  EXPECT_EQ(
      Stdout("x = np.arange(6).reshape(2, 3)\n"
             "print(repr(x.sum()), x.sum(axis=0), repr(x.mean()), "
             "np.argmax(x, axis=1), x.max(axis=1, keepdims=True).shape)\n"),
      "np.int64(15) [3 5 7] np.float64(2.5) [2 2] (2, 1)\n");
  EXPECT_EQ(Fails("x = np.arange(3).reshape(2, 2)\n").message,
            "cannot reshape array of size 3 into shape (2,2)");
}

TEST(NumpyTruthTest, OneElementOnly) {
  EXPECT_EQ(Fails("if np.ones(3):\n    pass\n").message,
            "The truth value of an array with more than one element is "
            "ambiguous. Use a.any() or a.all()");
  EXPECT_EQ(Stdout("print(len(np.ones((3, 2))), bool(np.ones(1)))\n"),
            "3 True\n");
}

TEST(NumpyInteropTest, TensorsAndArrays) {
  EXPECT_EQ(Stdout("t = tf.ones((2, 3))\na = np.ones((2, 3))\n"
                   "print((t + a).dtype, (a + t).dtype, tf.constant(a).dtype, "
                   "type(t.numpy()).__name__, t.numpy().dtype, "
                   "repr(np.mean(t)))\n"),
            "<dtype: 'float32'> <dtype: 'float32'> <dtype: 'float64'> "
            "ndarray float32 np.float32(1.0)\n");
  EXPECT_EQ(Fails("m = tf.matmul(np.ones((2, 3)), tf.ones((3, 2)))\n").type,
            "InvalidArgumentError");
}

TEST(NumpyInteropTest, LayersConvertFloatArraysToFloat32) {
  EXPECT_EQ(Stdout("from tensorflow.keras import layers\n"
                   "q = np.random.rand(2, 4, 8)\nv = np.random.rand(2, 5, 8)\n"
                   "out = layers.Attention()([q, v])\n"
                   "e = layers.Embedding(10, 4, mask_zero=True)"
                   "(np.array([[1, 0]]))\n"
                   "print(out.shape, out.dtype, e._keras_mask.numpy())\n"),
            "(2, 4, 8) <dtype: 'float32'> [[ True False]]\n");
}

TEST(NumpyDocumentTest, ArraysAreTensorsScalarsAreNumbers) {
  const json doc =
      RunDoc("a = np.arange(3)\ns = a.sum()\nf = np.float32(0.5)\n");
  auto find = [&](const std::string& name) { return doc["variables"][name]; };
  EXPECT_EQ(find("a")["kind"], "tensor");
  EXPECT_EQ(find("a")["dtype"], "int64");
  EXPECT_EQ(find("a")["numpy"], true);
  EXPECT_EQ(find("s")["kind"], "int");
  EXPECT_EQ(find("s")["value"], 3);
  EXPECT_EQ(find("f")["kind"], "float");
}

TEST(NumpyBudgetTest, HugeArraysFailWithTheResourceError) {
  const Failure f = Fails("z = np.zeros((50000000,))\n");
  EXPECT_EQ(f.type, "ResourceExhaustedError");
}

}  // namespace
}  // namespace ap
