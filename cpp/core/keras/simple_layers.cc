#include "simple_layers.h"

#include <cmath>

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "messages.h"

namespace ap::keras {

namespace {

// The shared front of Layer.__call__ for single-input layers.
struct SingleInputCall {
  BoundArgs bound;
  Tensor x;
};

SingleInputCall BindSingleInput(RunContext& ctx, std::string_view cls,
                                const std::vector<Param>& params,
                                const CallArgs& args, CallMasks* masks) {
  const Profile profile = ctx.profile;
  if (profile == Profile::kKeras3) CheckPositionalTensors(args);
  SingleInputCall c{BindLayerCall(profile, cls, params, args, masks), Tensor()};
  if (profile == Profile::kKeras3) CheckNestedArguments(params, c.bound);
  if (!c.bound[0].is_tensor()) {
    RaiseNotSupported(std::string(cls) + " inputs that are not tensors");
  }
  c.x = c.bound[0].as_tensor();
  return c;
}

bool Truthy(const Value& v) {
  if (v.is_none()) return false;
  if (v.is_number()) return v.as_number() != 0;
  return true;
}

}  // namespace

// ---- Softmax ---------------------------------------------------------------

SoftmaxLayer::SoftmaxLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Softmax", "") {
  const std::vector<Param> params = ParseParams("axis=-1");
  const BoundArgs bound =
      BindArguments("Softmax.__init__", params, args, /*accept_extra=*/true);
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "Softmax", bound.extra_keywords);
  set_name(base.name);
  trainable_ = base.trainable;
  if (bound[0].kind() != Value::Kind::kInt) {
    RaiseNotSupported("a Softmax axis that is not an int");
  }
  axis_ = bound[0].as_int();
  built_ = true;
}

std::optional<Value> SoftmaxLayer::GetAttr(std::string_view name) const {
  if (name == "axis") return Value::Int(axis_);
  return Layer::GetAttr(name);
}

Value SoftmaxLayer::CallLayer(RunContext& ctx, const CallArgs& args,
                              CallMasks& masks) {
  const std::vector<Param> params = ParseParams("inputs,mask=None");
  SingleInputCall c = BindSingleInput(ctx, "Softmax", params, args, &masks);
  CallEvent event;
  event.kind = "layer";
  event.callee = "Softmax";
  event.layer_name = name();
  event.inputs.push_back(MakeRole(
      "inputs", "inputs", ArgumentSource(args, params, "inputs"), "", c.x));
  try {
    if (c.x.dtype() != DType::kFloat32) {
      RaiseNotSupported("Softmax on a tensor that is not float32");
    }
    Tensor out;
    const Value& mask_v = c.bound[1];
    // tf_keras backend.softmax (tf_keras/src/backend.py, 2.21) refuses
    // rank <= 1 before tf.nn.softmax, showing the (masked) input's values.
    auto tf_keras_softmax = [&](const Tensor& x) {
      if (x.rank() <= 1) {
        RaiseValueError(
            "Cannot apply softmax to a tensor that is 1D. Received input: " +
            NumpyStr(x));
      }
      return ops::Softmax(x, static_cast<int>(axis_));
    };
    if (mask_v.is_none()) {
      out = ctx.profile == Profile::kTfKeras
                ? tf_keras_softmax(c.x)
                : ops::Softmax(c.x, static_cast<int>(axis_));
    } else {
      if (!mask_v.is_tensor())
        RaiseNotSupported("Softmax masks that are not tensors");
      const Tensor mask = AsBoolMask(mask_v.as_tensor());
      if (ctx.profile == Profile::kTfKeras) {
        // tf_keras/src/layers/activation/softmax.py (2.21): inputs +=
        // (1 - cast(mask)) * -1e9, so a mask that does not broadcast fails
        // in that AddV2.
        const Tensor adder = ops::Binary(
            ops::BinaryOp::kMul,
            ops::Binary(ops::BinaryOp::kSub, Tensor::ScalarF32(1.0f),
                        ops::Cast(mask, DType::kFloat32)),
            Tensor::ScalarF32(-1e9f));
        out = tf_keras_softmax(ops::Binary(ops::BinaryOp::kAdd, c.x, adder));
      } else {
        const int axis = static_cast<int>(axis_);
        out = Keras3MaskedSoftmax(c.x, mask, [axis](const Tensor& t) {
          return ops::Softmax(t, axis);
        });
      }
    }
    event.outputs.push_back({"output", "", out});
    ctx.Emit(std::move(event));
    return Value::FromTensor(out);
  } catch (const ErrorException& e) {
    event.failed = true;
    ctx.Emit(std::move(event));
    RethrowInCall(e, ctx.profile, "Softmax", name(),
                  FormatCallArguments(params, c.bound));
  }
}

