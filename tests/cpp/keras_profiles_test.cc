// Which Keras a program reaches. Under the tf_keras profile (real TF with
// TF_USE_LEGACY_KERAS=1) `tf.keras` is tf-keras 2 while `import keras` still
// gives Keras 3; a program that imports keras therefore runs on Keras 3, and
// reaching tf.keras beside it is refused by name. The corpus holds real
// TF's verdicts for such programs in both profiles.
#include <gtest/gtest.h>

#include "python_test_util.h"

namespace ap::keras {
namespace {

using py::testing::RunInProfile;

constexpr char kKerasProgram[] =
    "import tensorflow as tf\n"
    "import keras\n"
    "x = keras.Input(shape=(32, 2))\n"
    "y = keras.layers.Dense(4)(x)\n"
    "print(keras.__version__, y)\n";

TEST(KerasProfilesTest, ImportKerasUnderTfKerasIsKeras3) {
  const RunResult k3 = RunInProfile(kKerasProgram, Profile::kKeras3);
  const RunResult tfk = RunInProfile(kKerasProgram, Profile::kTfKeras);
  ASSERT_TRUE(tfk.ok) << tfk.error->error.Message();
  EXPECT_EQ(tfk.stdout_text, k3.stdout_text);
  EXPECT_EQ(tfk.stdout_text,
            "3.15.1 <KerasTensor shape=(None, 32, 4), dtype=float32, "
            "sparse=False, ragged=False, name=keras_tensor_1>\n");
}

// The choice is made from the program's import statements before it runs,
// wherever they stand, as Python binds both packages whatever the order.
TEST(KerasProfilesTest, AnImportInsideAFunctionCounts) {
  const RunResult r = RunInProfile(
      "def make():\n"
      "    from keras import layers\n"
      "    return layers.Dense(2)\n"
      "import tensorflow as tf\n"
      "print(make()(tf.ones((1, 3))).shape)\n",
      Profile::kTfKeras);
  ASSERT_TRUE(r.ok) << r.error->error.Message();
  EXPECT_EQ(r.stdout_text, "(1, 2)\n");
}

TEST(KerasProfilesTest, TfKerasBesideKeras3IsRefusedByName) {
  for (const char* reach :
       {"tf.keras.layers.Dense(2)\n", "from tensorflow.keras import layers\n",
        "import tf_keras\n"}) {
    const RunResult r = RunInProfile(
        std::string("import tensorflow as tf\nimport keras\n") + reach,
        Profile::kTfKeras);
    ASSERT_FALSE(r.ok) << reach;
    EXPECT_EQ(r.error->python_class, "NotSupportedError") << reach;
    EXPECT_EQ(r.error->line, 3) << reach;
    EXPECT_NE(r.error->error.Message().find(
                  "this program also imports keras (Keras 3)"),
              std::string::npos)
        << r.error->error.Message();
  }
}

// Without `import keras`, tf.keras stays tf-keras 2 (it has no `ops`), and
// under the Keras 3 profile tf.keras and keras are one.
TEST(KerasProfilesTest, TfKerasAloneStaysTfKeras) {
  const char* program =
      "import tensorflow as tf\n"
      "print(hasattr(tf.keras, 'ops'))\n";
  const RunResult tfk = RunInProfile(program, Profile::kTfKeras);
  ASSERT_TRUE(tfk.ok) << tfk.error->error.Message();
  EXPECT_EQ(tfk.stdout_text, "False\n");
  const RunResult k3 = RunInProfile(
      "import tensorflow as tf\nimport keras\n"
      "print(hasattr(tf.keras, 'ops'), tf.keras.layers is keras.layers)\n",
      Profile::kKeras3);
  ASSERT_TRUE(k3.ok) << k3.error->error.Message();
  EXPECT_EQ(k3.stdout_text, "True True\n");
}

}  // namespace
}  // namespace ap::keras
