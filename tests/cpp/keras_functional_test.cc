// Symbolic Keras: keras.Input, layers called on KerasTensors, keras.Model and
// keras.Sequential, model.summary(). The corpus files keras_functional.json
// and keras_sequential.json hold real Keras' verdicts for whole programs;
// these tests pin the pieces.
#include <gtest/gtest.h>

#include "core/keras/summary.h"
#include "python_test_util.h"

namespace ap::keras {
namespace {

using py::testing::Err;
using py::testing::Out;

const char* const kHeader =
    "import tensorflow as tf\n"
    "import keras\n"
    "from keras import layers\n";

std::string Program(const std::string& body) { return kHeader + body; }

TEST(KerasFunctionalTest, InputIsSymbolicWithNoneDims) {
  EXPECT_EQ(Out(Program("x = keras.Input(shape=(None, 32))\n"
                        "print(x)\nprint(x.shape, x.dtype, x.ndim)\n")),
            "<KerasTensor shape=(None, None, 32), dtype=float32, "
            "sparse=False, ragged=False, name=keras_tensor>\n"
            "(None, None, 32) float32 3\n");
}

TEST(KerasFunctionalTest, LayerCallInfersShapesWithoutComputing) {
  // Keras 3 does not run Attention's call on symbolic inputs: mismatched
  // feature dims pass, the output takes value's last dim.
  EXPECT_EQ(Out(Program("q = keras.Input(shape=(32, 2))\n"
                        "v = keras.Input(shape=(1200, 3))\n"
                        "print(layers.Attention()([q, v]).shape)\n"
                        "print(layers.Dense(4)(q).shape)\n")),
            "(None, 32, 3)\n(None, 32, 4)\n");
}

TEST(KerasFunctionalTest, DenseNeedsAKnownLastDim) {
  const RunError e =
      Err(Program("y = layers.Dense(3)(keras.Input(shape=(None,)))\n"));
  EXPECT_EQ(e.python_class, "ValueError");
  EXPECT_NE(e.error.Message().find("Shapes used to initialize variables must "
                                   "be fully-defined"),
            std::string::npos)
      << e.error.Message();
}

TEST(KerasFunctionalTest, ModelReplaysTheGraphOnTensors) {
  // The model's output equals the layers applied one by one.
  EXPECT_EQ(Out(Program("inp = keras.Input(shape=(4,))\n"
                        "d1 = layers.Dense(6)\nd2 = layers.Dense(3)\n"
                        "model = keras.Model(inp, d2(d1(inp)))\n"
                        "x = tf.random.normal((2, 4))\n"
                        "a = model(x)\nb = d2(d1(x))\n"
                        "print(a.shape, bool(tf.reduce_all(a == b)))\n")),
            "(2, 3) True\n");
}

TEST(KerasFunctionalTest, ModelChecksItsInputShape) {
  const RunError e =
      Err(Program("inp = keras.Input(shape=(4,))\n"
                  "model = keras.Model(inp, layers.Dense(3)(inp))\n"
                  "model(tf.ones((2, 5)))\n"));
  EXPECT_EQ(e.error.Message(),
            "Input 0 with name 'input_layer' of layer 'functional' is "
            "incompatible with the layer: expected shape=(None, 4), found "
            "shape=(2, 5)");
}

TEST(KerasFunctionalTest, UnreachableOutputIsAnError) {
  const RunError e =
      Err(Program("a = keras.Input(shape=(4,))\n"
                  "b = keras.Input(shape=(4,))\n"
                  "model = keras.Model(a, layers.Add()([a, b]))\n"));
  EXPECT_EQ(e.error.Message(),
            "Output with path `` is not connected to `inputs`");
}

TEST(KerasFunctionalTest, SequentialBuildsFromItsInput) {
  EXPECT_EQ(
      Out(Program("m = keras.Sequential([keras.Input(shape=(16,)), "
                  "layers.Dense(8), layers.Dense(4)])\n"
                  "print(len(m.weights), m.output_shape, m.count_params())\n"
                  "u = keras.Sequential([layers.Dense(2)])\n"
                  "print(len(u.weights))\n"
                  "print(u(tf.ones((5, 3))).shape, len(u.weights))\n")),
      "4 (None, 4) 172\n0\n(5, 2) 2\n");
}

// rich's column arithmetic: 76 columns less the borders, taken evenly.
TEST(KerasSummaryTest, ColumnWidthsAndEllipsisAsRichDrawsThem) {
  SummaryTable table;
  table.title = "functional";
  table.with_connections = true;
  table.rows = {{"multi_head_attention (MultiHeadAttention)", "(None, 1800)",
                 "720,000", "input_layer[0][0], input_layer[0][0]"}};
  table.trainable_params = 720000;
  const std::string text = RenderSummary(table);
  EXPECT_NE(text.find("┃ Layer (type)        ┃ Output Shape      ┃    Param # "
                      "┃ Connected to      ┃"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("│ multi_head_attenti… │ (None, 1800)      │    720,000 "
                      "│ input_layer[0][0… │"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("│ (MultiHeadAttentio… │                   │            "
                      "│ input_layer[0][0] │"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(" Total params: 720,000 (2.75 MB)\n"), std::string::npos);
}

TEST(KerasSummaryTest, ThousandsSeparators) {
  EXPECT_EQ(WithThousandsSeparators(0), "0");
  EXPECT_EQ(WithThousandsSeparators(999), "999");
  EXPECT_EQ(WithThousandsSeparators(1000), "1,000");
  EXPECT_EQ(WithThousandsSeparators(1234567), "1,234,567");
}

}  // namespace
}  // namespace ap::keras
