#include "lambda_layer.h"

#include <utility>

#include "../ops/ops.h"
#include "../python/evaluator.h"
#include "../python/runtime.h"
#include "common.h"
#include "keras_tensor.h"
#include "program_layer.h"
#include "stand_ins.h"

namespace ap::keras {

namespace {

using VK = Value::Kind;

bool Takes(const py::FunctionSignature& sig, std::string_view name) {
  for (const Param& p : sig.params) {
    if (p.name == name) return true;
  }
  return false;
}

}  // namespace

LambdaLayer::LambdaLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Lambda", "") {
  const std::vector<Param> params =
      ParseParams("function,output_shape=None,mask=None,arguments=None");
  const BoundArgs bound =
      BindArguments("Lambda.__init__", params, args, /*accept_extra=*/true);
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "Lambda", bound.extra_keywords);
  ApplyBaseKwargs(base);
  function_ = bound[0];
  // inspect.getfullargspec(function) raises for what it cannot inspect.
  const bool callable = function_.kind() == VK::kObject &&
                        dynamic_cast<Callable*>(function_.as_object().get());
  if (!callable) RaiseText(ErrorClass::kTypeError, "unsupported callable");
  if (const std::optional<py::FunctionSignature> sig =
          py::SignatureOf(function_)) {
    takes_mask_ = Takes(*sig, "mask");
    takes_training_ = Takes(*sig, "training");
  }
  output_shape_ = bound[1];
  if (!output_shape_.is_none() && output_shape_.kind() != VK::kTuple) {
    RaiseNotModelled("this Lambda output_shape");
  }
  if (!bound[2].is_none()) RaiseNotModelled("Lambda(mask=...)");
  arguments_ = bound[3];
  if (!arguments_.is_none() && arguments_.kind() != VK::kDict) {
    RaiseNotModelled("this Lambda arguments=");
  }
}

std::optional<Value> LambdaLayer::GetAttr(std::string_view name) const {
  if (name == "function") return function_;
  if (name == "arguments") {
    return arguments_.is_none() ? Value::Dict({}) : arguments_;
  }
  return Layer::GetAttr(name);
}

std::vector<Param> LambdaLayer::CallParams(Profile) const {
  return ParseParams("inputs,mask=None,training=None");
}

Value LambdaLayer::CallFunction(RunContext& ctx, const Value& inputs,
                                const Value& mask,
                                const Value& training) const {
  CallArgs args;
  args.positional.push_back(inputs);
  if (!arguments_.is_none()) {
    for (const auto& [key, value] : arguments_.dict_items()) {
      if (key.kind() != VK::kStr) {
        RaiseText(ErrorClass::kTypeError, "keywords must be strings");
      }
      args.keywords.emplace_back(key.as_str(), value);
    }
  }
  if (takes_mask_) args.keywords.emplace_back("mask", mask);
  if (takes_training_) args.keywords.emplace_back("training", training);
  return py::RuntimeOf(ctx).CallValue(function_, args);
}

Value LambdaLayer::CallBody(RunContext& ctx, LayerCall& call) {
  if (call[0].is_tensor()) call.AddInputRole(call[0].as_tensor());
  Value out = CallFunction(ctx, call[0], call[1], call[2]);
  if (out.is_tensor())
    call.event.outputs.push_back({"output", "", out.as_tensor()});
  return out;
}

Value LambdaLayer::ComputeOutputSpec(RunContext& ctx, const LayerCall& call) {
  if (!output_shape_.is_none()) {
    // (batch_size,) + output_shape, batch_size the first input dim.
    const std::optional<PartialShape> input = call.ShapeOf(0);
    if (!input || input->empty()) {
      RaiseNotModelled("this Lambda output_shape");
    }
    PartialShape out{input->front()};
    for (const Value& d : output_shape_.items()) {
      if (d.is_none()) {
        out.push_back(Dim());
      } else if (d.kind() == VK::kInt && d.as_int() >= 0) {
        out.push_back(Dim(d.as_int()));
      } else {
        RaiseNotModelled("this Lambda output_shape");
      }
    }
    return Value::FromObject(NewKerasTensor(ctx, out, DType::kFloat32));
  }
  Value outs[2];
  std::vector<std::vector<int64_t>> reshapes[2];
  {
    StandInRunScope scope(ctx);
    for (int w = 0; w < 2; ++w) {
      StandInReshapes keep_reshapes(ctx, &reshapes[w]);
      try {
        outs[w] =
            CallFunction(ctx, StandIn(call[0], kFunctionStandInSizes[w], false),
                         Value::None(), call[2]);
      } catch (const ErrorException& e) {
        if (!IsCatchableByProgram(e.error().cls)) throw;
        // Keras turns any failure of the trace into NotImplementedError;
        // a TensorFlow graph fails where these stand-ins may not.
        RaiseNotModelled("this Lambda on keras.Input: give output_shape=");
      }
    }
  }
  if (ReshapeLeavesUnknownDims(reshapes[0], reshapes[1])) {
    RaiseNotModelled(
        "the output shape of this Lambda on keras.Input: it reshapes with "
        "-1 beside a size read from the tensor's dynamic shape, where "
        "TensorFlow's graph leaves both dims None; give output_shape=");
  }
  return MergeStandIns(ctx, outs[0], outs[1], DType::kFloat32, false,
                       "a Lambda");
}

}  // namespace ap::keras
