// The layer API a program reaches besides calling the layer: modelled
// methods answer, the API real Keras has but the playground does not model
// is refused, and names real Keras lacks stay Python's AttributeError.
#include <gtest/gtest.h>

#include "python_test_util.h"

namespace ap::py::testing {
namespace {

constexpr char kDense[] =
    "import tensorflow as tf\n"
    "from tensorflow.keras import layers\n"
    "d = layers.Dense(2)\n"
    "y = d(tf.zeros((1, 8)))\n";

TEST(LayerMethods, ModelledMethodsAnswer) {
  EXPECT_EQ(
      Out(std::string(kDense) + "print(d.count_params(), len(d.get_weights()), "
                                "d.compute_output_shape((None, 3, 8)))\n"),
      "18 2 (None, 3, 2)\n");
}

TEST(LayerMethods, RealApiNotModelledIsRefusedByName) {
  const RunError e = Err(std::string(kDense) + "cfg = d.get_config()\n");
  EXPECT_EQ(e.python_class, "NotSupportedError");
  EXPECT_NE(e.error.Message().find("Dense.get_config"), std::string::npos)
      << e.error.Message();
  EXPECT_EQ(e.line, 5);
}

TEST(LayerMethods, NamesKerasLacksStayAttributeErrors) {
  // Keras 3 dropped layer.input_shape: users meet this AttributeError.
  for (const char* attr : {"input_shape", "no_such_thing", "get_layer"}) {
    const RunError e = Err(std::string(kDense) + "v = d." + attr + "\n");
    EXPECT_EQ(e.python_class, "AttributeError") << attr;
  }
}

TEST(LayerMethods, ModelApiIsRefusedOnModelsOnly) {
  const std::string model =
      "import keras\n"
      "from keras import layers\n"
      "inp = keras.Input((4,))\n"
      "m = keras.Model(inp, layers.Dense(1)(inp))\n";
  EXPECT_EQ(Err(model + "m.save_weights('w.h5')\n").python_class,
            "NotSupportedError");
  EXPECT_EQ(Err(model + "m.layers[1].save_weights('w.h5')\n").python_class,
            "AttributeError");
}

}  // namespace
}  // namespace ap::py::testing
