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
// `?` dims). The InputSpec is checked before the first build only, so a
// reused Dense meets its MatMul; Attention's first matmul meets mismatched
// query and key dims. Both texts are tf-keras'; other ops' are refused by
// name, with what the eager call raises.
TEST(TfKerasSymbolicTest, GraphModeOpErrors) {
  EXPECT_EQ(Err("d = layers.Dense(3)\nd(keras.Input((4,)))\n"
                "d(keras.Input((5,)))\n")
                .error.Message(),
            "Exception encountered when calling layer \"dense\" (type "
            "Dense).\n\nDimensions must be equal, but are 5 and 4 for "
            "'{{node dense/MatMul}} = MatMul[T=DT_FLOAT, grad_a=false, "
            "grad_b=false, transpose_a=false, transpose_b=false](Placeholder, "
            "dense/MatMul/ReadVariableOp)' with input shapes: [?,5], "
            "[4,3].\n\nCall arguments received by layer \"dense\" (type "
            "Dense):\n  \u2022 inputs=tf.Tensor(shape=(None, 5), "
            "dtype=float32)");
  const RunError a =
      Err("q = keras.Input(shape=(32, 2))\nv = keras.Input(shape=(1200, 3))\n"
          "layers.Attention()([q, v])\n");
  EXPECT_EQ(a.python_class, "ValueError");
  EXPECT_NE(a.error.Message().find(
                "Dimensions must be equal, but are 2 and 3 for '{{node "
                "attention/MatMul}} = BatchMatMulV2[T=DT_FLOAT, adj_x=false, "
                "adj_y=true, grad_x=false, grad_y=false](Placeholder, "
                "Placeholder_1)' with input shapes: [?,32,2], [?,1200,3]."),
            std::string::npos)
      << a.error.Message();
  const RunError m =
      Err("q = keras.Input(shape=(10, 16))\nv = keras.Input(shape=(20, 16))\n"
          "k = keras.Input(shape=(21, 16))\n"
          "layers.MultiHeadAttention(num_heads=2, key_dim=4)(q, v, k)\n");
  EXPECT_NE(
      m.error.Message().find(
          "Dimensions must be equal, but are 21 and 20 for '{{node "
          "multi_head_attention/einsum_1/Einsum}} = Einsum[N=2, "
          "T=DT_FLOAT, equation=\"acbe,aecd->abcd\"](multi_head_attention/"
          "dropout/Identity, multi_head_attention/value/add)' with input "
          "shapes: [?,2,10,21], [?,20,2,4]."),
      std::string::npos)
      << m.error.Message();
  const RunError e =
      Err("q = keras.Input(shape=(10, 16))\nv = keras.Input(shape=(20, 8))\n"
          "layers.AdditiveAttention()([q, v])\n");
  // Additive scores: the add of the expanded query and key.
  EXPECT_EQ(e.python_class, "ValueError");
  EXPECT_NE(e.error.Message().find(
                "Dimensions must be equal, but are 16 and 8 for '{{node "
                "additive_attention/add}} = AddV2[T=DT_FLOAT]("
                "additive_attention/ExpandDims, additive_attention/"
                "ExpandDims_1)' with input shapes: [?,10,1,16], [?,1,20,8]."),
            std::string::npos)
      << e.error.Message();
}

// A mask's graph node is not known: printing it is refused by name.
TEST(TfKerasSymbolicTest, PrintingAMaskNamesWhatIsMissing) {
  const RunError e =
      Err("e = layers.Embedding(10, 4, mask_zero=True)(keras.Input((3,), "
          "dtype='int32'))\nprint(e._keras_mask)\n");
  EXPECT_EQ(e.python_class, "NotSupportedError");
  EXPECT_NE(e.error.Message().find("graph node"), std::string::npos);
}

// A layer call's stand-ins give the graph's shapes: MultiHeadAttention's
// scores are (batch, heads, Tq, Tv) (Keras 3's inference writes Tq, Tq).
TEST(TfKerasSymbolicTest, ShapesComeFromTheCallThatRan) {
  EXPECT_EQ(Out("q = keras.Input(shape=(10, 16))\n"
                "v = keras.Input(shape=(20, 16))\n"
                "y, s = layers.MultiHeadAttention(num_heads=4, key_dim=4)(q, "
                "v, return_attention_scores=True)\n"
                "c = layers.Conv1D(4, 5, strides=2)(keras.Input((None, 8)))\n"
                "print(y.shape, s.shape, c.shape)\n"),
            "(None, 10, 16) (None, 4, 10, 20) (None, None, 4)\n");
}

TEST(TfKerasSymbolicTest, FunctionalModelNamesAndDisconnectedGraph) {
  EXPECT_EQ(Out("x = keras.Input((4,))\nm = keras.Model(x, "
                "layers.Dense(2)(x))\nm2 = keras.Model(x, "
                "layers.Dense(3)(x))\nprint(m.name, m2.name, "
                "[l.name for l in m.layers], m.output_shape)\n"),
            "model model_1 ['input_1', 'dense'] (None, 2)\n");
  EXPECT_EQ(Err("a = keras.Input((4,))\nb = keras.Input((4,))\n"
                "keras.Model(a, layers.Add()([a, b]))\n")
                .error.Message(),
            "Graph disconnected: cannot obtain value for tensor "
            "KerasTensor(type_spec=TensorSpec(shape=(None, 4), "
            "dtype=tf.float32, name='input_2'), name='input_2', "
            "description=\"created by layer 'input_2'\") at layer \"add\". "
            "The following previous layers were accessed without issue: []");
}

// A Sequential without an input shape waits: its weights, summary() and
// count_params() raise; a call builds it on the call's full shape, and a
// call of another batch size relaxes that dim to None.
TEST(TfKerasSymbolicTest, SequentialBuildsOnItsFirstCall) {
  EXPECT_EQ(Err("s = keras.Sequential([layers.Dense(2)])\ns.weights\n")
                .error.Message(),
            "Weights for model 'sequential' have not yet been created. "
            "Weights are created when the model is first called on inputs or "
            "`build()` is called with an `input_shape`.");
  EXPECT_EQ(
      Err("keras.Sequential([layers.Dense(2)]).summary()\n").error.Message(),
      "This model has not yet been built. Build the model first by "
      "calling `build()` or by calling the model on a batch of data.");
  EXPECT_EQ(Out("s = keras.Sequential()\ns.add(layers.Dense(8))\n"
                "s.add(layers.Dense(1))\ny = s(tf.ones((5, 3)))\n"
                "print(y.shape, s.output_shape, len(s.weights))\n"
                "s(tf.ones((7, 3)))\nprint(s.output_shape, "
                "s.inputs[0].name)\n"),
            "(5, 1) (5, 1) 4\n(None, 1) dense_input\n");
}

// input_shape= on the first layer makes an Input named after it; pop()
// returns None in tf-keras.
TEST(TfKerasSymbolicTest, SequentialInputShapeAndPop) {
  EXPECT_EQ(Out("m = keras.Sequential([layers.Dense(3, input_shape=(4,)), "
                "layers.Dense(2)])\nprint(m.inputs[0].name, m.output_shape)\n"
                "print(m.pop(), len(m.layers), m.output_shape)\n"),
            "dense_input (None, 2)\nNone 1 (None, 3)\n");
}

}  // namespace
}  // namespace ap::keras
