// keras.Model(inputs, outputs): a functional model (Keras 3's Functional,
// keras/src/models/functional.py and keras/src/ops/function.py, Keras 3.15).
// It holds the graph of layer calls (Nodes) between its input and output
// KerasTensors; calling it replays those calls on the given tensors, in
// Keras' order, so every shape error appears in the layer that raises it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layer.h"
#include "training.h"

namespace ap::keras {

// The weights of a model's layers, in order (model.weights), and those that
// are (non-)trainable under the model's own trainable flag.
std::vector<std::pair<std::string, Tensor>> WeightsOfLayers(
    const std::vector<std::shared_ptr<Layer>>& layers);
// Their weights as Variables, each once (layer.weights of a model).
std::vector<Value> WeightValuesOfLayers(
    const std::vector<std::shared_ptr<Layer>>& layers);
std::vector<Tensor> WeightsOfLayersWhere(
    const std::vector<std::shared_ptr<Layer>>& layers, bool model_trainable,
    bool trainable);

// model.summary() of a subclassed model whose tracked layers are `layers`:
// Keras 3 shows each layer's output shape from its nodes or the call that
// built it ("?" when `knows_output_shape` says Keras cannot compute it or
// the layer is unbuilt, "0 (unbuilt)" params); tf-keras needs the model
// built and shows "multiple" for layers used only inside it.
std::string SubclassedModelSummary(
    const Layer& model, const std::vector<std::shared_ptr<Layer>>& layers,
    bool tf_keras, bool (*knows_output_shape)(const Layer& layer));

class FunctionalModel : public Layer {
 public:
  // keras.Model(inputs, outputs, name=None) (also keras.models.Model and
  // tf.keras.Model); raises Keras' errors for outputs not reachable from
  // the inputs.
  static std::shared_ptr<FunctionalModel> Create(RunContext& ctx,
                                                 const CallArgs& args);
  // The same from the inputs and outputs (Sequential builds one).
  static std::shared_ptr<FunctionalModel> FromTensors(RunContext& ctx,
                                                      Value inputs,
                                                      Value outputs,
                                                      std::string name);

  FunctionalModel(std::string name, Value inputs, Value outputs)
      : Layer("Functional", std::move(name)),
        inputs_(std::move(inputs)),
        outputs_(std::move(outputs)) {}

  // "<Functional name=functional, built=True>"; tf-keras keeps object's
  // repr, "<tf_keras.src.engine.functional.Functional object at 0x7f...>".
  std::string Repr() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::vector<Tensor> WeightsWhere(bool trainable) const override;
  std::vector<Value> WeightValues() const override;

  // The layers in Keras' order: by depth from the inputs, then discovery
  // (model.layers); operations() adds the keras.ops operations between
  // them (model.summary()).
  const std::vector<std::shared_ptr<Layer>>& layers() const { return layers_; }
  const std::vector<std::shared_ptr<Layer>>& operations() const {
    return operations_;
  }
  // The nodes of this graph in execution order, and each layer's depth.
  const std::vector<std::shared_ptr<Node>>& nodes() const { return nodes_; }
  bool IsNodeInGraph(const Node* node) const;
  // Whether every depth holds one node of one input (summary's layout).
  bool sequential_like() const { return sequential_like_; }
  // Made under tf-keras 2 (its texts, names and summary).
  bool tf_keras() const { return tf_keras_; }
  int64_t CountParams() const;
  // model.summary(): Keras 3's table, written to the program's stdout.
  std::string Summary() const;
  // The model's inputs and outputs as Keras gives them: a list.
  const std::vector<std::shared_ptr<KerasTensor>>& flat_inputs() const {
    return flat_inputs_;
  }
  const std::vector<std::shared_ptr<KerasTensor>>& flat_outputs() const {
    return flat_outputs_;
  }
  // Functional.input_spec checked against a call's inputs, as layer
  // `layer_name` (assert_input_compatibility; unwrapped ValueErrors).
  void CheckInputs(const Value& inputs, const std::string& layer_name) const;
  // Maps the graph over `inputs` (tensors or KerasTensors).
  Value Run(RunContext& ctx, const Value& inputs);
  // What fit/evaluate/predict need of this graph; `check_inputs` adds
  // Functional's input spec check (a Sequential's errors differ).
  ModelGraphView GraphView(bool check_inputs) const;
  // Attributes every model shares (inputs, outputs, input_shape, layers,
  // summary, count_params, ...), for `owner` (this model or the Sequential
  // around it) listing `layers`.
  static std::optional<Value> ModelAttr(
      std::string_view attr, const std::shared_ptr<Layer>& owner,
      const std::shared_ptr<FunctionalModel>& graph,
      const std::vector<std::shared_ptr<Layer>>& layers);

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  bool SupportsMasking() const override { return false; }

 private:
  void MapGraph();
  void CheckOutputsConnected() const;
  void CheckInputsTfKeras(const Value& inputs, const ValueList& flat,
                          const std::string& layer_name) const;
  Value AdjustInputRank(RunContext& ctx, const Value& x, size_t i,
                        bool nested) const;

  Value inputs_;   // as given: a KerasTensor or a list of them
  Value outputs_;  // as given
  std::vector<std::shared_ptr<KerasTensor>> flat_inputs_, flat_outputs_;
  std::vector<std::shared_ptr<Node>> nodes_;  // execution order
  // Every node's outputs, alive while the model is (Node holds them weakly).
  std::vector<std::shared_ptr<KerasTensor>> graph_tensors_;
  std::vector<std::shared_ptr<Layer>> operations_;  // layers and keras.ops
  std::vector<std::shared_ptr<Layer>> layers_;
  bool sequential_like_ = true;
  bool tf_keras_ = false;
  uint64_t address_ = 0;                             // tf-keras prints it
  mutable std::shared_ptr<TrainingState> training_;  // set by compile()
};

}  // namespace ap::keras
