// layers.Conv1D (keras/src/layers/convolutional/{base_conv,conv1d}.py, Keras
// 3.15; tf_keras/src/layers/convolutional/, 2.21), channels_last:
// (batch, steps, channels) -> (batch, out_steps, filters), kernel
// (kernel_size, channels, filters). padding 'valid', 'same' or 'causal'
// (left-padded by dilation_rate * (kernel_size - 1), then 'valid'). After
// build the InputSpec pins the channels. No masking: a mask is dropped.
#pragma once

#include <string>
#include <vector>

#include "layer.h"

namespace ap::keras {

class Conv1DLayer : public Layer {
 public:
  Conv1DLayer(RunContext& ctx, const CallArgs& args);

  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  // Keras 3's compute_conv_output_shape; raises its errors (kernel rank,
  // an output size <= 0).
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  bool SupportsMasking() const override { return false; }
  // BiasAdd, the convolution's Squeeze (BatchToSpaceND when dilated), or
  // the activation's op.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  int64_t filters_ = 1;
  int64_t kernel_size_ = 1;
  int64_t strides_ = 1;
  int64_t dilation_rate_ = 1;
  std::string padding_ = "valid";
  std::string activation_;  // "" is linear
  bool use_bias_ = true;
  std::string kernel_initializer_ = "glorot_uniform";
  std::string bias_initializer_ = "zeros";
  Profile profile_ = Profile::kKeras3;
  Tensor kernel_;  // (kernel_size, channels, filters)
  Tensor bias_;    // (filters,)
};

}  // namespace ap::keras
