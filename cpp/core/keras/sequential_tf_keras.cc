#include "../python/classes.h"
#include "../repr.h"
#include "common.h"
#include "native_method.h"
#include "sequential.h"

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

std::shared_ptr<SequentialModel> SequentialModel::CreateTfKeras(
    RunContext& ctx, const CallArgs& args) {
  const BoundArgs bound = BindArguments(
      "Sequential.__init__", ParseParams("layers=None,name=None"), args);
  const Value& name = bound[1];
  if (!name.is_none() && name.kind() != Value::Kind::kStr) {
    RaiseNotModelled("a Sequential name that is not a string");
  }
  auto model = std::make_shared<SequentialModel>(
      name.is_none() ? ctx.UniqueLayerName("sequential") : name.as_str());
  model->tf_keras_made_ = true;
  model->tf_keras_ = std::make_unique<TfKerasState>();
  model->tf_keras_->address = NewObjectAddress(ctx);
  const Value& layers = bound[0];
  if (!layers.is_none() && Truthy(layers)) {
    if (layers.kind() == Value::Kind::kList ||
        layers.kind() == Value::Kind::kTuple) {
      for (const Value& layer : layers.items()) model->TfKerasAdd(ctx, layer);
    } else {
      model->TfKerasAdd(ctx, layers);
    }
  }
  return model;
}

std::string SequentialModel::Repr() const {
  if (!tf_keras_) return Layer::Repr();
  return "<tf_keras.src.engine.sequential.Sequential object at " +
         py::AddressText(tf_keras_->address) + ">";
}

void SequentialModel::TfKerasAdd(RunContext& ctx, const Value& value) {
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
  if (!tf_keras_->inputs && layers_.empty()) {
    if (as_input) {
      if (!input_tensor) input_tensor = as_input->output();
      if (!input_tensor) RaiseNotModelled("an InputLayer whose Input is gone");
      tf_keras_->outputs = input_tensor;
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
      tf_keras_->outputs = CallOn(ctx, *layer, x);
      set_inputs = true;
    }
    if (set_inputs) {
      // get_source_inputs of the one output.
      tf_keras_->inputs = as_input ? input_tensor : tf_keras_->outputs;
      if (!as_input) {
        tf_keras_->inputs = tf_keras_->outputs->history().node->inputs.at(0);
      }
      built_ = true;
      tf_keras_->has_explicit_input_shape = true;
    }
  } else if (tf_keras_->outputs) {
    if (as_input) {
      RaiseNotModelled("adding a second Input to a tf-keras Sequential model");
    }
    tf_keras_->outputs = CallOn(ctx, *layer, tf_keras_->outputs);
    built_ = true;
  }
  if (set_inputs || tf_keras_->graph_initialized) {
    TfKerasInitGraph(ctx);
    tf_keras_->graph_initialized = true;
  } else {
    layers_.push_back(layer);
  }
}

void SequentialModel::TfKerasInitGraph(RunContext& ctx) {
  functional_ = FunctionalModel::FromTensors(
      ctx, Value::FromObject(tf_keras_->inputs),
      Value::FromObject(tf_keras_->outputs), name());
  layers_.clear();
  for (const auto& layer : functional_->layers()) {
    if (!std::dynamic_pointer_cast<InputLayer>(layer)) layers_.push_back(layer);
  }
}

void SequentialModel::TfKerasClearCreatedNodes() {
  for (const auto& layer : layers_)
    layer->ForgetNodes(tf_keras_->created_nodes);
  tf_keras_->created_nodes.clear();
}

void SequentialModel::TfKerasBuildForShape(RunContext& ctx,
                                           const PartialShape& shape,
                                           DType dtype) {
  if (layers_.empty() || tf_keras_->has_explicit_input_shape) {
    return;
  }
  const std::optional<PartialShape> new_shape =
      tf_keras_->inferred_shape ? Relax(*tf_keras_->inferred_shape, shape)
                                : shape;
  if (!new_shape || new_shape == tf_keras_->inferred_shape) {
    if (!new_shape) {
      RaiseNotModelled(
          "a tf-keras Sequential model called on inputs of another rank");
    }
    return;
  }
  const std::shared_ptr<KerasTensor> inputs =
      NewInput(ctx, layers_[0]->name() + "_input", *new_shape, dtype);
  TfKerasClearCreatedNodes();
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
    if (node) tf_keras_->created_nodes.insert(node.get());
  }
  tf_keras_->inputs = inputs;
  tf_keras_->outputs = x;
  TfKerasInitGraph(ctx);
  tf_keras_->graph_initialized = true;
  tf_keras_->inferred_shape = new_shape;
}

void SequentialModel::TfKerasPop(RunContext& ctx) {
  if (layers_.empty()) RaiseTypeError("There are no layers in the model.");
  layers_.pop_back();
  if (layers_.empty()) {
    tf_keras_->inputs = tf_keras_->outputs = nullptr;
    functional_ = nullptr;
    built_ = false;
    tf_keras_->inferred_shape.reset();
    tf_keras_->has_explicit_input_shape = false;
    tf_keras_->graph_initialized = false;
  } else if (tf_keras_->graph_initialized) {
    // self.layers[-1].output: the last layer's call in this graph, whose
    // output the next call (the popped layer's) took as its input.
    const std::shared_ptr<Node> node =
        layers_.back()->inbound_nodes().back().lock();
    tf_keras_->outputs = nullptr;
    if (node && node->outputs.size() == 1) {
      for (const auto& m : functional_->nodes()) {
        for (const auto& in : m->inputs) {
          if (in.get() == node->outputs[0]) tf_keras_->outputs = in;
        }
      }
    }
    if (!tf_keras_->outputs)
      RaiseNotModelled("pop() of this tf-keras Sequential model");
    TfKerasInitGraph(ctx);
    built_ = true;
  }
}

