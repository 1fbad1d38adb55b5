// Layers and models a program defines (keras/program_layer.h). The corpus
// file keras_subclassing.json holds real Keras' verdicts for whole programs;
// these tests pin the pieces: which of the program's methods run when, the
// weights a subclass gathers, and the shapes inferred on keras.Input.
#include <gtest/gtest.h>

#include "python_test_util.h"

namespace ap::keras {
namespace {

using py::testing::Err;
using py::testing::Out;

const char* const kHeader =
    "import tensorflow as tf\n"
    "import keras\n"
    "from keras import layers, ops\n";

std::string Program(const std::string& body) { return kHeader + body; }

TEST(KerasSubclassingTest, BuildRunsOnceWithTheFirstInputShape) {
  EXPECT_EQ(Out(Program("class L(layers.Layer):\n"
                        "    def build(self, input_shape):\n"
                        "        print('build', input_shape)\n"
                        "    def call(self, x):\n"
                        "        print('call', x.shape)\n"
                        "        return x\n"
                        "l = L()\n"
                        "l(tf.ones((2, 3)))\n"
                        "l(tf.ones((4, 3)))\n"
                        "print(l.built, l.name)\n")),
            "build (2, 3)\ncall (2, 3)\ncall (4, 3)\nTrue l\n");
}

TEST(KerasSubclassingTest, UnbuiltSublayersMakeKeras3TraceCallFirst) {
  // Layer._maybe_build: no build() and an unbuilt sublayer -> call() runs
  // once more (Keras traces it) before the real call.
  const std::string src =
      "class L(layers.Layer):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n"
      "        self.d = layers.Dense(2)\n"
      "    def call(self, x):\n"
      "        print('call')\n"
      "        return self.d(x)\n"
      "l = L()\n"
      "l(tf.ones((1, 3)))\n"
      "l(tf.ones((1, 3)))\n";
  EXPECT_EQ(Out(Program(src)), "call\ncall\ncall\n");
}

TEST(KerasSubclassingTest, WeightsAreOwnThenSublayersInAssignmentOrder) {
  EXPECT_EQ(
      Out(Program(
          "class L(layers.Layer):\n"
          "    def __init__(self):\n"
          "        super().__init__()\n"
          "        self.a = layers.Dense(2)\n"
          "        self.bs = [layers.Dense(3), layers.Dense(1)]\n"
          "    def build(self, input_shape):\n"
          "        self.s = self.add_weight(shape=(5,), initializer='ones',\n"
          "                                 trainable=False)\n"
          "        self.w = self.add_weight(shape=(input_shape[-1], 5))\n"
          "    def call(self, x):\n"
          "        return self.bs[1](self.bs[0](self.a(x))) + 0 * ops.sum(\n"
          "            self.w) + 0 * ops.sum(self.s)\n"
          "l = L()\n"
          "y = l(tf.ones((2, 4)))\n"
          "print([tuple(w.shape) for w in l.weights])\n"
          "print(len(l.trainable_weights), len(l.non_trainable_weights),\n"
          "      l.count_params())\n")),
      "[(4, 5), (5,), (4, 2), (2,), (2, 3), (3,), (3, 1), (1,)]\n"
      "7 1 48\n");
}

TEST(KerasSubclassingTest, SymbolicCallKeepsTheDimsBothStandInsAgreeOn) {
  // The batch and the unknown steps differ between the two stand-in runs;
  // the features do not. What call() prints shows them as None.
  EXPECT_EQ(Out(Program("class Scores(layers.Layer):\n"
                        "    def call(self, q, k):\n"
                        "        print('traced', q.shape)\n"
                        "        s = tf.matmul(q, k, transpose_b=True)\n"
                        "        return tf.reshape(s, (-1, 12))\n"
                        "q = keras.Input(shape=(None, 8))\n"
                        "k = keras.Input(shape=(12, 8))\n"
                        "print(Scores()([q, k][0], k).shape)\n")),
            "traced (None, None, 8)\n(None, 12)\n");
}

// Keras runs call() once on its placeholders: what it prints shows None
// for the unknown dims (the numbers that differ between the stand-ins); a
// print that shows the stand-ins' values is refused by name.
TEST(KerasSubclassingTest, PrintsInASymbolicCallShowNoneDims) {
  EXPECT_EQ(Out(Program("class Scale(layers.Layer):\n"
                        "    def call(self, x):\n"
                        "        print('call sees', x.shape, x.shape[-1] * 2)\n"
                        "        return x * 2.0\n"
                        "y = Scale()(keras.Input(shape=(None, 8)))\n")),
            "call sees (None, None, 8) 16\n");
  const RunError e =
      Err(Program("class Show(layers.Layer):\n"
                  "    def call(self, x):\n"
                  "        print(x)\n"
                  "        return x\n"
                  "y = Show()(keras.Input(shape=(None, 2)))\n"));
  EXPECT_EQ(e.python_class, "NotSupportedError");
  EXPECT_NE(e.error.Message().find("prints on keras.Input tensors"),
            std::string::npos)
      << e.error.Message();
}

TEST(KerasSubclassingTest, SymbolicOpErrorsRefuseNamingTheEagerError) {
  const RunError e =
      Err(Program("class Bad(layers.Layer):\n"
                  "    def call(self, x):\n"
                  "        return x + tf.ones((3,))\n"
                  "Bad()(keras.Input(shape=(4,)))\n"));
  EXPECT_EQ(e.python_class, "NotSupportedError");
  EXPECT_NE(e.error.Message().find("Incompatible shapes"), std::string::npos)
      << e.error.Message();
}

TEST(KerasSubclassingTest, KerasErrorsInsideASymbolicCallAreRaised) {
  // A sublayer's own check (Dense's input spec) raises the same in a graph.
  const RunError e =
      Err(Program("class P(layers.Layer):\n"
                  "    def __init__(self):\n"
                  "        super().__init__()\n"
                  "        self.d = layers.Dense(2)\n"
                  "        self.d(tf.ones((1, 3)))\n"
                  "    def call(self, x):\n"
                  "        return self.d(x)\n"
                  "P()(keras.Input(shape=(5,)))\n"));
  EXPECT_EQ(e.python_class, "ValueError");
  EXPECT_NE(e.error.Message().find(
                "Could not automatically infer the output shape / dtype of "
                "'p' (of type P). Either the `P.call()` method is incorrect, "
                "or you need to implement the `P.compute_output_spec() / "
                "compute_output_shape()` method. Error encountered:\n\n"
                "Input 0 with name 'None' of layer 'dense' is incompatible "
                "with the layer: expected axis -1 of input shape to have "
                "value 3, but received input with shape (None, 5)"),
            std::string::npos)
      << e.error.Message();
}

TEST(KerasSubclassingTest, ErrorsInCallKeepTheirLineAndKerasFrame) {
  const RunError e =
      Err(Program("class L(layers.Layer):\n"
                  "    def call(self, x):\n"
                  "        return tf.matmul(x, x)\n"
                  "L()(tf.ones((2, 3)))\n"));
  EXPECT_EQ(e.python_class, "InvalidArgumentError");
  EXPECT_EQ(e.line, 6);  // the matmul inside call(), after the 3 imports
  EXPECT_NE(e.error.Message().find("Exception encountered when calling "
                                   "L.call()"),
            std::string::npos)
      << e.error.Message();
}

TEST(KerasSubclassingTest, ForgettingSuperInitFailsAtTheCall) {
  const RunError e =
      Err(Program("class L(layers.Layer):\n"
                  "    def __init__(self):\n"
                  "        self.k = 1\n"
                  "    def call(self, x):\n"
                  "        return x\n"
                  "l = L()\n"
                  "l(tf.ones((1,)))\n"));
  EXPECT_EQ(e.python_class, "RuntimeError");
  EXPECT_EQ(e.line, 10);
}

TEST(KerasSubclassingTest, SubclassedLayersJoinSequentialAndModels) {
  EXPECT_EQ(Out(Program("class Twice(layers.Layer):\n"
                        "    def call(self, x):\n"
                        "        return x * 2.0\n"
                        "t = Twice(name='twice')\n"
                        "m = keras.Sequential([keras.Input((3,)), t,\n"
                        "                      layers.Dense(1)])\n"
                        "print(m.layers[0] is t, m.output_shape)\n"
                        "print(m(tf.ones((2, 3))).shape)\n")),
            "True (None, 1)\n(2, 1)\n");
}

// A subclassed model's summary: Keras 3 shows each layer's output shape
// from the call that built it, "?" for a program layer without
// compute_output_shape, "0 (unbuilt)" for one never called; tf-keras
// wants the model built first.
TEST(KerasSubclassingTest, SubclassedModelSummary) {
  const std::string out =
      Out(Program("class Pool(layers.Layer):\n"
                  "    def call(self, x):\n"
                  "        return tf.reduce_mean(x, axis=1)\n"
                  "class M(keras.Model):\n"
                  "    def __init__(self):\n"
                  "        super().__init__()\n"
                  "        self.proj = layers.Dense(8)\n"
                  "        self.pool = Pool()\n"
                  "        self.spare = layers.Dense(2)\n"
                  "    def call(self, x):\n"
                  "        return self.pool(self.proj(x))\n"
                  "m = M()\nm(tf.ones((4, 5, 6)))\nm.summary()\n"));
  EXPECT_NE(out.find("\u2502 dense (Dense)                   \u2502 (4, 5, 8)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\u2502 pool (Pool)                     \u2502 ?"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("0 (unbuilt)"), std::string::npos) << out;
}

// A reshape with -1 beside the dynamic batch leaves both dims unknown in
// Keras' graph: refused, where a known size in place of -1 is inferred.
TEST(KerasSubclassingTest, DynamicReshapeWithInferredDimIsRefused) {
  const std::string layer =
      "class Split(layers.Layer):\n"
      "    def call(self, x):\n"
      "        b = tf.shape(x)[0]\n"
      "        return tf.reshape(x, (b, %s, 3, 4))\n";
  auto program = [&](const char* dim) {
    std::string body = layer;
    body.replace(body.find("%s"), 2, dim);
    return Program(body + "print(Split()(keras.Input(shape=(7, 12))).shape)\n");
  };
  const auto refused = Err(program("-1"));
  EXPECT_EQ(refused.python_class, "NotSupportedError");
  EXPECT_NE(refused.error.Message().find("reshapes with -1"), std::string::npos)
      << refused.error.Message();
  EXPECT_EQ(Out(program("7")), "(None, 7, 3, 4)\n");
}

}  // namespace
}  // namespace ap::keras