// ---- Dropout ---------------------------------------------------------------

DropoutLayer::DropoutLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Dropout", "") {
  const std::vector<Param> params =
      ParseParams("rate,noise_shape=None,seed=None");
  const BoundArgs bound =
      BindArguments("Dropout.__init__", params, args, /*accept_extra=*/true);
  if (!bound[0].is_number() || bound[0].kind() == Value::Kind::kBool) {
    RaiseNotSupported("a Dropout rate that is not a number");
  }
  const double rate = bound[0].as_number();
  if (rate < 0 || rate > 1) {
    RaiseValueError(
        ctx.profile == Profile::kTfKeras
            ? "Invalid value " + ap::Repr(bound[0]) +
                  " received for `rate`, expected a value between 0 and 1."
            : "Invalid value received for argument `rate`. Expected a float "
              "value between 0 and 1. Received: rate=" +
                  ap::Repr(bound[0]));
  }
  if (!bound[1].is_none()) RaiseNotSupported("Dropout(noise_shape=...)");
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "Dropout", bound.extra_keywords);
  set_name(base.name);
  trainable_ = base.trainable;
  rate_ = rate;
  built_ = true;
}

std::optional<Value> DropoutLayer::GetAttr(std::string_view name) const {
  if (name == "rate") return Value::Float(rate_);
  return Layer::GetAttr(name);
}

Value DropoutLayer::CallLayer(RunContext& ctx, const CallArgs& args,
                              CallMasks& masks) {
  const std::vector<Param> params = ParseParams("inputs,training=False");
  SingleInputCall c = BindSingleInput(ctx, "Dropout", params, args, &masks);
  CallEvent event;
  event.kind = "layer";
  event.callee = "Dropout";
  event.layer_name = name();
  event.inputs.push_back(MakeRole(
      "inputs", "inputs", ArgumentSource(args, params, "inputs"), "", c.x));
  Tensor out = c.x;
  if (Truthy(c.bound[1]) && rate_ > 0) {
    if (c.x.dtype() != DType::kFloat32) {
      RaiseNotSupported("Dropout on a tensor that is not float32");
    }
    event.notes.push_back(
        "Dropout with training=True: which entries are dropped comes from the "
        "playground's random generator, not TensorFlow's.");
    Tensor d = Tensor::Zeros(DType::kFloat32, c.x.shape(), "Mul");
    const float keep_scale = static_cast<float>(1.0 / (1.0 - rate_));
    for (int64_t i = 0; i < d.num_elements(); ++i) {
      d.f32()[i] = rate_ >= 1.0 || ctx.rng.UniformFloat() < rate_
                       ? 0.0f
                       : c.x.f32()[i] * keep_scale;
    }
    out = d;
  }
  event.outputs.push_back({"output", "", out});
  ctx.Emit(std::move(event));
  // Keras 3 returns the input object itself when nothing is dropped
  // (keras/src/layers/regularization/dropout.py, Keras 3.15), masks and all;
  // tf_keras returns a copy (smart_cond's identity).
  if (ctx.profile == Profile::kKeras3 && out.storage_id() == c.x.storage_id()) {
    return c.bound[0];
  }
  return Value::FromTensor(out);
}

// ---- LayerNormalization ----------------------------------------------------

LayerNormalizationLayer::LayerNormalizationLayer(RunContext& ctx,
                                                 const CallArgs& args)
    : Layer("LayerNormalization", "") {
  const std::vector<Param> params = ParseParams(
      "axis=-1,epsilon=0.001,center=True,scale=True,rms_scaling=False,beta_"
      "initializer='zeros',gamma_initializer='ones'");
  const BoundArgs bound = BindArguments("LayerNormalization.__init__", params,
                                        args, /*accept_extra=*/true);
  std::vector<std::pair<std::string, Value>> base_kwargs;
  for (const auto& kw : bound.extra_keywords) {
    if (kw.first.find("regularizer") != std::string::npos ||
        kw.first.find("constraint") != std::string::npos) {
      if (!kw.second.is_none()) {
        RaiseNotSupported("LayerNormalization(" + kw.first + "=...)");
      }
      continue;
    }
    base_kwargs.push_back(kw);
  }
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "LayerNormalization", base_kwargs);
  set_name(base.name);
  trainable_ = base.trainable;
  if (bound[0].kind() != Value::Kind::kInt) {
    RaiseNotSupported("a LayerNormalization axis that is not an int");
  }
  axis_ = bound[0].as_int();
  if (!bound[1].is_number()) RaiseNotSupported("a non-numeric epsilon");
  epsilon_ = bound[1].as_number();
  center_ = Truthy(bound[2]);
  scale_ = Truthy(bound[3]);
  if (Truthy(bound[4]))
    RaiseNotSupported("LayerNormalization(rms_scaling=True)");
  for (size_t i : {5, 6}) {
    const Value& init = bound[i];
    const std::string want = i == 5 ? "zeros" : "ones";
    if (init.kind() != Value::Kind::kStr || init.as_str() != want) {
      RaiseNotSupported("LayerNormalization(" + params[i].name + "=" +
                        ap::Repr(init) + ")");
    }
  }
}

