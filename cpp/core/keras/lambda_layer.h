// layers.Lambda(function, output_shape=None, mask=None, arguments=None):
// call() is function(inputs, **arguments), with mask= and training= when
// the function takes them (keras/src/layers/core/lambda_layer.py, Keras
// 3.15; tf_keras/src/layers/core/lambda_layer.py, 2.21). No weights.
#pragma once

#include "layer.h"

namespace ap::keras {

class LambdaLayer : public Layer {
 public:
  LambdaLayer(RunContext& ctx, const CallArgs& args);
  std::optional<Value> GetAttr(std::string_view name) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // compute_output_shape: from output_shape, else from running the
  // function (Keras traces it on the KerasTensors; here on stand-ins).
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  bool SupportsMasking() const override { return false; }

 private:
  Value CallFunction(RunContext& ctx, const Value& inputs, const Value& mask,
                     const Value& training) const;

  Value function_;
  Value output_shape_;  // None, or a tuple / list of dims without the batch
  Value arguments_;     // a dict, or None
  bool takes_mask_ = false, takes_training_ = false;
};

}  // namespace ap::keras
