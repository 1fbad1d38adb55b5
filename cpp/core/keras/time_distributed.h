// layers.TimeDistributed(layer) (keras/src/layers/rnn/time_distributed.py,
// Keras 3.15; tf_keras/src/layers/rnn/time_distributed.py, 2.21): applies
// `layer` to every step of axis 1. (batch, steps, *rest) ->
// (batch, steps, *layer_output[1:]). The inner layer's weights are the
// wrapper's; the input mask passes through.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layer.h"

namespace ap::keras {

class TimeDistributedLayer : public Layer {
 public:
  TimeDistributedLayer(RunContext& ctx, const CallArgs& args);
  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::vector<Value> WeightValues() const override {
    return layer_->WeightValues();
  }
  std::optional<Value> GetAttr(std::string_view name) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  // Keras 3 runs the inner layer on (batch * steps, *rest) at once: the same
  // values as step by step.
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // The inner layer's output spec for (batch, *rest), with the steps put
  // back.
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  // The reshape back to (batch, steps, ...): Reshape_1 (Reshape_2 after
  // reshaping a mask for the layer).
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  std::shared_ptr<Layer> layer_;
  PartialShape step_shape_;  // the dims after the steps, from the first call
};

}  // namespace ap::keras
