// tf.keras.Sequential under tf-keras 2.21 (tf_keras/src/engine/sequential.py):
// a stack of layers that becomes a functional graph as soon as it knows its
// input shape — an Input added first, a first layer made with input_shape=,
// build(), or a call, whose full shape (batch included) it takes, relaxing
// dims that later calls change to None. Until then the layers wait, and its
// weights, summary() and count_params() raise tf-keras' errors.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "functional.h"
#include "input_layer.h"

namespace ap::keras {

class TfKerasSequential : public Layer {
 public:
  // Sequential(layers=None, name=None).
  static std::shared_ptr<TfKerasSequential> Create(RunContext& ctx,
                                                   const CallArgs& args);
  explicit TfKerasSequential(std::string name) : Layer("Sequential", name) {}

  // <tf_keras.src.engine.sequential.Sequential object at 0x7f...>
  std::string Repr() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::vector<Tensor> WeightsWhere(bool trainable) const override;
  std::vector<Value> WeightValues() const override;

  // Sequential.add(layer).
  void Add(RunContext& ctx, const Value& value);
  // Sequential.pop(): returns None in tf-keras.
  void Pop(RunContext& ctx);
  // Sequential.build(input_shape=None).
  void BuildMethod(RunContext& ctx, const Value& input_shape);

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  bool SupportsMasking() const override { return false; }

 private:
  // _init_graph_network(self.inputs, self.outputs).
  void InitGraph(RunContext& ctx);
  // _build_graph_network_for_inferred_shape(input_shape, input_dtype).
  void BuildForInferredShape(RunContext& ctx, const PartialShape& shape,
                             DType dtype);
  // Forgets the nodes an earlier inferred build made in the layers.
  void ClearCreatedNodes();
  [[noreturn]] void RaiseUnbuilt(std::string_view what) const;

  std::vector<std::shared_ptr<Layer>> layers_;  // Sequential.layers
  std::shared_ptr<KerasTensor> inputs_, outputs_;
  std::shared_ptr<FunctionalModel> graph_;
  std::set<const Node*> created_nodes_;
  std::optional<PartialShape> inferred_shape_;
  bool has_explicit_input_shape_ = false;
  bool graph_initialized_ = false;
  bool legacy_deferred_ = false;
  uint64_t address_ = 0;
  mutable std::shared_ptr<TrainingState> training_;  // set by compile()
};

}  // namespace ap::keras
