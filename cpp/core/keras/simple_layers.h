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

 protected:
  Value CallLayer(RunContext& ctx, const CallArgs& args,
                  CallMasks& masks) override;

 private:
  int64_t axis_ = -1;
};

class DropoutLayer : public Layer {
 public:
  DropoutLayer(RunContext& ctx, const CallArgs& args);
  std::optional<Value> GetAttr(std::string_view name) const override;

 protected:
  Value CallLayer(RunContext& ctx, const CallArgs& args,
                  CallMasks& masks) override;

 private:
  double rate_ = 0;
};

class LayerNormalizationLayer : public Layer {
 public:
  LayerNormalizationLayer(RunContext& ctx, const CallArgs& args);
  std::optional<Value> GetAttr(std::string_view name) const override;

 protected:
  Value CallLayer(RunContext& ctx, const CallArgs& args,
                  CallMasks& masks) override;
  std::vector<std::pair<std::string, Tensor>> Weights() const override;

 private:
  int64_t axis_ = -1;
  double epsilon_ = 1e-3;
  bool center_ = true, scale_ = true;
  Tensor gamma_, beta_;
};

}  // namespace ap::keras
