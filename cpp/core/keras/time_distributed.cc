#include "time_distributed.h"

#include <algorithm>

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "keras_tensor.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

namespace {

CallArgs OneArgument(Value v) {
  CallArgs args;
  args.positional.push_back(std::move(v));
  return args;
}

}  // namespace

TimeDistributedLayer::TimeDistributedLayer(RunContext& ctx,
                                           const CallArgs& args)
    : Layer("TimeDistributed", "") {
  const BoundArgs bound = BindArguments("TimeDistributed.__init__",
                                        ParseParams("layer"), args, true);
  const Value& layer = bound[0];
  layer_ = layer.kind() == Value::Kind::kObject ? AsLayer(layer) : nullptr;
  if (!layer_) {
    if (layer.kind() != Value::Kind::kInt &&
        layer.kind() != Value::Kind::kStr &&
        layer.kind() != Value::Kind::kNone &&
        layer.kind() != Value::Kind::kFloat) {
      RaiseNotModelled("TimeDistributed of a " + PyTypeName(layer));
    }
    RaiseValueError(
        std::string("Please initialize `TimeDistributed` layer "
                    "with a `") +
        (ctx.profile == Profile::kKeras3 ? "keras.layers" : "tf.keras.layers") +
        ".Layer` instance. Received: " + ap::Str(layer));
  }
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "TimeDistributed", bound.extra_keywords);
  ApplyBaseKwargs(base);
}

std::vector<std::pair<std::string, Tensor>> TimeDistributedLayer::Weights()
    const {
  return layer_->Weights();
}

std::optional<Value> TimeDistributedLayer::GetAttr(
    std::string_view name) const {
  if (name == "layer") return LayerValue(layer_);
  return Layer::GetAttr(name);
}

std::vector<Param> TimeDistributedLayer::CallParams(Profile) const {
  return ParseParams("inputs,training=None,mask=None");
}

void TimeDistributedLayer::CheckCall(RunContext& ctx, LayerCall& call) {
  // _get_child_input_shape, from build().
  const PartialShape shape = InputShape(call);
  if (shape.size() < 3) {
    RaiseValueError(
        std::string("`TimeDistributed` Layer should be passed an `") +
        (ctx.profile == Profile::kKeras3 ? "input_shape`" : "input_shape `") +
        " with at least 3 dimensions, received: " +
        PartialShapeToPyString(shape));
  }
  // A later call on other step shapes fails differently in each framework
  // (Keras 3 inside the inner call(), tf_keras in its own InputSpec).
  const PartialShape rest(shape.begin() + 2, shape.end());
  if (!built_) {
    step_shape_ = rest;
  } else if (rest.size() != step_shape_.size() ||
             !std::equal(rest.begin(), rest.end(), step_shape_.begin(),
                         [](Dim a, Dim b) { return a.IsCompatibleWith(b); })) {
    RaiseNotModelled("calling a TimeDistributed again on steps of shape " +
                     PartialShapeToPyString(rest) + " after " +
                     PartialShapeToPyString(step_shape_));
  }
}

Value TimeDistributedLayer::CallBody(RunContext& ctx, LayerCall& call) {
  const Tensor& x = call[0].as_tensor();
  call.AddInputRole(x);
  Shape merged = {x.dim(0) * x.dim(1)};
  merged.insert(merged.end(), x.shape().begin() + 2, x.shape().end());
  const Value inner = layer_->Call(
      ctx, OneArgument(Value::FromTensor(ops::Reshape(x, merged))));
  if (!inner.is_tensor()) {
    RaiseNotModelled("TimeDistributed around a layer with several outputs");
  }
  const Tensor& y = inner.as_tensor();
  Shape out = {x.dim(0), x.dim(1)};
  out.insert(out.end(), y.shape().begin() + 1, y.shape().end());
  const Tensor result = ops::Reshape(y, out);
  call.event.outputs.push_back({"output", "", result});
  call.event.notes.push_back("TimeDistributed applies " + layer_->name() +
                             " to each of the " + std::to_string(x.dim(1)) +
                             " steps with the same weights.");
  return Value::FromTensor(result);
}

Value TimeDistributedLayer::ComputeOutputSpec(RunContext& ctx,
                                              const LayerCall& call) {
  const PartialShape shape = InputShape(call);
  PartialShape child = {shape[0]};
  child.insert(child.end(), shape.begin() + 2, shape.end());
  const std::optional<DType> dtype = DTypeOfTensorLike(call[0]);
  const Value inner =
      layer_->Call(ctx, OneArgument(Value::FromObject(NewKerasTensor(
                            ctx, child, dtype ? *dtype : DType::kFloat32))));
  const auto spec = AsKerasTensor(inner);
  if (!spec) {
    RaiseNotModelled("TimeDistributed around a layer with several outputs");
  }
  PartialShape out = {spec->shape()[0], shape[1]};
  out.insert(out.end(), spec->shape().begin() + 1, spec->shape().end());
  return Value::FromObject(NewKerasTensor(ctx, out, spec->dtype()));
}

// tf_keras/src/layers/rnn/time_distributed.py, 2.21: the inputs are
// reshaped to (batch * steps, ...), the layer runs, its output is reshaped
// back: Reshape_1, or Reshape_2 when a mask was reshaped for a layer whose
// call() takes one (probed around these layers, with and without masks,
// unknown steps, a fixed batch and rank 4).
std::string TimeDistributedLayer::TfKerasNodeName(const LayerCall& call,
                                                  size_t index) const {
  static const char* const kProbed[] = {"Dense",
                                        "Dropout",
                                        "Conv1D",
                                        "Activation",
                                        "LayerNormalization",
                                        "Flatten",
                                        "BatchNormalization"};
  const std::string& inner = layer_->class_name();
  if (index != 0 || std::find(std::begin(kProbed), std::end(kProbed), inner) ==
                        std::end(kProbed)) {
    return "";
  }
  const bool masked = TfKerasAnyMask(TfKerasCallMask(call));
  if (masked && inner == "Flatten") return "";  // tf-keras raises there
  return TfKerasTensorName(name(), masked && inner == "BatchNormalization"
                                       ? "Reshape_2"
                                       : "Reshape_1");
}

}  // namespace ap::keras