std::optional<Value> LayerNormalizationLayer::GetAttr(
    std::string_view name) const {
  if (name == "epsilon") return Value::Float(epsilon_);
  if (name == "axis") return Value::Int(axis_);
  if (name == "gamma" && gamma_.valid()) return Value::FromTensor(gamma_);
  if (name == "beta" && beta_.valid()) return Value::FromTensor(beta_);
  return Layer::GetAttr(name);
}

std::vector<std::pair<std::string, Tensor>> LayerNormalizationLayer::Weights()
    const {
  std::vector<std::pair<std::string, Tensor>> w;
  if (gamma_.valid()) w.emplace_back("gamma", gamma_);
  if (beta_.valid()) w.emplace_back("beta", beta_);
  return w;
}

Value LayerNormalizationLayer::CallLayer(RunContext& ctx, const CallArgs& args,
                                         CallMasks& masks) {
  const std::vector<Param> params = ParseParams("inputs");
  SingleInputCall c =
      BindSingleInput(ctx, "LayerNormalization", params, args, &masks);
  Tensor x = c.x;
  const int rank = x.rank();
  if (!built_) {
    // build(): axis normalised against the rank; an out-of-range axis is a
    // Python IndexError/ValueError in Keras that the playground does not
    // reproduce.
    if (axis_ < -rank || axis_ >= rank) {
      RaiseNotSupported("a LayerNormalization axis outside the input's rank");
    }
    const int a = static_cast<int>(axis_ < 0 ? axis_ + rank : axis_);
    if (a != rank - 1) {
      RaiseNotSupported("LayerNormalization over an axis other than the last");
    }
    const Dim dim = x.shape().back();
    if (scale_) gamma_ = ops::Fill({dim}, 1.0, DType::kFloat32);
    if (center_) beta_ = ops::Fill({dim}, 0.0, DType::kFloat32);
    built_ = true;
  }
  CallEvent event;
  event.kind = "layer";
  event.callee = "LayerNormalization";
  event.layer_name = name();
  event.inputs.push_back(MakeRole(
      "inputs", "inputs", ArgumentSource(args, params, "inputs"), "", x));
  try {
    if (x.dtype() != DType::kFloat32) x = ops::Cast(x, DType::kFloat32);
    const Dim dim = x.rank() > 0 ? x.shape().back() : 0;
    const Dim want = gamma_.valid()  ? gamma_.dim(0)
                     : beta_.valid() ? beta_.dim(0)
                                     : dim;
    // The weights broadcast against the last axis.
    const Tensor mean =
        ops::Reduce(ops::ReduceOp::kMean, x, std::vector<int>{-1},
                    /*keepdims=*/true);
    const Tensor centered = ops::Binary(ops::BinaryOp::kSub, x, mean);
    const Tensor variance = ops::Reduce(
        ops::ReduceOp::kMean, ops::Unary(ops::UnaryOp::kSquare, centered),
        std::vector<int>{-1}, /*keepdims=*/true);
    Tensor inv = ops::Unary(
        ops::UnaryOp::kRsqrt,
        ops::Binary(ops::BinaryOp::kAdd, variance,
                    Tensor::ScalarF32(static_cast<float>(epsilon_))));
    (void)want;
    Tensor out = ops::Binary(ops::BinaryOp::kMul, centered, inv);
    if (gamma_.valid()) out = ops::Binary(ops::BinaryOp::kMul, out, gamma_);
    if (beta_.valid()) out = ops::Binary(ops::BinaryOp::kAdd, out, beta_);
    event.outputs.push_back({"output", "", out});
    ctx.Emit(std::move(event));
    return Value::FromTensor(out);
  } catch (const ErrorException& e) {
    event.failed = true;
    ctx.Emit(std::move(event));
    RethrowInCall(e, ctx.profile, "LayerNormalization", name(),
                  FormatCallArguments(params, c.bound));
  }
}

}  // namespace ap::keras
