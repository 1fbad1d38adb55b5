// layers.Add and layers.Concatenate (Keras' Merge base). Both validate the
// input shapes in build(), outside call(), so those errors are not wrapped
// (docs/spec/keras-semantics.md §4.4). Add: (batch, ...) + (batch, ...)
// elementwise with broadcasting of the non-batch dims; Concatenate(axis=-1)
// joins along axis.
#pragma once

#include "layer.h"

namespace ap::keras {

class MergeLayer : public Layer {
 public:
  // kind: "Add" or "Concatenate".
  MergeLayer(RunContext& ctx, const CallArgs& args, std::string kind);
  std::optional<Value> GetAttr(std::string_view name) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  // Validates the input shapes (unwrapped errors, docs/spec/keras-semantics.md
  // §4.4).
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // compute_output_shape of the input shapes (None-aware).
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  // Add: the masks OR-ed; Concatenate: the masks joined like the inputs.
  Value ComputeMask(RunContext& ctx, const Value& inputs,
                    const Value& previous_mask) const override;

 private:
  int64_t axis_ = -1;  // Concatenate only
  bool reshape_required_ = false;
};

}  // namespace ap::keras
