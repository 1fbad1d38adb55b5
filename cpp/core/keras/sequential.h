// keras.Sequential (keras/src/models/sequential.py, Keras 3.15): a stack of
// layers. Once it knows its input shape (a keras.Input first, a first layer
// made with input_shape=, build(), or its first call) it calls each layer
// on the previous one's KerasTensor and keeps the resulting functional
// graph; calls then run through that graph.
// Under tf-keras 2.21 (tf_keras/src/engine/sequential.py) the same class
// follows tf-keras' rules (sequential_tf_keras.cc): until it knows its input
// shape the layers wait, and its weights, summary() and count_params()
// raise; a call builds the graph on the call's full shape (batch
// included), relaxing dims later calls change to None. One class for both,
// so that tf-keras' model adds no virtual functions (each would be a stub
// in the page's first-load module).
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "functional.h"
#include "input_layer.h"

namespace ap::keras {

class SequentialModel : public Layer {
 public:
  // keras.Sequential(layers=None, trainable=True, name=None); tf-keras'
  // Sequential(layers=None, name=None).
  static std::shared_ptr<SequentialModel> Create(RunContext& ctx,
                                                 const CallArgs& args);
  explicit SequentialModel(std::string name) : Layer("Sequential", name) {}

  // tf-keras keeps object's repr:
  // <tf_keras.src.engine.sequential.Sequential object at 0x7f...>.
  std::string Repr() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::vector<Tensor> WeightsWhere(bool trainable) const override;
  std::vector<Value> WeightValues() const override;

  // Sequential.add(layer); rebuilds when the input shape is known.
  void Add(RunContext& ctx, const Value& layer, bool rebuild);

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  bool SupportsMasking() const override { return false; }

 private:
  void MaybeRebuild(RunContext& ctx);
  // Sequential.build(input_shape): the InputLayer, then the symbolic pass.
  void BuildFor(RunContext& ctx, const PartialShape& input_shape);
  static void RaiseIfSeveralRequiredInputs(RunContext& ctx, const Layer& layer);
  // The layers without the leading InputLayer (Sequential.layers).
  std::vector<std::shared_ptr<Layer>> VisibleLayers() const;

  // tf-keras' model (sequential_tf_keras.cc).
  struct TfKerasState {
    std::shared_ptr<KerasTensor> inputs, outputs;
    std::set<const Node*> created_nodes;  // by the last inferred build
    std::optional<PartialShape> inferred_shape;
    bool has_explicit_input_shape = false;
    bool graph_initialized = false;
    uint64_t address = 0;
  };
  static std::shared_ptr<SequentialModel> CreateTfKeras(RunContext& ctx,
                                                        const CallArgs& args);
  // Sequential.add(layer).
  void TfKerasAdd(RunContext& ctx, const Value& value);
  // Sequential.pop(): returns None in tf-keras.
  void TfKerasPop(RunContext& ctx);
  // Sequential.build(input_shape=None).
  void TfKerasBuildMethod(RunContext& ctx, const Value& input_shape);
  // _init_graph_network(self.inputs, self.outputs).
  void TfKerasInitGraph(RunContext& ctx);
  // _build_graph_network_for_inferred_shape(input_shape, input_dtype).
  void TfKerasBuildForShape(RunContext& ctx, const PartialShape& shape,
                            DType dtype);
  void TfKerasBuild(RunContext& ctx, const LayerCall& call);
  Value TfKerasCallBody(RunContext& ctx, LayerCall& call);
  Value TfKerasComputeOutputSpec(RunContext& ctx) const;
  std::optional<Value> TfKerasGetAttr(std::string_view name) const;
  void TfKerasClearCreatedNodes();
  [[noreturn]] void RaiseTfKerasUnbuilt(std::string_view what) const;

  // Keras 3: may start with InputLayer; tf-keras: Sequential.layers.
  std::vector<std::shared_ptr<Layer>> layers_;
  // The leading InputLayer's output, held here (the layer holds it weakly).
  std::shared_ptr<KerasTensor> input_tensor_;
  std::shared_ptr<FunctionalModel> functional_;
  std::unique_ptr<TfKerasState> tf_keras_;  // null under Keras 3
  // The layers' outputs of every build, kept as Keras' nodes keep them.
  std::vector<Value> built_outputs_;
  mutable std::shared_ptr<TrainingState> training_;  // set by compile()
};

}  // namespace ap::keras
