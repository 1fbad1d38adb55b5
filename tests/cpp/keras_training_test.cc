// model.compile / fit / evaluate / predict. The corpus file
// keras_training.json holds real Keras' verdicts for whole programs; these
// tests pin the pieces: the graph texts of loss errors, the progress lines,
// History, the budgets.
#include <gtest/gtest.h>

#include "python_test_util.h"

namespace ap::keras {
namespace {

using py::testing::Err;
using py::testing::Out;
using py::testing::RunSrc;

const char* const kModel =
    "import tensorflow as tf\n"
    "import keras\n"
    "from keras import layers\n"
    "inputs = keras.Input(shape=(8,))\n"
    "outputs = layers.Dense(10, name='head')(inputs)\n"
    "model = keras.Model(inputs, outputs)\n";

std::string Program(const std::string& body) { return kModel + body; }

// A mean-error mismatch is the traced Sub's graph ValueError, naming the op
// that made the predictions and the batch dim None of a partial batch.
TEST(KerasTrainingTest, MseMismatchIsTheGraphError) {
  const RunError e =
      Err(Program("model.compile(optimizer='adam', loss='mse')\n"
                  "model.fit(tf.ones((4, 8)), tf.ones((4, 5)), verbose=0)\n"));
  EXPECT_EQ(e.python_class, "ValueError");
  EXPECT_EQ(e.error.Message(),
            "Dimensions must be equal, but are 5 and 10 for '{{node "
            "compile_loss/mse/sub}} = Sub[T=DT_FLOAT](data_1, "
            "functional_1/head_1/BiasAdd)' with input shapes: [?,5], [?,10].");
}

// Full batches give tf.data a static batch dim: the shapes show it.
TEST(KerasTrainingTest, FullBatchesShowTheBatchSize) {
  const RunError e = Err(
      Program("model.compile(optimizer='adam', loss='mae')\n"
              "model.fit(tf.ones((64, 8)), tf.ones((64, 5)), verbose=0)\n"));
  EXPECT_NE(e.error.Message().find("compile_loss/mae/sub"), std::string::npos);
  EXPECT_NE(e.error.Message().find("[32,5], [32,10]"), std::string::npos)
      << e.error.Message();
}

// Layer name scopes are made unique as tf.Graph does, each entered twice:
// "dense" then "dense_1" gives "dense_1_2" for the second layer.
TEST(KerasTrainingTest, ScopeNamesFollowGraphUniqueNames) {
  const RunError e =
      Err("import tensorflow as tf\nimport keras\nfrom keras import layers\n"
          "model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4), "
          "layers.Dense(3, activation='softmax')])\n"
          "model.compile(optimizer='adam', loss='mse')\n"
          "model.fit(tf.ones((4, 8)), tf.ones((4, 5)), verbose=0)\n");
  EXPECT_NE(e.error.Message().find("sequential_1/dense_1_2/Softmax"),
            std::string::npos)
      << e.error.Message();
}

TEST(KerasTrainingTest, CrossentropyShapeChecks) {
  EXPECT_EQ(Err(Program("model.compile(loss='categorical_crossentropy')\n"
                        "model.fit(tf.ones((4, 8)), tf.ones((4, 5)))\n"))
                .error.Message(),
            "Arguments `target` and `output` must have the same shape. "
            "Received: target.shape=(None, 5), output.shape=(None, 10)");
  EXPECT_EQ(
      Err(Program("model.compile(loss='sparse_categorical_crossentropy')\n"
                  "model.evaluate(tf.ones((4, 8)), tf.ones((4, 3)))\n"))
          .error.Message(),
      "Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
      "target.shape=(None, 3), output.shape=(None, 10)");
}

TEST(KerasTrainingTest, CompileAndDataErrors) {
  EXPECT_EQ(Err(Program("model.fit(tf.ones((4, 8)), tf.ones((4, 10)))\n"))
                .error.Message(),
            "You must call `compile()` before using the model.");
  EXPECT_EQ(Err(Program("model.compile(optimizer='adamm', loss='mse')\n"))
                .error.Message(),
            "Could not interpret optimizer identifier: adamm");
  EXPECT_EQ(Err(Program("model.compile(loss='mse')\n"
                        "model.fit(tf.ones((4, 8)), tf.ones((5, 10)))\n"))
                .error.Message(),
            "Data cardinality is ambiguous. Make sure all arrays contain the "
            "same number of samples.'x' sizes: 4\n'y' sizes: 5\n");
}

// verbose=1 draws the first batch, backspaces over it and draws the last;
// verbose=2 prints one line per epoch; verbose=0 nothing.
TEST(KerasTrainingTest, ProgressLines) {
  const std::string v1 = Out(Program(
      "model.compile(optimizer='sgd', loss='mse')\n"
      "h = model.fit(tf.ones((40, 8)), tf.ones((40, 10)), epochs=2)\n"));
  EXPECT_EQ(v1.rfind("Epoch 1/2\n\r\x1b[1m1/2\x1b[0m \x1b[32m", 0), 0u) << v1;
  EXPECT_NE(v1.find("\b\r\x1b[1m2/2\x1b[0m"), std::string::npos) << v1;
  EXPECT_NE(v1.find("Epoch 2/2\n"), std::string::npos);
  const std::string v2 = Out(Program(
      "model.compile(optimizer='sgd', loss='mse', metrics=['mae'])\n"
      "model.evaluate(tf.ones((40, 8)), tf.ones((40, 10)), verbose=2)\n"));
  EXPECT_EQ(v2.rfind("2/2 - 0s - ", 0), 0u) << v2;
  EXPECT_NE(v2.find("/step - loss: "), std::string::npos) << v2;
  EXPECT_NE(v2.find(" - mae: "), std::string::npos) << v2;
  EXPECT_EQ(Out(Program("model.compile(optimizer='sgd', loss='mse')\n"
                        "model.fit(tf.ones((40, 8)), tf.ones((40, 10)), "
                        "epochs=3, verbose=0)\n"
                        "p = model.predict(tf.ones((3, 8)), verbose=0)\n")),
            "");
}

// History holds one untrained loss per epoch (the same each epoch: nothing
// trains), the epochs and the params.
TEST(KerasTrainingTest, HistoryOfUntrainedWeights) {
  EXPECT_EQ(Out(Program(
                "model.compile(optimizer='sgd', loss='mse', metrics=['mae'])\n"
                "h = model.fit(tf.ones((10, 8)), tf.ones((10, 10)), epochs=3, "
                "verbose=0, validation_split=0.2)\n"
                "l = h.history['loss']\n"
                "print(len(l), l[0] == l[2], sorted(h.history), h.epoch, "
                "h.params)\n")),
            "3 True ['loss', 'mae', 'val_loss', 'val_mae'] [0, 1, 2] "
            "{'verbose': 0, 'epochs': 3, 'steps': 1}\n");
}

// predict returns one array of every batch's outputs, in order.
TEST(KerasTrainingTest, PredictConcatenatesBatches) {
  EXPECT_EQ(Out(Program("x = tf.random.normal((5, 8))\n"
                        "p = model.predict(x, batch_size=2, verbose=0)\n"
                        "print(p.shape, bool(tf.reduce_all(tf.abs("
                        "tf.constant(p) - model(x)) < 1e-5)))\n")),
            "(5, 10) True\n");
}

// A million epochs stop at the run's step budget instead of hanging.
TEST(KerasTrainingTest, ManyEpochsHitTheStepBudget) {
  const RunError e =
      Err(Program("model.compile(optimizer='adam', loss='mse')\n"
                  "model.fit(tf.ones((4, 8)), tf.ones((4, 10)), epochs=10**6, "
                  "verbose=0)\n"));
  EXPECT_EQ(e.python_class, "LimitError") << e.error.Message();
}

}  // namespace
}  // namespace ap::keras
