// The small API pieces real programs reach for: MultiHeadAttention on any
// rank and attention_axes, the merge layers, Lambda, keras.ops extras,
// keras.src, versions and TensorShape arithmetic. The
// corpus file keras_api_gaps.json holds real Keras' verdicts for whole
// programs; these tests pin the logic inside.
#include <gtest/gtest.h>

#include "python_test_util.h"

namespace ap::keras {
namespace {

using py::testing::Err;
using py::testing::Out;
using py::testing::RunSrc;

const char* const kHeader =
    "import tensorflow as tf\n"
    "import keras\n"
    "from keras import layers, ops\n";

std::string Program(const std::string& body) { return kHeader + body; }

RunResult RunTfKeras(const std::string& src) {
  RunContext ctx;
  ctx.profile = Profile::kTfKeras;
  return RunProgram(src, ctx, {});
}

// _build_attention_equation for a rank-2 query and attention_axes=0: the
// scores attend over the batch axis, (num_heads, batch, batch).
TEST(KerasApiGapsTest, MhaRank2AttentionOverTheBatchAxis) {
  EXPECT_EQ(Out(Program("mha = layers.MultiHeadAttention(num_heads=2, "
                        "key_dim=3, attention_axes=0)\n"
                        "x = tf.ones((4, 8))\n"
                        "y, s = mha(x, x, return_attention_scores=True)\n"
                        "print(y.shape, s.shape, mha.attention_axes)\n")),
            "(4, 8) (2, 4, 4) (0,)\n");
}

// attention_axes=(1, 2) on rank-4 inputs: scores (batch, heads, 4, 5, 4, 5).
TEST(KerasApiGapsTest, MhaTwoAttentionAxes) {
  EXPECT_EQ(Out(Program("mha = layers.MultiHeadAttention(num_heads=2, "
                        "key_dim=3, attention_axes=(1, 2))\n"
                        "x = tf.ones((2, 4, 5, 8))\n"
                        "y, s = mha(x, x, return_attention_scores=True)\n"
                        "print(y.shape, s.shape)\n")),
            "(2, 4, 5, 8) (2, 2, 4, 5, 4, 5)\n");
}

// Keras 3 maps a negative axis to (rank - 1) + axis; tf_keras keeps it for
// np.delete, which reads it as rank + axis.
TEST(KerasApiGapsTest, MhaNegativeAttentionAxisPerProfile) {
  EXPECT_EQ(Out(Program("mha = layers.MultiHeadAttention(num_heads=2, "
                        "key_dim=3, attention_axes=-2)\n"
                        "x = tf.ones((4, 5, 8))\n"
                        "y, s = mha(x, x, return_attention_scores=True)\n"
                        "print(s.shape, mha.attention_axes)\n")),
            "(4, 2, 5, 5) (1,)\n");
  const RunResult r = RunTfKeras(
      "import tensorflow as tf\n"
      "from tensorflow.keras import layers\n"
      "mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, "
      "attention_axes=-2)\n"
      "x = tf.ones((4, 5, 8))\n"
      "y, s = mha(x, x, return_attention_scores=True)\n"
      "print(s.shape)\n");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.stdout_text, "(4, 5, 2, 2)\n");
}

// An axis out of range: np.delete's IndexError, raised in build (unwrapped)
// by Keras 3 and inside call() (wrapped) by tf_keras.
TEST(KerasApiGapsTest, MhaAttentionAxisOutOfRange) {
  const RunError e =
      Err(Program("mha = layers.MultiHeadAttention(num_heads=2, "
                  "key_dim=3, attention_axes=5)\n"
                  "x = tf.ones((4, 5, 8))\n"
                  "mha(x, x)\n"));
  EXPECT_EQ(e.python_class, "IndexError");
  EXPECT_EQ(e.error.Message(),
            "index 5 is out of bounds for axis 0 with size 4");
  const RunResult r = RunTfKeras(
      "import tensorflow as tf\n"
      "from tensorflow.keras import layers\n"
      "mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, "
      "attention_axes=[-5])\n"
      "x = tf.ones((4, 5, 8))\n"
      "mha(x, x)\n");
  ASSERT_FALSE(r.ok);
  EXPECT_TRUE(r.error->error.keras_call.has_value());
  EXPECT_NE(r.error->error.Message().find(
                "index -5 is out of bounds for axis 0 with size 4"),
            std::string::npos);
}

// Rank-2 inputs with the default axes give Softmax(axis=()), whose call
// reads axis[0]: an IndexError in the Softmax sublayer's frame.
TEST(KerasApiGapsTest, MhaRank2DefaultAxesFailInSoftmax) {
  const RunError e =
      Err(Program("x = tf.ones((4, 8))\n"
                  "layers.MultiHeadAttention(2, 3)(x, x)\n"));
  EXPECT_EQ(e.python_class, "IndexError");
  ASSERT_TRUE(e.error.keras_call.has_value());
  EXPECT_EQ(e.error.keras_call->class_name, "Softmax");
}

// The merge layers' values; Subtract takes exactly two inputs.
TEST(KerasApiGapsTest, MergeLayers) {
  EXPECT_EQ(Out(Program("a = tf.constant([[1.0, 5.0]])\n"
                        "b = tf.constant([[3.0, 2.0]])\n"
                        "for cls in [layers.Subtract, layers.Multiply, "
                        "layers.Average, layers.Maximum, layers.Minimum]:\n"
                        "    print(cls()([a, b]).numpy().tolist())\n")),
            "[[-2.0, 3.0]]\n[[3.0, 10.0]]\n[[2.0, 3.5]]\n[[3.0, 5.0]]\n"
            "[[1.0, 2.0]]\n");
  const RunError e =
      Err(Program("a = tf.ones((2, 3))\n"
                  "layers.Subtract()([a, a, a])\n"));
  EXPECT_EQ(e.error.Message(),
            "A `Subtract` layer should be called on exactly 2 inputs. "
            "Received: input_shape=[(2, 3), (2, 3), (2, 3)]");
}

// Merge layers on KerasTensors carry the mask their compute_mask makes:
// Concatenate along axis 1 joins the masks, Add ORs them.
TEST(KerasApiGapsTest, MergeSymbolicMasks) {
  EXPECT_EQ(Out(Program("x = keras.Input(shape=(5,))\n"
                        "e = layers.Embedding(10, 4, mask_zero=True)(x)\n"
                        "c = layers.Concatenate(axis=1)([e, e])\n"
                        "a = layers.Add()([e, e])\n"
                        "print(c._keras_mask.shape, a._keras_mask.shape)\n")),
            "(None, 10) (None, 5)\n");
  // A built merge layer called on one tensor: Merge.call's ValueError.
  const RunError e =
      Err(Program("a = layers.Add()\n"
                  "a([tf.ones((1, 2)), tf.ones((1, 2))])\n"
                  "a(tf.ones((1, 2)))\n"));
  EXPECT_EQ(e.python_class, "ValueError");
  EXPECT_NE(e.error.Message().find("(not a list of tensors)"),
            std::string::npos);
}

// Dot: batch_dot over one axis of each input; Luong-style scores and
// context, vectors giving (batch, 1), and the build check of the axes.
TEST(KerasApiGapsTest, DotBatchDot) {
  EXPECT_EQ(Out(Program("a = tf.reshape(tf.range(6, dtype=tf.float32), "
                        "(1, 3, 2))\n"
                        "b = tf.ones((1, 4, 2))\n"
                        "s = layers.Dot(axes=(2, 2))([a, b])\n"
                        "c = layers.Dot(axes=(2, 1))([s, b])\n"
                        "v = layers.Dot(axes=1)([tf.ones((2, 5)), "
                        "tf.ones((2, 5))])\n"
                        "print(s.shape, s.numpy()[0, :, 0].tolist(), "
                        "c.shape, v.numpy().tolist())\n")),
            "(1, 3, 4) [1.0, 5.0, 9.0] (1, 3, 2) [[5.0], [5.0]]\n");
  EXPECT_EQ(Out(Program("x = keras.Input(shape=(None, 16))\n"
                        "e = keras.Input(shape=(7, 16))\n"
                        "print(layers.Dot(axes=[2, 2])([x, e]).shape)\n")),
            "(None, None, 7)\n");
  const RunError e =
      Err(Program("layers.Dot(axes=2)([tf.ones((2, 3, 4)), "
                  "tf.ones((2, 5, 6))])\n"));
  EXPECT_EQ(e.error.Message(),
            "Incompatible input shapes: axis values 4 (at axis 2) != 6 (at "
            "axis 2). Full input shapes: (2, 3, 4), (2, 5, 6)");
}

// Lambda on keras.Input: the output dims both stand-in runs agree on are
// known; output_shape= adds the batch dim.
TEST(KerasApiGapsTest, LambdaInfersSymbolicShapes) {
  EXPECT_EQ(Out(Program("x = keras.Input(shape=(None, 8))\n"
                        "a = layers.Lambda(lambda v: v[:, 0] * 2)(x)\n"
                        "b = layers.Lambda(lambda v: v, output_shape=(3,))(x)\n"
                        "c = layers.Lambda(lambda v: tf.split(v, 2, -1))(x)\n"
                        "print(a.shape, b.shape, [t.shape for t in c])\n")),
            "(None, 8) (None, 3) [(None, None, 4), (None, None, 4)]\n");
}

// Lambda passes `arguments` as keywords; a non-callable is refused as
// inspect.getfullargspec refuses it.
TEST(KerasApiGapsTest, LambdaArgumentsAndNotCallable) {
  EXPECT_EQ(Out(Program("f = layers.Lambda(lambda v, k: v * k, "
                        "arguments={'k': 3})\n"
                        "print(f(tf.ones((2,))).numpy().tolist())\n")),
            "[3.0, 3.0]\n");
  const RunError e = Err(Program("layers.Lambda(3)\n"));
  EXPECT_EQ(e.python_class, "TypeError");
  EXPECT_EQ(e.error.Message(), "unsupported callable");
}

// tril/triu with positive and negative k, numpy's tile and split points.
TEST(KerasApiGapsTest, KerasOpsExtras) {
  EXPECT_EQ(
      Out(Program("x = tf.reshape(tf.range(9, dtype=tf.float32), "
                  "(3, 3))\n"
                  "print(ops.tril(x, -1).numpy().tolist())\n"
                  "print(ops.triu(x, 1).numpy().tolist())\n"
                  "print(ops.tile(tf.ones((2,)), (2, 2)).shape)\n"
                  "print([tuple(p.shape) for p in ops.split(x, [1], 1)])\n"
                  "print(ops.repeat(tf.constant([[1, 2]]), 2, "
                  "axis=1).numpy().tolist())\n"
                  "print(ops.eye(2, 3, k=1).numpy().tolist())\n")),
      "[[0.0, 0.0, 0.0], [3.0, 0.0, 0.0], [6.0, 7.0, 0.0]]\n"
      "[[0.0, 1.0, 2.0], [0.0, 0.0, 5.0], [0.0, 0.0, 0.0]]\n"
      "(2, 4)\n[(3, 1), (3, 2)]\n[[1, 1, 2, 2]]\n"
      "[[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]\n");
}

// keras.src names the public modules; get_keras_mask reads _keras_mask.
TEST(KerasApiGapsTest, KerasSrcAndVersions) {
  EXPECT_EQ(Out(Program("from keras.src import backend\n"
                        "from keras.src.layers import Embedding\n"
                        "e = Embedding(5, 2, mask_zero=True)"
                        "(tf.constant([[1, 0]]))\n"
                        "print(backend.get_keras_mask(e).numpy().tolist(),\n"
                        "      backend.get_keras_mask(tf.ones((1,))))\n"
                        "print(tf.__version__, keras.__version__)\n")),
            "[[True, False]] None\n2.21.0 3.15.1\n");
}

// TensorShape.__radd__: a tuple + a TensorShape is a TensorShape; as_shape
// refuses negative dims.
TEST(KerasApiGapsTest, TensorShapeConcatenation) {
  EXPECT_EQ(Out(Program("x = tf.ones((2, 3, 4))\n"
                        "print(repr((50,) + x.shape[2:]), x.shape + [1])\n")),
            "TensorShape([50, 4]) (2, 3, 4, 1)\n");
  const RunError e =
      Err(Program("x = tf.ones((2, 3))\n"
                  "s = (-1,) + x.shape\n"));
  EXPECT_EQ(e.python_class, "ValueError");
  EXPECT_EQ(e.error.Message(), "Dimension -1 must be >= 0");
}

// Keras 2-era modules Keras 3 no longer has raise ModuleNotFoundError (an
// ImportError a program may catch to fall back), naming the first missing
// part; under Keras 3, tf.keras has no layers.experimental.
TEST(KerasApiGapsTest, RemovedKeras2ModulesRaiseModuleNotFoundError) {
  EXPECT_EQ(Out("try:\n    from keras.layers.core import Dense\n"
                "except ImportError as e:\n    print(type(e).__name__, e)\n"),
            "ModuleNotFoundError No module named 'keras.layers.core'\n");
  const RunError e = Err("from keras.engine.topology import Layer\n");
  EXPECT_EQ(e.python_class, "ModuleNotFoundError");
  EXPECT_EQ(e.error.Message(), "No module named 'keras.engine'");
  EXPECT_EQ(
      Err("from tensorflow.keras.layers.experimental import preprocessing\n")
          .error.Message(),
      "No module named 'tensorflow.keras.layers.experimental'");
}

}  // namespace
}  // namespace ap::keras
