// Flatten, Reshape, Activation and BatchNormalization (keras/src/layers/
// {reshaping,activations,normalization}/, Keras 3.15; tf_keras/src/layers/,
// 2.21): the layers a CNN program puts between its convolutions.
//   Flatten: (batch, ...) -> (batch, product); no masking.
//   Reshape(target_shape): (batch, ...) -> (batch, *target_shape), one -1
//     inferred; no masking.
//   Activation(name): elementwise; passes the mask through.
//   BatchNormalization(axis=-1): inference uses the moving statistics
//     (mean 0, variance 1 when created), training=True the batch's, and
//     updates the moving ones; passes the mask through.
#pragma once

#include <string>
#include <vector>

#include "layer.h"

namespace ap::keras {

class FlattenLayer : public Layer {
 public:
  FlattenLayer(RunContext& ctx, const CallArgs& args);
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // Keeps the input's dtype.
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  bool SupportsMasking() const override { return false; }
  // Reshape (ExpandDims for a rank-1 input).
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;
};

class ReshapeLayer : public Layer {
 public:
  ReshapeLayer(RunContext& ctx, const CallArgs& args);
  std::optional<Value> GetAttr(std::string_view name) const override;
  // compute_reshape_output_shape on the non-batch dims (Keras 3's errors).
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  void TfKerasGraphChecks(const LayerCall& call) const override;
  bool SupportsMasking() const override { return false; }
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  std::vector<int64_t> target_shape_;
};

class ActivationLayer : public Layer {
 public:
  ActivationLayer(RunContext& ctx, const CallArgs& args);
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override {
    return input;
  }

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // The activation's op; linear returns the input placeholder itself.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  std::string activation_;  // "" is linear
};

class BatchNormalizationLayer : public Layer {
 public:
  BatchNormalizationLayer(RunContext& ctx, const CallArgs& args);
  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  // The moving statistics are not trained.
  bool WeightTrainable(std::string_view name) const override {
    return name != "moving_mean" && name != "moving_variance";
  }
  std::optional<Value> GetAttr(std::string_view name) const override;
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override {
    return input;
  }

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  // tf.nn.batch_normalization's last add on ranks 2 and 3.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  int64_t axis_ = -1;
  double momentum_ = 0.99;
  double epsilon_ = 1e-3;
  bool center_ = true, scale_ = true;
  Tensor gamma_, beta_, moving_mean_, moving_variance_;
};

}  // namespace ap::keras
