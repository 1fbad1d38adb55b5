// layers.Add, Subtract, Multiply, Average, Maximum, Minimum and Concatenate
// (Keras' Merge base). Both validate the
// input shapes in build(), outside call(), so those errors are not wrapped
// (docs/spec/keras-semantics.md §4.4). Add: (batch, ...) + (batch, ...)
// elementwise with broadcasting of the non-batch dims; Concatenate(axis=-1)
// joins along axis.
#pragma once

#include "layer.h"

namespace ap::keras {

// Merge.call's check that a built merge layer gets a list or tuple:
// Keras' ValueError for a tensor when `merge_call`, else NotSupported.
void RequireInputList(const Value& inputs, bool merge_call);

class MergeLayer : public Layer {
 public:
  // kind: the class name ("Add", ..., "Concatenate").
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
  // The last of the n - 1 elementwise ops (add_1 for three inputs),
  // Average's truediv, Concatenate's concat.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  // ComputeMask on KerasTensors: a bool KerasTensor of the mask's shape.
  Value SymbolicMask(RunContext& ctx, const Value& inputs,
                     const ValueList& masks) const;

  int64_t axis_ = -1;  // Concatenate only
  bool reshape_required_ = false;
};

}  // namespace ap::keras
