// layers.Dot(axes, normalize=False): batch_dot of two inputs (batch, ...)
// over one axis of each (keras/src/layers/merging/dot.py, Keras 3.15;
// tf_keras/src/layers/merging/dot.py, 2.21). Output: x's dims without
// its axis, then y's without its batch and axis dims; (batch, 1) when only
// the batch dim is left.
#pragma once

#include "layer.h"

namespace ap::keras {

class DotLayer : public Layer {
 public:
  DotLayer(RunContext& ctx, const CallArgs& args);
  std::optional<Value> GetAttr(std::string_view name) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  // Checks the two shapes' axis sizes (unwrapped errors).
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  Value ComputeMask(RunContext&, const Value&, const Value&) const override {
    return Value::None();
  }
  // batch_dot's MatMul (rank 3), or the Squeeze of a rank-2 operand's
  // expanded product.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  Value axes_;  // an int or a pair of ints, as given
  bool normalize_ = false;
};

}  // namespace ap::keras
