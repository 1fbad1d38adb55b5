// b_success and f_dense_reuse: programs that run in real Keras 3.16, with
// the shapes, dtypes and layer names Keras gives.
#include "fidelity_util.h"

namespace ap::fidelity {
namespace {

#define HDR "import tensorflow as tf\nfrom tensorflow.keras import layers\n"

const Case kCases[] = {
    {"attention_rank2_inputs_k3_16",
     HDR "q = tf.random.normal((3, 4))\n"
         "v = tf.random.normal((5, 4))\n"
         "out, w = layers.Attention()([q, v], return_attention_scores=True)\n",
     R"J({"ok": true, "vars": {"out": {"shape": [3, 4]}, "w": {"shape": [3, 5]}}})J"},
    {"attention_rank4_inputs",
     HDR "q = tf.random.normal((2, 4, 3, 8))\n"
         "v = tf.random.normal((2, 4, 5, 8))\n"
         "out, s = layers.Attention()([q, v], return_attention_scores=True)\n",
     R"J({"ok": true, "vars": {"out": {"shape": [2, 4, 3, 8]},
                              "s": {"shape": [2, 4, 3, 5]}}})J"},
    {"mha_value_dim_output_shape",
     HDR "q = tf.random.normal((2, 3, 4))\n"
         "v = tf.random.normal((2, 5, 4))\n"
         "mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=5, "
         "output_shape=7)\n"
         "out, s = mha(q, v, return_attention_scores=True)\n",
     R"J({"ok": true, "vars": {"out": {"shape": [2, 3, 7], "dtype": "float32"},
                              "s": {"shape": [2, 2, 3, 5]}}})J"},
    // Keras names: one counter per class; MultiHeadAttention's build takes
    // "softmax" and "dropout" for its own sublayers.
    {"layer_name_counters",
     HDR "a = layers.Attention()\n"
         "b = layers.Attention()\n"
         "s = layers.Softmax()\n"
         "d = layers.Dropout(0.1)\n"
         "print(a.name, b.name, s.name, d.name)\n",
     R"J({"ok": true, "stdout": "attention attention_1 softmax dropout\n"})J"},
    {"new_layers_shapes",
     HDR "x = tf.random.normal((2, 5, 8))\n"
         "y = layers.LayerNormalization()(x)\n"
         "z = layers.Dropout(0.2)(x, training=True)\n"
         "w = layers.Softmax(axis=1)(x)\n",
     R"J({"ok": true, "vars": {"y": {"shape": [2, 5, 8], "dtype": "float32"},
         "z": {"shape": [2, 5, 8]}, "w": {"shape": [2, 5, 8]}}})J"},
    {"dense_reuse_other_leading_dims",
     HDR "d = layers.Dense(3)\n"
         "y1 = d(tf.ones((2, 4)))\n"
         "y2 = d(tf.ones((5, 7, 4)))\n",
     R"J({"ok": true, "vars": {"y1": {"shape": [2, 3]}, "y2": {"shape": [5, 7, 3]}}})J"},
    {"dense_rank1_input_spec",
     HDR "d = layers.Dense(3)\n"
         "y = d(tf.ones((4,)))\n",
     R"J({"ok": false, "error": ["ValueError", 4], "absent": ["y"],
         "message_starts": "Input 0 with name 'None' of layer 'dense' is incompatible with the layer: expected min_ndim=2, found ndim=1. Full shape received: (4,)"})J"},
    {"dropout_rate_out_of_range", HDR "d = layers.Dropout(1.5)\n",
     R"J({"ok": false, "error": ["ValueError", 3],
         "message_starts": "Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=1.5"})J"},
    {"softmax_layer_bad_mask_shape",
     HDR "s = layers.Softmax()(tf.ones((2, 3)), mask=tf.ones((2, 4)) > 0)\n",
     R"J({"ok": false, "error": ["ValueError", 3],
         "message_starts": "Exception encountered when calling Softmax.call()."})J"},
};

class FidelitySuccess : public ::testing::TestWithParam<Case> {};
TEST_P(FidelitySuccess, AgreesWithRealKeras) { CheckCase(GetParam()); }
INSTANTIATE_TEST_SUITE_P(B, FidelitySuccess, ::testing::ValuesIn(kCases),
                         [](const auto& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace ap::fidelity
