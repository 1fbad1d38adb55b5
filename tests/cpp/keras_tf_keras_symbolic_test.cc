// keras.Input and layer calls on its tensors under tf-keras 2.21, where a
// functional model is built by running call() in a TensorFlow graph
// (keras/tf_keras_symbolic.cc). The corpus holds real tf-keras' verdicts
// for whole programs; these tests pin the pieces.
#include <gtest/gtest.h>

#include "python_test_util.h"

namespace ap::keras {
namespace {

using py::testing::RunInProfile;

const char* const kHeader =
    "import tensorflow as tf\n"
    "from tensorflow import keras\n"
    "from tensorflow.keras import layers\n";

RunResult Run(const std::string& body) {
  return RunInProfile(kHeader + body, Profile::kTfKeras);
}

std::string Out(const std::string& body) {
  const RunResult r = Run(body);
  EXPECT_TRUE(r.ok) << body << "\n-> " << r.error->python_class << ": "
                    << r.error->error.Message();
  return r.stdout_text;
}

RunError Err(const std::string& body) {
  const RunResult r = Run(body);
  EXPECT_FALSE(r.ok) << body;
  return r.error.value_or(RunError{});
}

TEST(TfKerasSymbolicTest, InputPrintsAsTfKerasDoes) {
  EXPECT_EQ(Out("x = keras.Input(shape=(None, 32))\n"
                "print(x)\nprint(repr(x))\n"
                "print(x.shape, repr(x.shape), x.dtype, x.name)\n"),
            "KerasTensor(type_spec=TensorSpec(shape=(None, None, 32), "
            "dtype=tf.float32, name='input_1'), name='input_1', "
            "description=\"created by layer 'input_1'\")\n"
            "<KerasTensor: shape=(None, None, 32) dtype=float32 (created by "
            "layer 'input_1')>\n"
            "(None, None, 32) TensorShape([None, None, 32]) <dtype: "
            "'float32'> input_1\n");
}

// backend.get_uid("input"): input_1, input_2, ...; a given name is kept.
TEST(TfKerasSymbolicTest, InputNamesCountFromOne) {
  EXPECT_EQ(Out("a = keras.Input((3,))\nb = layers.Input((3,), name='tok', "
                "dtype='int32')\nc = keras.Input(batch_shape=(8, 3))\n"
                "print(a.name, b.name, b.dtype, c.name, c.shape)\n"),
            "input_1 tok <dtype: 'int32'> input_2 (8, 3)\n");
}

TEST(TfKerasSymbolicTest, InputArgumentErrors) {
  EXPECT_EQ(Err("keras.Input()\n").error.Message(),
            "Please provide to Input a `shape` or a `tensor` or a "
            "`type_spec` argument. Note that `shape` does not include the "
            "batch dimension.");
  EXPECT_EQ(
      Err("keras.Input(shape=(3,), batch_shape=(2, 3))\n").error.Message(),
      "Only provide the `shape` OR `batch_input_shape` argument to "
      "Input, not both at the same time.");
  EXPECT_EQ(Err("keras.Input(shape=(3,), foo=1)\n").error.Message(),
            "Unrecognized keyword arguments: ['foo']");
  EXPECT_EQ(Err("keras.Input(shape=(-1,))\n").error.Message(),
            "Dimension -1 must be >= 0");
}

// A tf-keras KerasTensor has no ndim; its shape is a TensorShape.
TEST(TfKerasSymbolicTest, KerasTensorAttributes) {
  const RunError e = Err("x = keras.Input((4,))\nx.ndim\n");
  EXPECT_EQ(e.python_class, "AttributeError");
  EXPECT_EQ(e.error.Message(), "'KerasTensor' object has no attribute 'ndim'");
  EXPECT_EQ(Out("x = keras.Input((None, 4))\n"
                "print(x.shape.as_list(), x.shape[1], x.shape.rank, "
                "x.shape.is_fully_defined(), x.shape + (5,))\n"),
            "[None, None, 4] None 3 False (None, None, 4, 5)\n");
}

// The output shape, and the graph's dtype (pooling int32 stays int32).
TEST(TfKerasSymbolicTest, LayerOutputsOnInputs) {
  EXPECT_EQ(Out("x = keras.Input(shape=(None, 4), dtype='int32')\n"
                "p = layers.MaxPooling1D(padding='same')(x)\n"
                "d = layers.Dense(3)(keras.Input((10, 8)))\n"
                "print(p.shape, p.dtype, repr(d))\n"),
            "(None, None, 4) <dtype: 'int32'> <KerasTensor: shape=(None, "
            "10, 3) dtype=float32 (created by layer 'dense')>\n");
}

// Keras' own checks in call() raise in the graph too, in the frame that
// names the layer in double quotes and the placeholders as tf.Tensor;
// Reshape checks the static shapes only in a graph.
TEST(TfKerasSymbolicTest, KerasErrorsInCallGetTheFunctionalFrame) {
  const RunError e = Err("layers.Reshape((5, 5))(keras.Input(shape=(6, 4)))\n");
  EXPECT_EQ(e.python_class, "ValueError");
  EXPECT_EQ(e.error.Message(),
            "Exception encountered when calling layer \"reshape\" (type "
            "Reshape).\n\ntotal size of new array must be unchanged, "
            "input_shape = [6, 4], output_shape = [5, 5]\n\nCall arguments "
            "received by layer \"reshape\" (type Reshape):\n  \u2022 "
            "inputs=tf.Tensor(shape=(None, 6, 4), dtype=float32)");
}

// build() sees the unknown dims and raises tf-keras' texts.
TEST(TfKerasSymbolicTest, BuildErrorsOnUnknownFeatureDims) {
  EXPECT_EQ(Err("layers.Dense(2)(keras.Input((5, None)))\n").error.Message(),
            "The last dimension of the inputs to a Dense layer should be "
            "defined. Found None. Full input shape received: (None, 5, None)");
  EXPECT_EQ(
      Err("layers.Conv1D(2, 2)(keras.Input((5, None)))\n").error.Message(),
      "The channel dimension of the inputs should be defined. The "
      "input_shape received is (None, 5, None), where axis -1 (0-based) "
      "is the channel dimension, which found to be `None`.");
  EXPECT_EQ(Err("layers.LSTM(2)(keras.Input((5, None)))\n").python_class,
            "TypeError");
}

// A TensorFlow op failing in the graph has a graph-mode text (node names,
// `?` dims): refused by name, with what the eager call raises. The
// InputSpec is checked before the first build only, so a reused Dense
// meets the op.
TEST(TfKerasSymbolicTest, GraphModeOpErrorsAreRefusedByName) {
  const RunError e =
      Err("d = layers.Dense(3)\nd(keras.Input((4,)))\nd(keras.Input((5,)))\n");
  EXPECT_EQ(e.python_class, "NotSupportedError");
  EXPECT_EQ(e.line, 6);
  EXPECT_NE(e.error.Message().find("on concrete tensors it raises "
                                   "InvalidArgumentError"),
            std::string::npos)
      << e.error.Message();
}

// Printing a layer's output names its graph node, unknown here.
TEST(TfKerasSymbolicTest, PrintingAnOutputNamesWhatIsMissing) {
  const RunError e = Err("y = layers.Dense(3)(keras.Input((4,)))\nprint(y)\n");
  EXPECT_EQ(e.python_class, "NotSupportedError");
  EXPECT_NE(e.error.Message().find("graph node"), std::string::npos);
}

}  // namespace
}  // namespace ap::keras
