// model.compile / fit / evaluate / predict for functional and Sequential
// models (Keras 3's Trainer, keras/src/trainers/trainer.py and
// keras/src/backend/tensorflow/trainer.py, Keras 3.15). fit runs the
// forward pass and the loss on every batch (batch_size 32 by default, a
// short last batch included) so every shape error appears where Keras
// raises it, and prints Keras' progress lines; the weights are NOT trained:
// the History holds the loss of the untrained weights per epoch.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layer.h"

namespace ap::keras {

// What training needs from a model's graph.
struct ModelGraphView {
  // One entry per layer call, in execution order (graph scope names).
  std::vector<std::shared_ptr<Layer>> called_layers;
  // The layer whose call made the model's only output (null if several).
  std::shared_ptr<Layer> output_layer;
  size_t num_inputs = 1;
  size_t num_outputs = 1;
  // The input layers' names, in the order of the inputs.
  std::vector<std::string> input_names;
  // The output layers' names, in the order of the outputs.
  std::vector<std::string> output_names;
  // The shapes of the model's inputs, in order (empty if not known).
  std::vector<PartialShape> input_shapes;
  // Functional.input_spec checked against (traced) inputs; may be empty.
  std::function<void(const Value&)> check_inputs;
};
// The view of a model's current graph; nullopt while it is unbuilt.
using ModelGraphViewFn = std::function<std::optional<ModelGraphView>()>;

// compile()'s configuration; null until compile() runs.
struct TrainingState;

// compile, fit, evaluate and predict of `model` as bound methods; nullopt
// for any other attribute. `state` is the model's own slot (it outlives the
// methods, which hold `model`).
std::optional<Value> TrainingAttr(std::string_view attr,
                                  const std::shared_ptr<Layer>& model,
                                  std::shared_ptr<TrainingState>* state,
                                  ModelGraphViewFn view);

}  // namespace ap::keras
