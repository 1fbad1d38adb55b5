// layers.Softmax, layers.Dropout and layers.LayerNormalization (Keras 3.15):
// the small layers learners put around attention. Inference semantics are
// exact; Dropout with training=True draws from the playground's generator
// (its values are not TF's).
#pragma once

#include "layer.h"

namespace ap::keras {

class SoftmaxLayer : public Layer {
 public:
  SoftmaxLayer(RunContext& ctx, const CallArgs& args);
  std::optional<Value> GetAttr(std::string_view name) const override;
  // Elementwise: the output has the input's shape.
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override {
    return input;
  }

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // Softmax, or the transpose back from a softmax over another axis.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  int64_t axis_ = -1;
};

class DropoutLayer : public Layer {
 public:
  DropoutLayer(RunContext& ctx, const CallArgs& args);
  std::optional<Value> GetAttr(std::string_view name) const override;
  // Elementwise: the output has the input's shape.
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override {
    return input;
  }

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // Identity, or the dropout's SelectV2 with training=True.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  double rate_ = 0;
};

// keras.layers.Masking(mask_value=0.0) (keras/src/layers/core/masking.py,
// Keras 3.15; tf_keras/src/layers/core/masking.py, 2.21): steps whose
// features all equal mask_value become zeros and are masked out.
class MaskingLayer : public Layer {
 public:
  MaskingLayer(RunContext& ctx, const CallArgs& args);
  std::optional<Value> GetAttr(std::string_view name) const override;
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override {
    return input;
  }

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // any(inputs != mask_value, axis=-1).
  Value ComputeMask(RunContext& ctx, const Value& inputs,
                    const Value& previous_mask) const override;

 private:
  double mask_value_ = 0.0;
};

class LayerNormalizationLayer : public Layer {
 public:
  LayerNormalizationLayer(RunContext& ctx, const CallArgs& args);
  std::optional<Value> GetAttr(std::string_view name) const override;
  // Elementwise: the output has the input's shape.
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override {
    return input;
  }
  std::vector<std::pair<std::string, Tensor>> Weights() const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // The fused kernel's last op, or tf.nn.batch_normalization's.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  int64_t axis_ = -1;
  double epsilon_ = 1e-3;
  bool center_ = true, scale_ = true;
  Tensor gamma_, beta_;
};

}  // namespace ap::keras
