// layers.Dense(units, activation=None, use_bias=True): acts on the last axis
// only. input (..., dim) -> output (..., units). After the first call the
// layer's InputSpec pins dim (docs/spec/keras-semantics.md §4.4, corpus f01).
#pragma once

#include <string>

#include "layer.h"

namespace ap::keras {

class DenseLayer : public Layer {
 public:
  DenseLayer(RunContext& ctx, const CallArgs& args);

  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;

  int64_t units() const { return units_; }
  const Tensor& kernel() const { return kernel_; }
  const Tensor& bias() const { return bias_; }
  const std::string& activation() const { return activation_; }
  bool use_bias() const { return use_bias_; }
  // (..., dim) -> (..., units).
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // BiasAdd, MatMul (rank 2) / Tensordot without a bias, or the
  // activation's op.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  int64_t units_ = 0;
  std::string activation_;  // ActivationName's: "" (linear), "relu", ...
  Profile profile_ = Profile::kKeras3;  // the profile it was made under
  bool use_bias_ = true;
  std::string kernel_initializer_ = "glorot_uniform";
  std::string bias_initializer_ = "zeros";
  Tensor kernel_;  // (dim, units)
  Tensor bias_;    // (units,)
};

}  // namespace ap::keras
