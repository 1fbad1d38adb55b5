// layers.Attention (Luong, dot-product) and layers.AdditiveAttention
// (Bahdanau), docs/spec/keras-semantics.md §1-§2.
//
// Call: layer([query, value] | [query, value, key], mask=[query_mask,
// value_mask], training, return_attention_scores, use_causal_mask).
//   query (batch, Tq, dim), value (batch, Tv, value_dim), key (batch, Tv, dim)
//   -> output (batch, Tq, value_dim) [, weights (batch, Tq, Tv)]
// The list order is [query, value, key]: inputs[1] is the VALUE.
#pragma once

#include <memory>
#include <string>

#include "layer.h"

namespace ap::keras {

class AttentionLayer : public Layer {
 public:
  // Parses the constructor arguments (Keras' validation and texts).
  AttentionLayer(RunContext& ctx, const CallArgs& args, bool additive);

  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  // layer.get_config() (keras/src/layers/attention/attention.py and
  // additive_attention.py, Keras 3.15; tf_keras base_dense_attention.py,
  // 2.21): the constructor's arguments.
  Value Config(Profile profile) const;

  bool additive() const { return additive_; }
  bool use_scale() const { return use_scale_; }
  const std::string& score_mode() const { return score_mode_; }

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  // K3 validates the input structure here (unwrapped errors); creates
  // `scale` / `concat_score_weight`.
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  // The query mask (mask[0]) or None.
  Value ComputeMask(RunContext& ctx, const Value& inputs,
                    const Value& previous_mask) const override;
  // The output's MatMul (or the query mask's mul), the scores' Softmax (or
  // their dropout's).
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  // Keras' _validate_inputs (K3) / _validate_call_args (tf_keras).
  void ValidateCallInputs(Profile profile, const Value& inputs,
                          const Value& mask) const;

  bool additive_;
  bool use_scale_ = false;
  std::string score_mode_ = "dot";
  bool causal_ = false;  // tf-keras' deprecated Attention(causal=True)
  double dropout_ = 0.0;
  Value dropout_arg_ = Value::Float(0.0);  // as given (get_config)
  Value seed_arg_ = Value::None();         // Keras 3's seed= (get_config)
  Tensor scale_;                // () for Attention, (dim,) for Additive
  Tensor concat_score_weight_;  // () in concat mode
};

}  // namespace ap::keras
