// g_numeric: deterministic programs whose values must match real Keras 3.16
// / TF 2.16 within 1e-4 (values computed by hand or with numpy).
#include "fidelity_util.h"

namespace ap::fidelity {
namespace {

#define HDR "import tensorflow as tf\nfrom tensorflow.keras import layers\n"
#define KHDR HDR "from tensorflow import keras\n"

const Case kCases[] = {
    {"attention_dot_weights_by_hand",
     HDR "q = tf.constant([[[1.0, 0.0], [0.0, 1.0]]])\n"
         "v = tf.constant([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])\n"
         "out, w = layers.Attention()([q, v], return_attention_scores=True)\n",
     // scores row 0 = [1, 3, 5], row 1 = [2, 4, 6]: softmax is the same.
     R"J({"ok": true, "vars": {
         "w": {"shape": [1, 2, 3], "dtype": "float32",
               "values": [0.01588, 0.11731, 0.86681, 0.01588, 0.11731, 0.86681]},
         "out": {"shape": [1, 2, 2], "dtype": "float32",
                 "values": [4.70187, 5.70187, 4.70187, 5.70187]}}})J"},
    {"attention_value_mask_and_fully_masked_row_uniform",
     HDR "q = tf.ones((1, 3, 2))\n"
         "vm = tf.sequence_mask([0], 3)\n"
         "out, w = layers.Attention()([q, q], mask=[None, vm], "
         "return_attention_scores=True)\n",
     R"J({"ok": true, "vars": {
         "vm": {"shape": [1, 3], "dtype": "bool", "values": [false, false, false]},
         "w": {"shape": [1, 3, 3], "values": [0.33333, 0.33333, 0.33333]}}})J"},
    {"attention_causal_use_scale",
     HDR "q = tf.reshape(tf.range(6, dtype=tf.float32), (1, 3, 2)) / 10.0\n"
         "out, w = layers.Attention(use_scale=True)([q, q], "
         "return_attention_scores=True, use_causal_mask=True)\n",
     R"J({"ok": true, "vars": {
         "w": {"shape": [1, 3, 3], "values": [1.0, 0.0, 0.0, 0.47502, 0.52498, 0.0]},
         "out": {"shape": [1, 3, 2], "values": [0.0, 0.1, 0.105, 0.205]}}})J"},
    {"layer_normalization_inference_values",
     HDR
     "ln = layers.LayerNormalization()(tf.constant([[1.0, 2.0, 3.0, 4.0]]))\n",
     // (x - 2.5) / sqrt(1.25 + 1e-3)
     R"J({"ok": true, "vars": {"ln": {"shape": [1, 4], "dtype": "float32",
         "values": [-1.34110, -0.44703, 0.44703, 1.34110]}}})J"},
    {"softmax_layer_with_mask_zeroes_masked",
     HDR "s = layers.Softmax()(tf.constant([[1.0, 2.0, 3.0]]), "
         "mask=tf.constant([[True, True, False]]))\n",
     R"J({"ok": true, "vars": {"s": {"shape": [1, 3],
         "values": [0.26894, 0.73106, 0.0]}}})J"},
    {"dropout_inference_is_identity",
     HDR "d = layers.Dropout(0.5)(tf.ones((2, 2)))\n",
     R"J({"ok": true, "vars": {"d": {"shape": [2, 2], "values": [1, 1, 1, 1]}}})J"},
    {"eye_band_part_gather_split",
     HDR "x = tf.eye(3)\n"
         "y = tf.linalg.band_part(tf.ones((3, 3)), -1, 0)\n"
         "z = tf.eye(2, 3, dtype=tf.int32)\n"
         "g = tf.gather(tf.reshape(tf.range(6), (3, 2)), [2, 0])\n"
         "g1 = tf.gather(tf.reshape(tf.range(6), (3, 2)), [1], axis=1)\n"
         "a, b = tf.split(tf.reshape(tf.range(6), (2, 3)), [1, 2], axis=1)\n",
     R"J({"ok": true, "vars": {
         "x": {"shape": [3, 3], "dtype": "float32", "values": [1, 0, 0, 0, 1, 0, 0, 0]},
         "y": {"shape": [3, 3], "dtype": "float32", "values": [1, 0, 0, 1, 1, 0, 1, 1]},
         "z": {"shape": [2, 3], "dtype": "int32", "values": [1, 0, 0, 0, 1, 0]},
         "g": {"shape": [2, 2], "dtype": "int32", "values": [4, 5, 0, 1]},
         "g1": {"shape": [3, 1], "dtype": "int32", "values": [1, 3, 5]},
         "a": {"shape": [2, 1], "values": [0, 3]},
         "b": {"shape": [2, 2], "values": [1, 2, 4, 5]}}})J"},
    {"reduce_std_and_variance_population",
     HDR "sd = tf.math.reduce_std(tf.constant([1.0, 2.0, 3.0, 4.0]))\n"
         "va = tf.math.reduce_variance(tf.constant([[1.0, 2.0], [3.0, 5.0]]), "
         "axis=1)\n",
     R"J({"ok": true, "vars": {
         "sd": {"shape": [], "dtype": "float32", "values": [1.11803]},
         "va": {"shape": [2], "values": [0.25, 1.0]}}})J"},
    // keras.ops follow Keras' promotion, not TF's: mean of int32 is
    // float32, divide of ints is float32, sqrt of int32 is float32, sum of
    // bool is int32; tf.reduce_mean of int32 stays int32 (integer mean).
    {"keras_ops_dtype_rules",
     KHDR "x = tf.range(10)\n"
          "m = keras.ops.mean(x)\n"
          "tm = tf.reduce_mean(x)\n"
          "s = keras.ops.sum(x)\n"
          "d = keras.ops.divide(x, 4)\n"
          "b = keras.ops.sum(x > 3)\n"
          "sq = keras.ops.sqrt(tf.range(4))\n"
          "am = keras.ops.argmax(x)\n",
     R"J({"ok": true, "vars": {
         "m": {"shape": [], "dtype": "float32", "values": [4.5]},
         "tm": {"shape": [], "dtype": "int32", "values": [4]},
         "s": {"shape": [], "dtype": "int32", "values": [45]},
         "d": {"shape": [10], "dtype": "float32", "values": [0, 0.25, 0.5, 0.75]},
         "b": {"shape": [], "dtype": "int32", "values": [6]},
         "sq": {"shape": [4], "dtype": "float32", "values": [0, 1, 1.41421, 1.73205]},
         "am": {"shape": [], "dtype": "int32", "values": [9]}}})J"},
    {"keras_ops_shape_is_tuple_of_ints",
     KHDR "y = keras.ops.shape(tf.ones((2, 3)))\n"
          "print(y)\n",
     R"J({"ok": true, "stdout": "(2, 3)\n"})J"},
    {"activations_module",
     KHDR "x = keras.activations.softmax(tf.constant([[1.0, 2.0]]))\n"
          "y = tf.keras.activations.relu(tf.constant([-1.0, 2.0]))\n",
     R"J({"ok": true, "vars": {
         "x": {"shape": [1, 2], "values": [0.26894, 0.73106]},
         "y": {"shape": [2], "values": [0.0, 2.0]}}})J"},
    {"int32_arithmetic_and_slicing",
     HDR "a = tf.reshape(tf.range(6), (2, 3))\n"
         "b = tf.transpose(a)\n"
         "c = tf.pad(a, [[1, 0], [0, 2]], constant_values=9)\n"
         "d = a[:, 1:] * 2 + 1\n"
         "e = a[::-1]\n"
         "f = a % 4\n",
     R"J({"ok": true, "vars": {
         "b": {"shape": [3, 2], "dtype": "int32", "values": [0, 3, 1, 4, 2, 5]},
         "c": {"shape": [3, 5], "dtype": "int32", "values": [9, 9, 9, 9, 9, 0, 1, 2]},
         "d": {"shape": [2, 2], "dtype": "int32", "values": [3, 5, 9, 11]},
         "e": {"shape": [2, 3], "values": [3, 4, 5, 0, 1, 2]},
         "f": {"shape": [2, 3], "values": [0, 1, 2, 3, 0, 1]}}})J"},
};

class FidelityNumeric : public ::testing::TestWithParam<Case> {};
TEST_P(FidelityNumeric, AgreesWithRealKeras) { CheckCase(GetParam()); }
INSTANTIATE_TEST_SUITE_P(G, FidelityNumeric, ::testing::ValuesIn(kCases),
                         [](const auto& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace ap::fidelity
