// The names of the KerasTensors a layer call on keras.Input tensors returns
// under tf-keras 2.21: the graph tensor its call() made in the scratch graph
// ("dense/BiasAdd:0"), each layer's Layer::TfKerasNodeName. The expected
// names were measured with real tf-keras 2.21; where a configuration was
// not measured the name is refused, not guessed.
#include <gtest/gtest.h>

#include "python_test_util.h"

namespace ap::keras {
namespace {

using py::testing::RunInProfile;

const char* const kHeader =
    "import tensorflow as tf\n"
    "from tensorflow import keras\n"
    "from tensorflow.keras import layers\n"
    "i3 = keras.Input(shape=(10, 8))\n"
    "k3 = keras.Input(shape=(7, 8))\n"
    "i2 = keras.Input(shape=(8,))\n"
    "ii = keras.Input(shape=(10,), dtype='int32')\n"
    "mq = keras.Input(shape=(10,), dtype='bool')\n"
    "mv = keras.Input(shape=(7,), dtype='bool')\n";

// Runs `body`, which sets `t` to a call's outputs, and returns the outputs'
// names, one per line.
std::string Names(const std::string& body) {
  const std::string src = kHeader + body +
                          "\nouts = t if isinstance(t, (list, tuple)) else "
                          "[t]\nfor o in outs:\n    print(o.name)\n";
  const RunResult r = RunInProfile(src, Profile::kTfKeras);
  EXPECT_TRUE(r.ok) << body << "\n-> " << r.error->python_class << ": "
                    << r.error->error.Message();
  return r.stdout_text;
}

// Whether printing the name of `t` is refused (a NotSupportedError).
bool NameRefused(const std::string& body) {
  const RunResult r =
      RunInProfile(kHeader + body + "\nprint(t.name)\n", Profile::kTfKeras);
  return !r.ok && r.error->python_class == "NotSupportedError";
}

TEST(TfKerasNodeNamesTest, PrintShowsTheGraphTensorName) {
  const RunResult r =
      RunInProfile(std::string(kHeader) + "t = layers.Dense(4)(i3)\nprint(t)\n",
                   Profile::kTfKeras);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.stdout_text,
            "KerasTensor(type_spec=TensorSpec(shape=(None, 10, 4), "
            "dtype=tf.float32, name=None), name='dense/BiasAdd:0', "
            "description=\"created by layer 'dense'\")\n");
}

// BiasAdd; without a bias MatMul on rank 2, tensordot above; an activation
// names its own op; the scope is the layer's name.
TEST(TfKerasNodeNamesTest, Dense) {
  EXPECT_EQ(Names("t = layers.Dense(4)(i3)"), "dense/BiasAdd:0\n");
  EXPECT_EQ(Names("t = layers.Dense(4, use_bias=False)(i2)"),
            "dense/MatMul:0\n");
  EXPECT_EQ(Names("t = layers.Dense(4, use_bias=False)(i3)"),
            "dense/Tensordot:0\n");
  EXPECT_EQ(Names("t = layers.Dense(4, activation='linear')(i2)"),
            "dense/BiasAdd:0\n");
  EXPECT_EQ(Names("t = layers.Dense(4, activation='relu', use_bias=False)(i3)"),
            "dense/Relu:0\n");
  EXPECT_EQ(Names("t = layers.Dense(4, activation='tanh')(i3)"),
            "dense/Tanh:0\n");
  EXPECT_EQ(Names("t = layers.Dense(4, activation='sigmoid')(i2)"),
            "dense/Sigmoid:0\n");
  EXPECT_EQ(Names("t = layers.Dense(4, activation='softmax')(i3)"),
            "dense/Softmax:0\n");
  EXPECT_EQ(Names("a = layers.Dense(2)(i2)\nt = layers.Dense(4, "
                  "name='out_proj')(i3)"),
            "out_proj/BiasAdd:0\n");
}

// Activation('linear') returns its input: the scratch graph's placeholder.
TEST(TfKerasNodeNamesTest, ActivationLayer) {
  EXPECT_EQ(Names("t = layers.Activation('relu')(i2)"), "activation/Relu:0\n");
  EXPECT_EQ(Names("t = layers.Activation('softmax')(i3)"),
            "activation/Softmax:0\n");
  EXPECT_EQ(Names("t = layers.Activation('swish')(i3)"),
            "activation/IdentityN:0\n");
  EXPECT_EQ(Names("t = layers.Activation('exponential')(i3)"),
            "activation/Exp:0\n");
  EXPECT_EQ(Names("t = layers.Activation('linear')(i3)"), "Placeholder:0\n");
  EXPECT_EQ(Names("t = layers.Activation(None)(layers.Embedding(5, 8, "
                  "mask_zero=True)(ii))"),
            "Placeholder:0\n");
}

TEST(TfKerasNodeNamesTest, Conv1D) {
  EXPECT_EQ(Names("t = layers.Conv1D(4, 3)(i3)"), "conv1d/BiasAdd:0\n");
  EXPECT_EQ(Names("t = layers.Conv1D(4, 3, padding='causal', "
                  "use_bias=False)(i3)"),
            "conv1d/Conv1D/Squeeze:0\n");
  EXPECT_EQ(Names("t = layers.Conv1D(4, 3, dilation_rate=2, padding='same', "
                  "use_bias=False)(i3)"),
            "conv1d/Conv1D/BatchToSpaceND:0\n");
  EXPECT_EQ(Names("t = layers.Conv1D(4, 3, dilation_rate=2)(i3)"),
            "conv1d/BiasAdd:0\n");
  EXPECT_EQ(Names("t = layers.Conv1D(4, 3, activation='relu')(i3)"),
            "conv1d/Relu:0\n");
}

// The output is weights @ value, then times the query mask: a mul numbered
// after the muls before it (scale, concat's weight, the score mask's).
TEST(TfKerasNodeNamesTest, AttentionOutput) {
  EXPECT_EQ(Names("t = layers.Attention()([i3, k3])"),
            "attention/MatMul_1:0\n");
  EXPECT_EQ(Names("t = layers.Attention(score_mode='concat')([i3, k3])"),
            "attention/MatMul:0\n");
  EXPECT_EQ(Names("t = layers.AdditiveAttention()([i3, k3])"),
            "additive_attention/MatMul:0\n");
  EXPECT_EQ(Names("t = layers.Attention()([i3, k3], mask=[None, mv])"),
            "attention/MatMul_1:0\n");
  EXPECT_EQ(Names("t = layers.Attention()([i3, k3], mask=[mq, None])"),
            "attention/mul:0\n");
  EXPECT_EQ(Names("t = layers.Attention()([i3, k3], mask=[mq, mv])"),
            "attention/mul_1:0\n");
  EXPECT_EQ(Names("t = layers.Attention(use_scale=True)([i3, k3], "
                  "mask=[mq, mv])"),
            "attention/mul_2:0\n");
  EXPECT_EQ(Names("t = layers.Attention(score_mode='concat', "
                  "use_scale=True)([i3, k3], mask=[mq, mv])"),
            "attention/mul_3:0\n");
  EXPECT_EQ(Names("t = layers.Attention()([i3, i3], mask=[mq, None], "
                  "use_causal_mask=True)"),
            "attention/mul_1:0\n");
  EXPECT_EQ(Names("t = layers.AdditiveAttention()([i3, k3], mask=[mq, None])"),
            "additive_attention/mul_1:0\n");
}

// The masks the inputs carry count like passed ones.
TEST(TfKerasNodeNamesTest, AttentionMasksFromInputs) {
  EXPECT_EQ(Names("e = layers.Embedding(50, 8, mask_zero=True)(ii)\n"
                  "t = layers.Attention()([e, e])"),
            "attention/mul_1:0\n");
  EXPECT_EQ(Names("e = layers.Embedding(50, 8, mask_zero=True)(ii)\n"
                  "t = layers.Attention()([e, i3])"),
            "attention/mul:0\n");
  EXPECT_EQ(Names("e = layers.Embedding(50, 8, mask_zero=True)(ii)\n"
                  "s = layers.LSTM(8, return_sequences=True)(e)\n"
                  "t = layers.Attention()([s, s])"),
            "attention/mul_1:0\n");
}

// The scores: Softmax; with dropout, smart_cond's Identity unless
// training=True.
TEST(TfKerasNodeNamesTest, AttentionScores) {
  EXPECT_EQ(Names("t = layers.Attention()([i3, k3], "
                  "return_attention_scores=True)"),
            "attention/MatMul_1:0\nattention/Softmax:0\n");
  EXPECT_EQ(Names("t = layers.Attention(dropout=0.1)([i3, k3], "
                  "return_attention_scores=True)"),
            "attention/MatMul_1:0\nattention/Identity:0\n");
  EXPECT_EQ(Names("t = layers.AdditiveAttention(dropout=0.1)([i3, k3], "
                  "training=True, return_attention_scores=True)"),
            "additive_attention/MatMul:0\n"
            "additive_attention/dropout/SelectV2:0\n");
}

TEST(TfKerasNodeNamesTest, MultiHeadAttention) {
  EXPECT_EQ(Names("t = layers.MultiHeadAttention(2, 4)(i3, k3, "
                  "return_attention_scores=True)"),
            "multi_head_attention/attention_output/add:0\n"
            "multi_head_attention/softmax/Softmax:0\n");
  EXPECT_EQ(Names("t = layers.MultiHeadAttention(2, 4, use_bias=False)(i3, "
                  "k3)"),
            "multi_head_attention/attention_output/einsum/Einsum:0\n");
  // The Softmax sublayer is built in the call's scratch graph: "softmax"
  // even when a Softmax layer exists.
  EXPECT_EQ(Names("s = layers.Softmax()(i3)\nt = layers.MultiHeadAttention(2, "
                  "4)(i3, i3, use_causal_mask=True, "
                  "return_attention_scores=True)"),
            "multi_head_attention/attention_output/add:0\n"
            "multi_head_attention/softmax/Softmax:0\n");
  // Over two axes the Softmax is exp(x - logsumexp).
  EXPECT_EQ(Names("q = keras.Input((3, 5, 8))\nt = "
                  "layers.MultiHeadAttention(2, 4)(q, q, "
                  "return_attention_scores=True)"),
            "multi_head_attention/attention_output/add:0\n"
            "multi_head_attention/softmax/Exp:0\n");
}

// The mask's own graph node ("NotEqual:0", outside the layer's scope) is
// not modelled: printing it is refused.
TEST(TfKerasNodeNamesTest, EmbeddingAndItsMask) {
  EXPECT_EQ(Names("t = layers.Embedding(50, 8)(ii)"),
            "embedding/embedding_lookup/Identity:0\n");
  EXPECT_EQ(Names("t = layers.Embedding(50, 8)(keras.Input((10,)))"),
            "embedding/embedding_lookup/Identity:0\n");
  EXPECT_EQ(Names("t = layers.Embedding(50, 8, mask_zero=True)(ii)"),
            "embedding/embedding_lookup/Identity:0\n");
  EXPECT_TRUE(NameRefused(
      "t = layers.Embedding(50, 8, mask_zero=True)(ii)._keras_mask"));
}

// cuDNN-eligible LSTM / GRU: one function call, outputs (last, sequences,
// *states, runtime); otherwise backend.rnn's loop.
TEST(TfKerasNodeNamesTest, Recurrent) {
  EXPECT_EQ(Names("t = layers.LSTM(4)(i3)"), "lstm/PartitionedCall:0\n");
  EXPECT_EQ(Names("t = layers.LSTM(4, return_sequences=True, "
                  "return_state=True)(i3)"),
            "lstm/PartitionedCall:1\nlstm/PartitionedCall:2\n"
            "lstm/PartitionedCall:3\n");
  EXPECT_EQ(Names("t = layers.GRU(4, return_state=True, go_backwards=True)"
                  "(i3)"),
            "gru/PartitionedCall:0\ngru/PartitionedCall:2\n");
  EXPECT_EQ(Names("t = layers.LSTM(4, activation='relu', "
                  "return_state=True)(i3)"),
            "lstm/strided_slice_3:0\nlstm/while:4\nlstm/while:5\n");
  EXPECT_EQ(Names("t = layers.GRU(4, reset_after=False, "
                  "return_sequences=True)(i3)"),
            "gru/transpose_1:0\n");
  EXPECT_EQ(Names("t = layers.SimpleRNN(4, return_state=True)(i3)"),
            "simple_rnn/strided_slice_3:0\nsimple_rnn/while:4\n");
  // initial_state= replaces the zeros sliced from the input's shape; a mask
  // adds a loop output.
  EXPECT_EQ(Names("t = layers.SimpleRNN(4)(i3, "
                  "initial_state=[keras.Input((4,))])"),
            "simple_rnn/strided_slice_2:0\n");
  EXPECT_EQ(Names("e = layers.Embedding(50, 8, mask_zero=True)(ii)\n"
                  "t = layers.SimpleRNN(4, return_sequences=True, "
                  "return_state=True)(e)"),
            "simple_rnn/transpose_2:0\nsimple_rnn/while:5\n");
  EXPECT_EQ(Names("e = layers.Embedding(50, 8, mask_zero=True)(ii)\n"
                  "t = layers.LSTM(4, return_sequences=True)(e)"),
            "lstm/PartitionedCall:1\n");
}

TEST(TfKerasNodeNamesTest, Bidirectional) {
  EXPECT_EQ(Names("t = layers.Bidirectional(layers.LSTM(4))(i3)"),
            "bidirectional/concat:0\n");
  EXPECT_EQ(Names("t = layers.Bidirectional(layers.GRU(4), "
                  "merge_mode='ave')(i3)"),
            "bidirectional/truediv:0\n");
  EXPECT_EQ(Names("t = layers.Bidirectional(layers.LSTM(4, "
                  "return_sequences=True), merge_mode=None)(i3)"),
            "bidirectional/forward_lstm/PartitionedCall:1\n"
            "bidirectional/ReverseV2:0\n");
  EXPECT_EQ(Names("t = layers.Bidirectional(layers.SimpleRNN(4, "
                  "return_state=True), merge_mode='mul')(i3)"),
            "bidirectional/mul:0\n"
            "bidirectional/forward_simple_rnn/while:4\n"
            "bidirectional/backward_simple_rnn/while:4\n");
  EXPECT_EQ(Names("t = layers.Bidirectional(layers.LSTM(4, name='enc'), "
                  "name='bi', merge_mode=None)(i3)"),
            "bi/forward_enc/PartitionedCall:0\n"
            "bi/backward_enc/PartitionedCall:0\n");
}

TEST(TfKerasNodeNamesTest, Pooling) {
  EXPECT_EQ(Names("t = layers.MaxPooling1D(2, padding='same')(i3)"),
            "max_pooling1d/Squeeze:0\n");
  EXPECT_EQ(Names("t = layers.AveragePooling1D(3, strides=1)(i3)"),
            "average_pooling1d/Squeeze:0\n");
  EXPECT_EQ(Names("t = layers.GlobalAveragePooling1D(keepdims=True)(i3)"),
            "global_average_pooling1d/Mean:0\n");
  EXPECT_EQ(Names("t = layers.GlobalMaxPooling1D()(i3)"),
            "global_max_pooling1d/Max:0\n");
  // A masked average divides by the mask's count.
  EXPECT_EQ(Names("e = layers.Embedding(50, 8, mask_zero=True)(ii)\n"
                  "t = layers.GlobalAveragePooling1D()(e)"),
            "global_average_pooling1d/truediv:0\n");
}

// n inputs fold with n - 1 ops; a single input comes back as it is.
TEST(TfKerasNodeNamesTest, Merge) {
  EXPECT_EQ(Names("t = layers.Add()([i3, i3])"), "add/add:0\n");
  EXPECT_EQ(Names("t = layers.Add()([i3, i3, i3])"), "add/add_1:0\n");
  EXPECT_EQ(Names("t = layers.Multiply()([i3, i3, i3, i3])"),
            "multiply/mul_2:0\n");
  EXPECT_EQ(Names("t = layers.Maximum()([i2, i2, i2])"),
            "maximum/Maximum_1:0\n");
  EXPECT_EQ(Names("t = layers.Subtract()([i3, keras.Input((1, 8))])"),
            "subtract/sub:0\n");
  EXPECT_EQ(Names("t = layers.Average()([i3, i3, i3])"), "average/truediv:0\n");
  EXPECT_EQ(Names("t = layers.Concatenate(axis=1)([i3, i3, i3])"),
            "concatenate/concat:0\n");
  EXPECT_EQ(Names("t = layers.Minimum()([i3])"), "Placeholder:0\n");
}

TEST(TfKerasNodeNamesTest, Dot) {
  EXPECT_EQ(Names("t = layers.Dot(axes=(2, 2))([i3, i3])"), "dot/MatMul:0\n");
  EXPECT_EQ(Names("t = layers.Dot(axes=1)([i2, i2])"), "dot/Squeeze:0\n");
  EXPECT_EQ(Names("t = layers.Dot(axes=(2, 1))([i3, i2])"), "dot/Squeeze:0\n");
}

TEST(TfKerasNodeNamesTest, DropoutAndNormalization) {
  EXPECT_EQ(Names("t = layers.Dropout(0.5)(i3)"), "dropout/Identity:0\n");
  EXPECT_EQ(Names("t = layers.Dropout(0.5)(i3, training=True)"),
            "dropout/dropout/SelectV2:0\n");
  EXPECT_EQ(Names("t = layers.Dropout(0.0)(i3, training=True)"),
            "dropout/Identity:0\n");
  // Trailing axes with epsilon >= 1.001e-5 take the fused kernel.
  EXPECT_EQ(Names("t = layers.LayerNormalization()(i3)"),
            "layer_normalization/add:0\n");
  EXPECT_EQ(Names("t = layers.LayerNormalization(center=False)(i3)"),
            "layer_normalization/mul:0\n");
  EXPECT_EQ(Names("t = layers.LayerNormalization(center=False, "
                  "scale=False)(i3)"),
            "layer_normalization/Reshape_1:0\n");
  EXPECT_EQ(Names("t = layers.LayerNormalization(epsilon=1e-6)(i3)"),
            "layer_normalization/batchnorm/add_1:0\n");
  EXPECT_EQ(Names("t = layers.BatchNormalization()(i3, training=True)"),
            "batch_normalization/batchnorm/add_1:0\n");
  EXPECT_EQ(Names("t = layers.BatchNormalization()(i2)"),
            "batch_normalization/batchnorm/add_1:0\n");
}

TEST(TfKerasNodeNamesTest, ReshapingAndSoftmax) {
  EXPECT_EQ(Names("t = layers.Flatten()(i3)"), "flatten/Reshape:0\n");
  EXPECT_EQ(Names("t = layers.Flatten()(keras.Input(()))"),
            "flatten/ExpandDims:0\n");
  EXPECT_EQ(Names("t = layers.Reshape((-1, 4))(i3)"), "reshape/Reshape:0\n");
  EXPECT_EQ(Names("t = layers.Permute((2, 1))(i3)"), "permute/transpose:0\n");
  EXPECT_EQ(Names("t = layers.RepeatVector(3)(i2)"), "repeat_vector/Tile:0\n");
  EXPECT_EQ(Names("t = layers.Softmax()(i3)"), "softmax/Softmax:0\n");
  // Over another axis tf.nn.softmax transposes it last and back.
  EXPECT_EQ(Names("t = layers.Softmax(axis=1)(i3)"), "softmax/transpose_1:0\n");
}

TEST(TfKerasNodeNamesTest, TimeDistributed) {
  EXPECT_EQ(Names("t = layers.TimeDistributed(layers.Dense(3))(i3)"),
            "time_distributed/Reshape_1:0\n");
  EXPECT_EQ(Names("e = layers.Embedding(50, 8, mask_zero=True)(ii)\n"
                  "t = layers.TimeDistributed(layers.Dense(3))(e)"),
            "time_distributed/Reshape_1:0\n");
}

// Each call builds its own scratch graph: a second call of a layer gives
// the same names.
TEST(TfKerasNodeNamesTest, SecondCallGivesTheSameNames) {
  EXPECT_EQ(Names("d = layers.Dense(4)\na = d(i3)\nt = d(keras.Input((5, "
                  "8)))"),
            "dense/BiasAdd:0\n");
  EXPECT_EQ(Names("l = layers.LSTM(4, return_state=True)\na = l(i3)\nt = "
                  "l(i3)"),
            "lstm/PartitionedCall:0\nlstm/PartitionedCall:2\n"
            "lstm/PartitionedCall:3\n");
  EXPECT_EQ(Names("a = layers.Attention()\nx = a([i3, k3])\nt = a([k3, i3], "
                  "return_attention_scores=True)"),
            "attention/MatMul_1:0\nattention/Softmax:0\n");
}

// Configurations not measured, and a Lambda's ops, are refused rather than
// guessed.
TEST(TfKerasNodeNamesTest, UnmeasuredNamesAreRefused) {
  EXPECT_TRUE(NameRefused("t = layers.Lambda(lambda x: x * 2)(i3)"));
  // Rank 4 may take the fused kernel, depending on `fused=`.
  EXPECT_TRUE(
      NameRefused("t = layers.BatchNormalization()(keras.Input((5, 6, 8)))"));
  EXPECT_TRUE(NameRefused("t = layers.Add()([i3, i2, i2])"));
}

}  // namespace
}  // namespace ap::keras
