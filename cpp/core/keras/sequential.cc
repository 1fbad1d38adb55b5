#include "sequential.h"

#include "../repr.h"
#include "common.h"
#include "native_method.h"

namespace ap::keras {

std::shared_ptr<SequentialModel> SequentialModel::Create(RunContext& ctx,
                                                         const CallArgs& args) {
  if (ctx.profile == Profile::kTfKeras) return CreateTfKeras(ctx, args);
  const BoundArgs bound =
      BindArguments("Sequential.__init__",
                    ParseParams("layers=None,trainable=True,name=None"), args);
  const Value& name = bound[2];
  if (!name.is_none() && name.kind() != Value::Kind::kStr) {
    RaiseNotModelled("a Sequential name that is not a string");
  }
  auto model = std::make_shared<SequentialModel>(
      name.is_none() ? ctx.UniqueLayerName("sequential") : name.as_str());
  model->trainable_ = Truthy(bound[1]);
  const Value& layers = bound[0];
  if (!layers.is_none() && Truthy(layers)) {
    if (layers.kind() != Value::Kind::kList &&
        layers.kind() != Value::Kind::kTuple) {
      RaiseNotModelled("Sequential(layers=...) that is not a list");
    }
    for (const Value& layer : layers.items()) model->Add(ctx, layer, false);
    model->MaybeRebuild(ctx);
  }
  return model;
}

void SequentialModel::Add(RunContext& ctx, const Value& value, bool rebuild) {
  std::shared_ptr<Layer> layer;
  if (value.kind() == Value::Kind::kObject) layer = AsLayer(value);
  if (layers_.empty() && layer && !layer->input_shape_arg().is_none()) {
    // The first layer's input_shape= becomes an Input of that shape.
    const std::optional<PartialShape> shape =
        ShapeFromValue(layer->input_shape_arg());
    if (!shape) RaiseNotModelled("this input_shape= value");
    PartialShape batch_shape = {Dim()};
    batch_shape.insert(batch_shape.end(), shape->begin(), shape->end());
    auto input = std::make_shared<InputLayer>(
        ctx, ctx.UniqueLayerName("input_layer"), batch_shape, DType::kFloat32);
    input_tensor_ = input->MakeOutput(ctx, "");
    layers_.push_back(input);
  }
  if (const auto kt = AsKerasTensor(value)) {
    // keras.Input(...) adds its InputLayer.
    if (kt->history().node) {
      layer = std::dynamic_pointer_cast<InputLayer>(kt->history().node->layer);
      if (layer && layers_.empty()) input_tensor_ = kt;
    }
  }
  if (!layer) {
    RaiseValueError(
        "Only instances of `keras.Layer` can be added to a Sequential model. "
        "Received: " +
        (value.is_tensor() ? TensorFormat(value.as_tensor()) : ap::Str(value)) +
        " (of type <class '" + PyTypeName(value) + "'>)");
  }
  for (const auto& existing : layers_) {
    if (existing->name() == layer->name()) {
      RaiseValueError(
          "All layers added to a Sequential model should have unique names. "
          "Name '" +
          layer->name() +
          "' is already the name of a layer in this model. Update the `name` "
          "argument to pass a unique name.");
    }
  }
  const bool is_input = std::dynamic_pointer_cast<InputLayer>(layer) != nullptr;
  if (is_input && !layers_.empty() &&
      std::dynamic_pointer_cast<InputLayer>(layers_[0])) {
    const auto first = std::static_pointer_cast<InputLayer>(layers_[0]);
    RaiseValueError("Sequential model '" + name() +
                    "' has already been configured to use input shape " +
                    PartialShapeToPyString(first->batch_shape()) +
                    ". You cannot add a different Input layer to it.");
  }
  layers_.push_back(layer);
  if (rebuild) {
    MaybeRebuild(ctx);
  } else {
    built_ = false;
    functional_ = nullptr;
  }
}

void SequentialModel::MaybeRebuild(RunContext& ctx) {
  built_ = false;
  functional_ = nullptr;
  if (layers_.size() > 1) {
    if (const auto input = std::dynamic_pointer_cast<InputLayer>(layers_[0])) {
      BuildFor(ctx, input->batch_shape());
    }
  }
}

// Sequential.build (keras/src/models/sequential.py, Keras 3.15): a layer
// whose call raised TypeError and whose call() has several required
// positional parameters cannot be a Sequential layer.
void SequentialModel::RaiseIfSeveralRequiredInputs(RunContext& ctx,
                                                   const Layer& layer) {
  std::string required;
  size_t count = 0;
  for (const Param& p : layer.CallSignature(ctx.profile)) {
    if (p.default_value || p.keyword_only) continue;
    required +=
        std::string(count++ ? ", " : "") + "<Parameter \"" + p.name + "\">";
  }
  if (count == 1) return;
  RaiseValueError(
      "Layers added to a Sequential model can only have a single required "
      "positional argument, the input tensor. Layer " +
      layer.class_name() + " has multiple required positional arguments: [" +
      required + "]");
}

void SequentialModel::BuildFor(RunContext& ctx,
                               const PartialShape& input_shape) {
  if (layers_.empty()) {
    RaiseValueError("Sequential model " + name() +
                    " cannot be built because it has no layers. Call "
                    "`model.add(layer)`.");
  }
  auto input = std::dynamic_pointer_cast<InputLayer>(layers_[0]);
  if (input) {
    if (input->batch_shape() != input_shape) {
      RaiseValueError("Sequential model '" + name() +
                      "' has already been configured to use input shape " +
                      PartialShapeToPyString(input->batch_shape()) +
                      ". You cannot build it with input_shape " +
                      PartialShapeToPyString(input_shape));
    }
  } else {
    input = std::make_shared<InputLayer>(
        ctx, ctx.UniqueLayerName("input_layer"), input_shape, DType::kFloat32);
    input_tensor_ = input->MakeOutput(ctx, "");
    layers_.insert(layers_.begin(), input);
  }
  std::shared_ptr<KerasTensor> input_tensor = input->output();
  if (!input_tensor) input_tensor = input_tensor_;
  if (!input_tensor) RaiseNotModelled("a Sequential whose Input is gone");
  const Value inputs = Value::FromObject(input_tensor);
  Value x = inputs;
  for (size_t i = 1; i < layers_.size(); ++i) {
    CallArgs args;
    args.positional.push_back(x);
    try {
      x = layers_[i]->Call(ctx, args);
      // Keras' layers hold their nodes, and the nodes their outputs: a
      // layer's output from an earlier build (layer.output reads node 0)
      // outlives the rebuild.
      built_outputs_.push_back(x);
    } catch (const ErrorException& e) {
      if (e.error().cls == ErrorClass::kTypeError) {
        RaiseIfSeveralRequiredInputs(ctx, *layers_[i]);
      }
      throw;
    }
  }
  functional_ = FunctionalModel::FromTensors(ctx, inputs, x,
                                             ctx.UniqueLayerName("functional"));
  built_ = true;
}

std::vector<std::shared_ptr<Layer>> SequentialModel::VisibleLayers() const {
  std::vector<std::shared_ptr<Layer>> out = layers_;
  if (!out.empty() && std::dynamic_pointer_cast<InputLayer>(out[0])) {
    out.erase(out.begin());
  }
  return out;
}

// The repr of a **kwargs parameter nobody filled, as Keras' error wrapper
// lists it (inspect.Parameter.empty).
class InspectEmpty : public Object {
 public:
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override { return "<class 'inspect._empty'>"; }
};

std::vector<Param> SequentialModel::CallParams(Profile) const {
  if (tf_keras_) return ParseParams("inputs,training=None,mask=None");
  // Sequential.call(self, inputs, training=None, mask=None, **kwargs).
  std::vector<Param> params = ParseParams("inputs,training=None,mask=None");
  static const Value empty =
      Value::FromObject(std::make_shared<InspectEmpty>());
  params.push_back({"kwargs", empty, true});
  return params;
}

void SequentialModel::CheckCall(RunContext&, LayerCall& call) {
  // tf-keras' input_spec: the graph's, once the input shape was given.
  if (tf_keras_ && functional_ && tf_keras_->has_explicit_input_shape) {
    functional_->CheckInputs(call[0], name());
  }
}

void SequentialModel::Build(RunContext& ctx, const LayerCall& call) {
  if (tf_keras_) return TfKerasBuild(ctx, call);
  // Layer._maybe_build: build(input_shape) from the first argument.
  if (functional_) return;
  const std::optional<PartialShape> shape = call.ShapeOf(0);
  if (!shape) RaiseNotModelled("calling a Sequential model on a non-tensor");
  BuildFor(ctx, *shape);
}

Value SequentialModel::CallBody(RunContext& ctx, LayerCall& call) {
  if (tf_keras_) return TfKerasCallBody(ctx, call);
  if (!functional_) RaiseNotModelled("an unbuilt Sequential model's call");
  return functional_->Run(ctx, call[0]);
}

Value SequentialModel::ComputeOutputSpec(RunContext& ctx,
                                         const LayerCall& call) {
  if (tf_keras_) return TfKerasComputeOutputSpec(ctx);
  return CallBody(ctx, const_cast<LayerCall&>(call));
}

std::vector<std::pair<std::string, Tensor>> SequentialModel::Weights() const {
  return WeightsOfLayers(layers_);
}

std::vector<Value> SequentialModel::WeightValues() const {
  return WeightValuesOfLayers(layers_);
}

std::vector<Tensor> SequentialModel::WeightsWhere(bool trainable) const {
  return WeightsOfLayersWhere(layers_, trainable_, trainable);
}

std::optional<Value> SequentialModel::GetAttr(std::string_view attr) const {
  if (tf_keras_) return TfKerasGetAttr(attr);
  auto self = std::static_pointer_cast<SequentialModel>(
      std::const_pointer_cast<Layer>(shared_from_this()));
  if (attr == "add") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        self, "Sequential.add", [self](RunContext& ctx, const CallArgs& args) {
          const BoundArgs bound =
              BindArguments("add", ParseParams("layer,rebuild=True"), args);
          self->Add(ctx, bound[0], Truthy(bound[1]));
          return Value::None();
        }));
  }
  if (attr == "pop") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        self, "Sequential.pop", [self](RunContext& ctx, const CallArgs& args) {
          const BoundArgs bound =
              BindArguments("pop", ParseParams("rebuild=True"), args);
          if (self->layers_.empty()) {
            RaiseText(ErrorClass::kIndexError, "pop from empty list");
          }
          const std::shared_ptr<Layer> last = self->layers_.back();
          self->layers_.pop_back();
          self->built_ = false;
          self->functional_ = nullptr;
          if (Truthy(bound[0]) && !self->layers_.empty()) {
            self->MaybeRebuild(ctx);
          }
          return Value::FromObject(last);
        }));
  }
  if (attr == "build") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        self, "Sequential.build",
        [self](RunContext& ctx, const CallArgs& args) {
          const BoundArgs bound =
              BindArguments("build", ParseParams("input_shape=None"), args);
          const std::optional<PartialShape> shape = ShapeFromValue(bound[0]);
          if (!shape) return Value::None();  // Keras returns quietly
          self->BuildFor(ctx, *shape);
          return Value::None();
        }));
  }
  if (auto v = TrainingAttr(attr, self, &self->training_,
                            [self]() -> std::optional<ModelGraphView> {
                              if (!self->functional_) return std::nullopt;
                              return self->functional_->GraphView(false);
                            })) {
    return v;
  }
  if (auto v = FunctionalModel::ModelAttr(attr, self, functional_,
                                          VisibleLayers())) {
    return v;
  }
  // Keras 3's properties of a Sequential not built yet
  // (keras/src/models/sequential.py, Keras 3.15).
  if (!functional_ && !tf_keras_) {
    const char* what = attr == "input_shape"    ? "input shape"
                       : attr == "output_shape" ? "output shape"
                       : attr == "inputs"       ? "inputs"
                       : attr == "outputs"      ? "outputs"
                                                : nullptr;
    if (what) {
      RaiseText(
          ErrorClass::kAttributeError,
          "Sequential model '" + name() + "' has no defined " + what + " yet.");
    }
  }
  return Layer::GetAttr(attr);
}

}  // namespace ap::keras
