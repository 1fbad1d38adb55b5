// layers.MultiHeadAttention (docs/spec/keras-semantics.md §3).
//
// Call: mha(query, value, key=None, ..., attention_mask=None,
//           return_attention_scores=False, training=None,
//           use_causal_mask=False)
//   query (batch, Tq, dim_q), value (batch, Tv, dim_v), key (batch, Tv, dim_k)
//   projections: query -> (batch, Tq, num_heads, key_dim)
//                key   -> (batch, Tv, num_heads, key_dim)
//                value -> (batch, Tv, num_heads, value_dim)
//   scores (batch, num_heads, Tq, Tv) = softmax(q/sqrt(key_dim) . k)
//   output (batch, Tq, dim_q) or (batch, Tq, *output_shape)
// Positional order is (query, value, key), like layers.Attention.
#pragma once

#include <string>
#include <vector>

#include "common.h"
#include "layer.h"

namespace ap::keras {

class MultiHeadAttentionLayer : public Layer {
 public:
  MultiHeadAttentionLayer(RunContext& ctx, const CallArgs& args);

  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  Value ComputeOutputShapeMethod(const CallArgs& args) const;

  int64_t num_heads() const { return num_heads_; }
  int64_t key_dim() const { return key_dim_; }
  int64_t value_dim() const { return value_dim_; }
  // Whether it attends over axis 1 only (rank-3 inputs' default), and the
  // name its Dropout sublayer took when built.
  bool attends_over_axis_1() const {
    return !attention_axes_ || *attention_axes_ == std::vector<int64_t>{1};
  }
  const std::string& dropout_name() const { return dropout_name_; }

  // One EinsumDense sublayer: kernel (in..., out...) and optional bias.
  struct Projection {
    std::string name;      // "query", "key", "value", "attention_output"
    std::string equation;  // e.g. "abc,cde->abde"
    int input_rank = 0;    // K3 InputSpec(ndim=...)
    Tensor kernel;
    Tensor bias;
  };
  const Projection& query_dense() const { return query_; }
  const Projection& key_dense() const { return key_; }
  const Projection& value_dense() const { return value_; }
  const Projection& output_dense() const { return output_; }

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  // Inputs that are not float32 tensors are not modelled.
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  // The output EinsumDense's bias add (or einsum), the Softmax sublayer's
  // op for the scores.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  // The projections' equations and weights for these input shapes.
  void BuildProjections(RunContext& ctx, const Shape& query_shape,
                        const Shape& value_shape, const Shape& key_shape);
  Tensor Project(RunContext& ctx, const Projection& p, const Tensor& x,
                 const Value& training);

  int64_t num_heads_ = 1;
  int64_t key_dim_ = 1;
  int64_t value_dim_ = 1;
  double dropout_ = 0.0;
  bool use_bias_ = true;
  std::vector<int64_t> output_shape_;  // empty: query's last dim
  std::optional<std::vector<int64_t>> attention_axes_;
  bool flash_attention_ = false;
  std::string kernel_initializer_ = "glorot_uniform";
  std::string bias_initializer_ = "zeros";

  Projection query_, key_, value_, output_;
  std::string dot_product_equation_, combine_equation_;
  std::string softmax_name_ = "softmax";  // the Softmax sublayer's name
  std::string dropout_name_ = "dropout";  // the Dropout sublayer's name
  int scores_rank_ = 0;
  // tf_keras raises attention_axes errors of build() inside call().
  std::optional<Error> pending_error_;
  bool repeated_label_ = false;
  bool keras3_ = true;  // an output label of the scores repeats
};

}  // namespace ap::keras
