// 1-D pooling layers, channels_last (keras/src/layers/pooling/, Keras 3.15;
// tf_keras/src/layers/pooling/, 2.21):
//   MaxPooling1D / AveragePooling1D(pool_size, strides=None, padding):
//     (batch, steps, channels) -> (batch, out_steps, channels).
//   GlobalAveragePooling1D / GlobalMaxPooling1D(keepdims=False):
//     (batch, steps, channels) -> (batch, channels) or (batch, 1, channels).
// Only GlobalAveragePooling1D takes a mask: it averages the unmasked steps
// and returns no mask. The others drop a mask.
#pragma once

#include <string>
#include <vector>

#include "layer.h"

namespace ap::keras {

class Pooling1DLayer : public Layer {
 public:
  // max: MaxPooling1D, else AveragePooling1D.
  Pooling1DLayer(RunContext& ctx, const CallArgs& args, bool max);
  std::optional<Value> GetAttr(std::string_view name) const override;
  // Keras 3's compute_pooling_output_shape (its error for an output size
  // <= 0 included).
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // Keras 3 frames the output-size error as compute_output_spec's.
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  bool SupportsMasking() const override { return false; }
  // The pooling's Squeeze.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  bool max_ = true;
  int64_t pool_size_ = 2;
  int64_t strides_ = 2;
  bool same_ = false;
};

class GlobalPooling1DLayer : public Layer {
 public:
  // max: GlobalMaxPooling1D, else GlobalAveragePooling1D.
  GlobalPooling1DLayer(RunContext& ctx, const CallArgs& args, bool max);
  std::optional<Value> GetAttr(std::string_view name) const override;
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  bool SupportsMasking() const override { return !max_; }
  // The steps axis is gone: no mask on the output.
  Value ComputeMask(RunContext& ctx, const Value& inputs,
                    const Value& previous_mask) const override;
  // Max, Mean, or the masked average's truediv.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  bool max_ = false;
  bool keepdims_ = false;
  // data_format='channels_first': (batch, channels, steps).
  bool channels_first_ = false;
};

}  // namespace ap::keras
