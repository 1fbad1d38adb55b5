// keras.Sequential (keras/src/models/sequential.py, Keras 3.15): a stack of
// layers. Once it knows its input shape (a keras.Input first, a first layer
// made with input_shape=, build(), or its first call) it calls each layer
// on the previous one's KerasTensor and keeps the resulting functional
// graph; calls then run through that graph.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "functional.h"
#include "input_layer.h"

namespace ap::keras {

class SequentialModel : public Layer {
 public:
  // keras.Sequential(layers=None, trainable=True, name=None).
  static std::shared_ptr<SequentialModel> Create(RunContext& ctx,
                                                 const CallArgs& args);
  explicit SequentialModel(std::string name) : Layer("Sequential", name) {}

  std::optional<Value> GetAttr(std::string_view name) const override;
  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::vector<Tensor> WeightsWhere(bool trainable) const override;
  std::vector<Value> WeightValues() const override;

  // Sequential.add(layer); rebuilds when the input shape is known.
  void Add(RunContext& ctx, const Value& layer, bool rebuild);

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  bool SupportsMasking() const override { return false; }

 private:
  void MaybeRebuild(RunContext& ctx);
  // Sequential.build(input_shape): the InputLayer, then the symbolic pass.
  void BuildFor(RunContext& ctx, const PartialShape& input_shape);
  // The layers without the leading InputLayer (Sequential.layers).
  std::vector<std::shared_ptr<Layer>> VisibleLayers() const;

  std::vector<std::shared_ptr<Layer>> layers_;  // may start with InputLayer
  // The leading InputLayer's output, held here (the layer holds it weakly).
  std::shared_ptr<KerasTensor> input_tensor_;
  std::shared_ptr<FunctionalModel> functional_;
  mutable std::shared_ptr<TrainingState> training_;  // set by compile()
};

}  // namespace ap::keras
