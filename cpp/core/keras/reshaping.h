// layers.Permute and layers.RepeatVector (keras/src/layers/reshaping/,
// Keras 3.15; tf_keras/src/layers/reshaping/, 2.21).
//   Permute(dims): (batch, d1, ..., dn) -> (batch, d[dims[0]], ...); dims
//     is a permutation of 1..n (the batch axis stays first).
//   RepeatVector(n): (batch, features) -> (batch, n, features).
// Neither supports masking: a mask on the input is dropped.
#pragma once

#include <vector>

#include "layer.h"

namespace ap::keras {

class PermuteLayer : public Layer {
 public:
  PermuteLayer(RunContext& ctx, const CallArgs& args);
  std::optional<Value> GetAttr(std::string_view name) const override;
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  bool SupportsMasking() const override { return false; }
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  std::vector<int64_t> dims_;  // 1-based: input axis of each output axis
};

class RepeatVectorLayer : public Layer {
 public:
  RepeatVectorLayer(RunContext& ctx, const CallArgs& args);
  std::optional<Value> GetAttr(std::string_view name) const override;
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  bool SupportsMasking() const override { return false; }
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  int64_t n_ = 1;
};

}  // namespace ap::keras