void SequentialModel::TfKerasBuildMethod(RunContext& ctx,
                                         const Value& input_shape) {
  if (tf_keras_->graph_initialized) {
    TfKerasInitGraph(ctx);
  } else {
    if (input_shape.is_none()) {
      RaiseValueError("You must provide an `input_shape` argument.");
    }
    const std::optional<PartialShape> shape = ShapeFromValue(input_shape);
    if (!shape) RaiseNotModelled("this build() input_shape");
    TfKerasBuildForShape(ctx, *shape, DType::kFloat32);
    if (!tf_keras_->graph_initialized && !layers_.empty()) {
      RaiseNotModelled("building this tf-keras Sequential model");
    }
  }
  built_ = true;
}

void SequentialModel::TfKerasBuild(RunContext& ctx, const LayerCall& call) {
  const std::optional<PartialShape> shape = call.ShapeOf(0);
  if (!shape) RaiseNotModelled("calling a Sequential model on a non-tensor");
  if (tf_keras_->graph_initialized) {
    TfKerasInitGraph(ctx);
  } else {
    TfKerasBuildForShape(ctx, *shape,
                         DTypeOfTensorLike(call[0]).value_or(DType::kFloat32));
  }
}

Value SequentialModel::TfKerasCallBody(RunContext& ctx, LayerCall& call) {
  const Value& inputs = call[0];
  if (!tf_keras_->has_explicit_input_shape && !call.symbolic) {
    if (const auto shape = ShapeOfTensorLike(inputs)) {
      TfKerasBuildForShape(ctx, *shape,
                           DTypeOfTensorLike(inputs).value_or(DType::kFloat32));
    }
  }
  if (!functional_) {
    if (layers_.empty()) return inputs;
    RaiseNotModelled("calling this unbuilt tf-keras Sequential model");
  }
  return functional_->Run(ctx, inputs);
}

Value SequentialModel::TfKerasComputeOutputSpec(RunContext& ctx) const {
  if (!functional_ || functional_->flat_outputs().size() != 1) {
    RaiseNotModelled("this tf-keras Sequential model on keras.Input tensors");
  }
  const auto& out = functional_->flat_outputs()[0];
  return Value::FromObject(NewKerasTensor(ctx, out->shape(), out->dtype()));
}

void SequentialModel::RaiseTfKerasUnbuilt(std::string_view what) const {
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

std::optional<Value> SequentialModel::TfKerasGetAttr(
    std::string_view attr) const {
  auto self = std::static_pointer_cast<SequentialModel>(
      std::const_pointer_cast<Layer>(shared_from_this()));
  if (attr == "add" || attr == "pop" || attr == "build") {
    const std::string method(attr);
    return Value::FromObject(std::make_shared<NativeMethod>(
        self, "Sequential." + method,
        [self, method](RunContext& ctx, const CallArgs& args) {
          if (method == "add") {
            self->TfKerasAdd(
                ctx, BindArguments("add", ParseParams("layer"), args)[0]);
          } else if (method == "pop") {
            BindArguments("pop", {}, args);
            self->TfKerasPop(ctx);
          } else {
            self->TfKerasBuildMethod(
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
    if (weights) RaiseTfKerasUnbuilt(what);
    return Value::FromObject(std::make_shared<NativeMethod>(
        self, "Sequential." + what,
        [self, what](RunContext&, const CallArgs&) -> Value {
          self->RaiseTfKerasUnbuilt(what);
        }));
  }
  if (!functional_ &&
      (attr == "inputs" || attr == "outputs" || attr == "input" ||
       attr == "output" || attr == "input_shape" || attr == "output_shape")) {
    RaiseNotModelled("the " + std::string(attr) +
                     " of a tf-keras Sequential model that has no input shape "
                     "yet");
  }
  if (attr == "input" || attr == "output") {
    // tf-keras' Sequential is a graph network: the tensors of its graph.
    const std::vector<std::shared_ptr<KerasTensor>>& flat =
        attr == "input" ? functional_->flat_inputs()
                        : functional_->flat_outputs();
    if (flat.size() == 1) return Value::FromObject(flat[0]);
    ValueList items;
    for (const auto& kt : flat) items.push_back(Value::FromObject(kt));
    return Value::List(std::move(items));
  }
  if (auto v = TrainingAttr(attr, self, &self->training_,
                            [self]() -> std::optional<ModelGraphView> {
                              if (!self->functional_) return std::nullopt;
                              return self->functional_->GraphView(false);
                            })) {
    return v;
  }
  if (auto v = FunctionalModel::ModelAttr(attr, self, functional_, layers_)) {
    return v;
  }
  return Layer::GetAttr(attr);
}

}  // namespace ap::keras
