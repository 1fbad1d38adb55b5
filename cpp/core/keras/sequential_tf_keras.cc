#include "sequential_tf_keras.h"

#include "../python/classes.h"
#include "../repr.h"
#include "common.h"
#include "native_method.h"

namespace ap::keras {

namespace {

constexpr char kSingleOutput[] =
    "All layers in a Sequential model should have a single output tensor. "
    "For multi-output layers, use the functional API.";

// The one KerasTensor a layer call gave, or tf-keras' error.
std::shared_ptr<KerasTensor> SingleOutput(const Value& outputs) {
  std::vector<std::shared_ptr<KerasTensor>> flat;
  CollectKerasTensors(outputs, &flat);
  if (flat.size() != 1) RaiseValueError(kSingleOutput);
  return flat[0];
}

std::shared_ptr<KerasTensor> CallOn(RunContext& ctx, Layer& layer,
                                    const std::shared_ptr<KerasTensor>& x) {
  CallArgs args;
  args.positional.push_back(Value::FromObject(x));
  return SingleOutput(layer.Call(ctx, args));
}

// _relax_input_shape: a dim two shapes disagree on becomes None.
std::optional<PartialShape> Relax(const PartialShape& a,
                                  const PartialShape& b) {
  if (a.size() != b.size()) return std::nullopt;
  PartialShape out;
  for (size_t i = 0; i < a.size(); ++i)
    out.push_back(a[i] == b[i] ? a[i] : Dim());
  return out;
}

// An Input of tf-keras: its layer, and its output marked as tf-keras'.
std::shared_ptr<KerasTensor> NewInput(RunContext& ctx, const std::string& name,
                                      const PartialShape& batch_shape,
                                      DType dtype) {
  auto layer = std::make_shared<InputLayer>(ctx, name, batch_shape, dtype);
  std::shared_ptr<KerasTensor> x = layer->MakeOutput(ctx, name);
  x->SetTfKeras(name, name, true);
  return x;
}

}  // namespace

std::shared_ptr<TfKerasSequential> TfKerasSequential::Create(
    RunContext& ctx, const CallArgs& args) {
  const BoundArgs bound = BindArguments(
      "Sequential.__init__", ParseParams("layers=None,name=None"), args);
  const Value& name = bound[1];
  if (!name.is_none() && name.kind() != Value::Kind::kStr) {
    RaiseNotModelled("a Sequential name that is not a string");
  }
  auto model = std::make_shared<TfKerasSequential>(
      name.is_none() ? ctx.UniqueLayerName("sequential") : name.as_str());
  model->address_ = NewObjectAddress(ctx);
  const Value& layers = bound[0];
  if (!layers.is_none() && Truthy(layers)) {
    if (layers.kind() == Value::Kind::kList ||
        layers.kind() == Value::Kind::kTuple) {
      for (const Value& layer : layers.items()) model->Add(ctx, layer);
    } else {
      model->Add(ctx, layers);
    }
  }
  return model;
}

std::string TfKerasSequential::Repr() const {
  return "<tf_keras.src.engine.sequential.Sequential object at " +
         py::AddressText(address_) + ">";
}

void TfKerasSequential::Add(RunContext& ctx, const Value& value) {
  std::shared_ptr<Layer> layer = AsLayer(value);
  std::shared_ptr<KerasTensor> input_tensor;
  if (const auto kt = AsKerasTensor(value)) {
    if (kt->history().node &&
        std::dynamic_pointer_cast<InputLayer>(kt->history().node->layer)) {
      layer = kt->history().node->layer;
      input_tensor = kt;
    }
  }
  if (!layer) {
    RaiseTypeError(
        "The added layer must be an instance of class Layer. Received: "
        "layer=" +
        (value.is_tensor() ? TensorFormat(value.as_tensor()) : ap::Str(value)) +
        " of type <class '" + PyTypeName(value) + "'>.");
  }
  for (const auto& existing : layers_) {
    if (existing->name() == layer->name() && existing != layer) {
      RaiseValueError(
          "All layers added to a Sequential model should have unique names. "
          "Name \"" +
          layer->name() +
          "\" is already the name of a layer in this model. Update the "
          "`name` argument to pass a unique name.");
    }
  }
  const auto as_input = std::dynamic_pointer_cast<InputLayer>(layer);
  built_ = false;
  bool set_inputs = false;
  if (!inputs_ && layers_.empty()) {
    if (as_input) {
      if (!input_tensor) input_tensor = as_input->output();
      if (!input_tensor) RaiseNotModelled("an InputLayer whose Input is gone");
      outputs_ = input_tensor;
      set_inputs = true;
    } else if (!layer->input_shape_arg().is_none()) {
      // get_input_shape_and_dtype: the layer's input_shape=, batch None.
      const std::optional<PartialShape> shape =
          ShapeFromValue(layer->input_shape_arg());
      if (!shape) RaiseNotModelled("this input_shape= value");
      PartialShape batch_shape = {Dim()};
      batch_shape.insert(batch_shape.end(), shape->begin(), shape->end());
      const std::shared_ptr<KerasTensor> x =
          NewInput(ctx, layer->name() + "_input", batch_shape, DType::kFloat32);
      outputs_ = CallOn(ctx, *layer, x);
      set_inputs = true;
    }
    if (set_inputs) {
      // get_source_inputs of the one output.
      inputs_ = as_input ? input_tensor : outputs_;
      if (!as_input) {
        inputs_ = outputs_->history().node->inputs.at(0);
      }
      built_ = true;
      has_explicit_input_shape_ = true;
    }
  } else if (outputs_) {
    if (as_input) {
      RaiseNotModelled("adding a second Input to a tf-keras Sequential model");
    }
    outputs_ = CallOn(ctx, *layer, outputs_);
    built_ = true;
  }
  if (set_inputs || graph_initialized_) {
    InitGraph(ctx);
    graph_initialized_ = true;
  } else {
    layers_.push_back(layer);
  }
}

void TfKerasSequential::InitGraph(RunContext& ctx) {
  graph_ = FunctionalModel::FromTensors(ctx, Value::FromObject(inputs_),
                                        Value::FromObject(outputs_), name());
  layers_.clear();
  for (const auto& layer : graph_->layers()) {
    if (!std::dynamic_pointer_cast<InputLayer>(layer)) layers_.push_back(layer);
  }
}

void TfKerasSequential::ClearCreatedNodes() {
  for (const auto& layer : layers_) layer->ForgetNodes(created_nodes_);
  created_nodes_.clear();
}

void TfKerasSequential::BuildForInferredShape(RunContext& ctx,
                                              const PartialShape& shape,
                                              DType dtype) {
  if (layers_.empty() || has_explicit_input_shape_ || legacy_deferred_) {
    return;
  }
  const std::optional<PartialShape> new_shape =
      inferred_shape_ ? Relax(*inferred_shape_, shape) : shape;
  if (!new_shape || new_shape == inferred_shape_) {
    if (!new_shape) {
      RaiseNotModelled(
          "a tf-keras Sequential model called on inputs of another rank");
    }
    return;
  }
  const std::shared_ptr<KerasTensor> inputs =
      NewInput(ctx, layers_[0]->name() + "_input", *new_shape, dtype);
  ClearCreatedNodes();
  std::shared_ptr<KerasTensor> x = inputs;
  for (const auto& layer : layers_) {
    try {
      x = CallOn(ctx, *layer, x);
    } catch (const ErrorException& e) {
      if (e.error().cls == ErrorClass::kNotSupportedError) throw;
      // tf-keras then calls the layers one by one on every call, and its
      // errors come from there.
      RaiseNotModelled(
          "a tf-keras Sequential model whose layers cannot be called on "
          "keras.Input tensors (tf-keras falls back to calling them one by "
          "one)");
    }
    const std::shared_ptr<Node> node = layer->inbound_nodes().back().lock();
    if (node) created_nodes_.insert(node.get());
  }
  inputs_ = inputs;
  outputs_ = x;
  InitGraph(ctx);
  graph_initialized_ = true;
  inferred_shape_ = new_shape;
}

void TfKerasSequential::Pop(RunContext& ctx) {
  if (layers_.empty()) RaiseTypeError("There are no layers in the model.");
  layers_.pop_back();
  if (layers_.empty()) {
    inputs_ = outputs_ = nullptr;
    graph_ = nullptr;
    built_ = false;
    inferred_shape_.reset();
    has_explicit_input_shape_ = false;
    graph_initialized_ = false;
  } else if (graph_initialized_) {
    // self.layers[-1].output: the last layer's call in this graph, whose
    // output the next call (the popped layer's) took as its input.
    const std::shared_ptr<Node> node =
        layers_.back()->inbound_nodes().back().lock();
    outputs_ = nullptr;
    if (node && node->outputs.size() == 1) {
      for (const auto& m : graph_->nodes()) {
        for (const auto& in : m->inputs) {
          if (in.get() == node->outputs[0]) outputs_ = in;
        }
      }
    }
    if (!outputs_) RaiseNotModelled("pop() of this tf-keras Sequential model");
    InitGraph(ctx);
    built_ = true;
  }
}

void TfKerasSequential::BuildMethod(RunContext& ctx, const Value& input_shape) {
  if (graph_initialized_) {
    InitGraph(ctx);
  } else {
    if (input_shape.is_none()) {
      RaiseValueError("You must provide an `input_shape` argument.");
    }
    const std::optional<PartialShape> shape = ShapeFromValue(input_shape);
    if (!shape) RaiseNotModelled("this build() input_shape");
    BuildForInferredShape(ctx, *shape, DType::kFloat32);
    if (!graph_initialized_ && !layers_.empty()) {
      RaiseNotModelled("building this tf-keras Sequential model");
    }
  }
  built_ = true;
}

std::vector<Param> TfKerasSequential::CallParams(Profile) const {
  return ParseParams("inputs,training=None,mask=None");
}

void TfKerasSequential::CheckCall(RunContext&, LayerCall& call) {
  // Its input_spec: the graph's, once the input shape was given.
  if (graph_ && has_explicit_input_shape_) {
    graph_->CheckInputs(call[0], name());
  }
}

void TfKerasSequential::Build(RunContext& ctx, const LayerCall& call) {
  const std::optional<PartialShape> shape = call.ShapeOf(0);
  if (!shape) RaiseNotModelled("calling a Sequential model on a non-tensor");
  if (graph_initialized_) {
    InitGraph(ctx);
  } else {
    BuildForInferredShape(ctx, *shape,
                          DTypeOfTensorLike(call[0]).value_or(DType::kFloat32));
  }
}

Value TfKerasSequential::CallBody(RunContext& ctx, LayerCall& call) {
  const Value& inputs = call[0];
  if (!has_explicit_input_shape_ && !call.symbolic) {
    if (const auto shape = ShapeOfTensorLike(inputs)) {
      BuildForInferredShape(
          ctx, *shape, DTypeOfTensorLike(inputs).value_or(DType::kFloat32));
    }
  }
  if (!graph_) {
    if (layers_.empty()) return inputs;
    RaiseNotModelled("calling this unbuilt tf-keras Sequential model");
  }
  return graph_->Run(ctx, inputs);
}

Value TfKerasSequential::ComputeOutputSpec(RunContext& ctx,
                                           const LayerCall& call) {
  if (!graph_ || graph_->flat_outputs().size() != 1) {
    RaiseNotModelled("this tf-keras Sequential model on keras.Input tensors");
  }
  (void)call;
  const auto& out = graph_->flat_outputs()[0];
  return Value::FromObject(NewKerasTensor(ctx, out->shape(), out->dtype()));
}

std::vector<std::pair<std::string, Tensor>> TfKerasSequential::Weights() const {
  return WeightsOfLayers(layers_);
}

std::vector<Value> TfKerasSequential::WeightValues() const {
  return WeightValuesOfLayers(layers_);
}

std::vector<Tensor> TfKerasSequential::WeightsWhere(bool trainable) const {
  return WeightsOfLayersWhere(layers_, trainable_, trainable);
}

void TfKerasSequential::RaiseUnbuilt(std::string_view what) const {
  if (what == "weights") {
    RaiseValueError("Weights for model '" + name() +
                    "' have not yet been created. Weights are created when "
                    "the model is first called on inputs or `build()` is "
                    "called with an `input_shape`.");
  }
  if (what == "summary") {
    RaiseValueError(
        "This model has not yet been built. Build the model first by calling "
        "`build()` or by calling the model on a batch of data.");
  }
  RaiseValueError("You tried to call `count_params` on layer " + name() +
                  ", but the layer isn't built. You can build it manually "
                  "via: `" +
                  name() + ".build(batch_input_shape)`.");
}

std::optional<Value> TfKerasSequential::GetAttr(std::string_view attr) const {
  auto self = std::static_pointer_cast<TfKerasSequential>(
      std::const_pointer_cast<Layer>(shared_from_this()));
  if (attr == "add" || attr == "pop" || attr == "build") {
    const std::string method(attr);
    return Value::FromObject(std::make_shared<NativeMethod>(
        self, "Sequential." + method,
        [self, method](RunContext& ctx, const CallArgs& args) {
          if (method == "add") {
            self->Add(ctx, BindArguments("add", ParseParams("layer"), args)[0]);
          } else if (method == "pop") {
            BindArguments("pop", {}, args);
            self->Pop(ctx);
          } else {
            self->BuildMethod(
                ctx, BindArguments("build", ParseParams("input_shape=None"),
                                   args)[0]);
          }
          return Value::None();
        }));
  }
  const bool weights = attr == "weights" || attr == "trainable_weights" ||
                       attr == "non_trainable_weights" || attr == "variables" ||
                       attr == "trainable_variables" ||
                       attr == "non_trainable_variables";
  if (!built_ && (weights || attr == "summary" || attr == "count_params")) {
    const std::string what(weights ? "weights" : attr);
    if (weights) RaiseUnbuilt(what);
    return Value::FromObject(std::make_shared<NativeMethod>(
        self, "Sequential." + what,
        [self, what](RunContext&, const CallArgs&) -> Value {
          self->RaiseUnbuilt(what);
        }));
  }
  if (!graph_ &&
      (attr == "inputs" || attr == "outputs" || attr == "input" ||
       attr == "output" || attr == "input_shape" || attr == "output_shape")) {
    RaiseNotModelled("the " + std::string(attr) +
                     " of a tf-keras Sequential model that has no input shape "
                     "yet");
  }
  if (auto v = TrainingAttr(attr, self, &self->training_,
                            [self]() -> std::optional<ModelGraphView> {
                              if (!self->graph_) return std::nullopt;
                              return self->graph_->GraphView(false);
                            })) {
    return v;
  }
  if (auto v = FunctionalModel::ModelAttr(attr, self, graph_, layers_)) {
    return v;
  }
  return Layer::GetAttr(attr);
}

}  // namespace ap::keras
