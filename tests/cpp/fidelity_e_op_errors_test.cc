// e_op_errors: TF ops failing, with the class and line real TF reports.
#include "fidelity_util.h"

namespace ap::fidelity {
namespace {

#define HDR "import tensorflow as tf\nfrom tensorflow.keras import layers\n"

const Case kCases[] = {
    {"gather_index_out_of_range",
     HDR "p = tf.ones((3, 2))\n"
         "g = tf.gather(p, [0, 3])\n",
     R"J({"ok": false, "error": ["InvalidArgumentError", 4], "absent": ["g"],
         "message_starts": "{{function_node __wrapped__GatherV2_device_/job:localhost/replica:0/task:0/device:CPU:0}} indices[1] = 3 is not in [0, 3) [Op:GatherV2]"})J"},
    {"split_not_divisible", HDR "parts = tf.split(tf.ones((3, 2)), 2)\n",
     R"J({"ok": false, "error": ["InvalidArgumentError", 3], "absent": ["parts"],
         "message_starts": "{{function_node __wrapped__Split_device_/job:localhost/replica:0/task:0/device:CPU:0}} Number of ways to split should evenly divide the split dimension, but got split_dim 0 (size = 3) and num_split 2"})J"},
    {"band_part_rank1", HDR "b = tf.linalg.band_part(tf.ones((3,)), -1, 0)\n",
     R"J({"ok": false, "error": ["InvalidArgumentError", 3]})J"},
    // tf.argmax gives int64 unless output_type=tf.int32: the playground does
    // not model int64, so it says so instead of returning int32.
    {"argmax_default_int64_not_supported",
     HDR "x = tf.argmax(tf.constant([1.0, 3.0, 2.0]))\n",
     R"J({"ok": false, "error": ["NotSupportedError", 3]})J"},
    {"argmax_int32_output_type",
     HDR "x = tf.argmax(tf.constant([1.0, 3.0, 2.0]), output_type=tf.int32)\n",
     R"J({"ok": true, "vars": {"x": {"shape": [], "dtype": "int32", "values": [1]}}})J"},
    {"add_float_and_int_tensors", HDR "c = tf.ones((2, 2)) + tf.range(2)\n",
     R"J({"ok": false, "error": ["InvalidArgumentError", 3],
         "message_starts": "cannot compute AddV2 as input #1(zero-based) was expected to be a float tensor but is a int32 tensor [Op:AddV2]"})J"},
    {"keras_ops_expand_dims_axis_valueerror",
     HDR "from tensorflow import keras\n"
         "x = keras.ops.expand_dims(tf.ones((2, 3)), 3)\n",
     R"J({"ok": false, "error": ["ValueError", 4]})J"},
    {"matmul_batched_inner_mismatch",
     HDR "c = tf.matmul(tf.ones((2, 3, 4)), tf.ones((2, 5, 6)))\n",
     R"J({"ok": false, "error": ["InvalidArgumentError", 3]})J"},
    {"slice_out_of_range",
     HDR "a = tf.ones((2, 3))\n"
         "c = a[:, 3]\n",
     R"J({"ok": false, "error": ["InvalidArgumentError", 4], "absent": ["c"]})J"},
};

class FidelityOpErrors : public ::testing::TestWithParam<Case> {};
TEST_P(FidelityOpErrors, AgreesWithRealKeras) { CheckCase(GetParam()); }
INSTANTIATE_TEST_SUITE_P(E, FidelityOpErrors, ::testing::ValuesIn(kCases),
                         [](const auto& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace ap::fidelity
