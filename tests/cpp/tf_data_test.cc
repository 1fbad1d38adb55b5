// tf.data datasets: what the corpus cannot ask real TensorFlow (it would
// run for hours or forever): the bounds on one iteration's size.
#include <gtest/gtest.h>

#include "python_test_util.h"

namespace ap::py::testing {
namespace {

constexpr char kTenRows[] =
    "import numpy as np\n"
    "import tensorflow as tf\n"
    "ds = tf.data.Dataset.from_tensor_slices(np.zeros((10, 2)))\n";

TEST(TfData, CardinalityOfAHugeRepeatIsExact) {
  EXPECT_EQ(Out(std::string(kTenRows) + "print(len(ds.repeat(10**12)))\n"),
            "10000000000000\n");
}

TEST(TfData, IteratingAHugeRepeatStopsAtTheRowLimit) {
  const RunError e = Err(std::string(kTenRows) +
                         "for b in ds.repeat(10**9).batch(4):\n    pass\n");
  EXPECT_EQ(e.python_class, "LimitError");
  EXPECT_NE(e.error.Message().find("4194304 rows in one pass"),
            std::string::npos)
      << e.error.Message();
  EXPECT_EQ(e.line, 4);
}

TEST(TfData, AnEndlessRepeatIsReadOnlyThroughATake) {
  EXPECT_EQ(Out(std::string(kTenRows) +
                "print(len(list(ds.repeat().batch(3).take(7))))\n"),
            "7\n");
  const RunError e =
      Err(std::string(kTenRows) + "for b in ds.repeat():\n    break\n");
  EXPECT_EQ(e.python_class, "NotSupportedError");
  EXPECT_NE(e.error.Message().find("infinite dataset"), std::string::npos);
}

TEST(TfData, ShufflingKeepsEveryRowOnce) {
  EXPECT_EQ(Out("import numpy as np\n"
                "import tensorflow as tf\n"
                "ds = tf.data.Dataset.from_tensor_slices(np.arange(50))\n"
                "rows = [int(v) for v in ds.shuffle(7)]\n"
                "print(sorted(rows) == list(range(50)), rows != "
                "list(range(50)))\n"),
            "True True\n");
}

}  // namespace
}  // namespace ap::py::testing
