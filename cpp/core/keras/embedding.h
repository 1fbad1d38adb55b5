// layers.Embedding(input_dim, output_dim, mask_zero=False): a lookup of rows
// of an (input_dim, output_dim) table. Keras 3.15
// (keras/src/layers/core/embedding.py) casts non-integer inputs to int32,
// maps negative indices by adding input_dim (ops.take's "fill" fix) and
// gathers (GatherV2); tf-keras 2.21 (tf_keras/src/layers/core/embedding.py)
// gathers from the variable (ResourceGather) without the fix. With
// mask_zero the output carries not_equal(inputs, 0) as its Keras mask.
#pragma once

#include <string>

#include "layer.h"

namespace ap::keras {

class EmbeddingLayer : public Layer {
 public:
  EmbeddingLayer(RunContext& ctx, const CallArgs& args);

  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  // (*input, output_dim).
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  // Keras sets supports_masking = mask_zero.
  bool SupportsMasking() const override { return mask_zero_; }
  Value ComputeMask(RunContext& ctx, const Value& inputs,
                    const Value& previous_mask) const override;
  // The lookup's Identity.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  Profile profile_;  // the attribute texts differ
  int64_t input_dim_ = 0;
  int64_t output_dim_ = 0;
  bool mask_zero_ = false;
  std::string initializer_ = "uniform";
  Tensor embeddings_;  // (input_dim, output_dim)
};

}  // namespace ap::keras
