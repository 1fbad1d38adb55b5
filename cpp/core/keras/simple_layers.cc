#include "simple_layers.h"

#include <cmath>

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "keras_tensor.h"
#include "messages.h"
#include "symbolic_ops.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

// ---- Softmax ---------------------------------------------------------------

SoftmaxLayer::SoftmaxLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Softmax", "") {
  const std::vector<Param> params = ParseParams("axis=-1");
  const BoundArgs bound =
      BindArguments("Softmax.__init__", params, args, /*accept_extra=*/true);
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "Softmax", bound.extra_keywords);
  ApplyBaseKwargs(base);
  trainable_ = base.trainable;
  if (bound[0].kind() != Value::Kind::kInt) {
    RaiseNotModelled("a Softmax axis that is not an int");
  }
  axis_ = bound[0].as_int();
  built_ = true;
}

std::optional<Value> SoftmaxLayer::GetAttr(std::string_view name) const {
  if (name == "axis") return Value::Int(axis_);
  return Layer::GetAttr(name);
}

std::vector<Param> SoftmaxLayer::CallParams(Profile) const {
  return ParseParams("inputs,mask=None");
}

void SoftmaxLayer::CheckCall(RunContext&, LayerCall& call) { InputShape(call); }

Value SoftmaxLayer::CallBody(RunContext& ctx, LayerCall& call) {
  const Tensor& x = call[0].as_tensor();
  call.AddInputRole(x);
  if (x.dtype() != DType::kFloat32) {
    RaiseNotModelled("Softmax on a tensor that is not float32");
  }
  const int axis = static_cast<int>(axis_);
  const bool tf_keras = ctx.profile == Profile::kTfKeras;
  // tf_keras backend.softmax (tf_keras/src/backend.py, 2.21) refuses
  // rank <= 1 before tf.nn.softmax, showing the (masked) input's values.
  auto softmax = [axis, tf_keras](const Tensor& t) {
    if (tf_keras && t.rank() <= 1) {
      RaiseValueError(
          "Cannot apply softmax to a tensor that is 1D. Received input: " +
          NumpyStr(t));
    }
    return ops::Softmax(t, axis);
  };
  Tensor out;
  const Value& mask = call[1];
  if (mask.is_none()) {
    out = softmax(x);
  } else {
    if (!mask.is_tensor())
      RaiseNotModelled("Softmax masks that are not tensors");
    out = MaskedSoftmax(ctx.profile, x, AsBoolMask(mask.as_tensor()), softmax);
  }
  call.event.outputs.push_back({"output", "", out});
  return Value::FromTensor(out);
}

// ---- Dropout ---------------------------------------------------------------

DropoutLayer::DropoutLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Dropout", "") {
  const std::vector<Param> params =
      ParseParams("rate,noise_shape=None,seed=None");
  const BoundArgs bound =
      BindArguments("Dropout.__init__", params, args, /*accept_extra=*/true);
  if (!bound[0].is_number() || bound[0].kind() == Value::Kind::kBool) {
    RaiseNotModelled("a Dropout rate that is not a number");
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
  if (!bound[1].is_none()) RaiseNotModelled("Dropout(noise_shape=...)");
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "Dropout", bound.extra_keywords);
  ApplyBaseKwargs(base);
  trainable_ = base.trainable;
  rate_ = rate;
  built_ = true;
}

MaskingLayer::MaskingLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Masking", "") {
  const BoundArgs bound =
      BindArguments("Masking.__init__", ParseParams("mask_value=0.0"), args,
                    /*accept_extra=*/true);
  if (!bound[0].is_number() || bound[0].kind() == Value::Kind::kBool) {
    RaiseNotModelled("a Masking mask_value that is not a number");
  }
  mask_value_ = bound[0].as_number();
  ApplyBaseKwargs(ParseBaseLayerKwargs(ctx, "Masking", bound.extra_keywords));
  built_ = true;
}

std::optional<Value> MaskingLayer::GetAttr(std::string_view name) const {
  if (name == "mask_value") return Value::Float(mask_value_);
  return Layer::GetAttr(name);
}

std::vector<Param> MaskingLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

namespace {
// any(x != mask_value, axis=-1, keepdims) on a tensor.
Tensor KeptSteps(const Tensor& x, double mask_value, bool keepdims) {
  const Tensor value = ops::Cast(Tensor::ScalarF64(mask_value), x.dtype());
  return ops::Reduce(ops::ReduceOp::kAny,
                     ops::Binary(ops::BinaryOp::kNotEqual, x, value),
                     std::vector<int>{-1}, keepdims);
}
}  // namespace

Value MaskingLayer::CallBody(RunContext& ctx, LayerCall& call) {
  const Tensor x = call[0].as_tensor();
  call.AddInputRole(x);
  if (x.dtype() != DType::kFloat32) {
    RaiseNotModelled("Masking of a non-float32 input");
  }
  const Tensor kept = KeptSteps(x, mask_value_, /*keepdims=*/true);
  // Keras 3.15 selects zeros (where); tf-keras multiplies by the cast mask,
  // which keeps the sign of a masked -x as -0.0.
  const Tensor out =
      ctx.profile == Profile::kKeras3
          ? ops::Where(kept, x, Tensor::ScalarF32(0.0f))
          : ops::Binary(ops::BinaryOp::kMul, x, ops::Cast(kept, x.dtype()));
  call.event.outputs.push_back({"output", "", out});
  return Value::FromTensor(out);
}

Value MaskingLayer::ComputeMask(RunContext& ctx, const Value& inputs,
                                const Value&) const {
  if (AsKerasTensor(inputs)) {
    return SymbolicAny(
        ctx,
        SymbolicBinaryOperator(ctx, "!=", inputs, Value::Float(mask_value_)),
        -1);
  }
  if (!inputs.is_tensor()) return Value::None();
  return Value::FromTensor(
      KeptSteps(inputs.as_tensor(), mask_value_, /*keepdims=*/false));
}

std::optional<Value> DropoutLayer::GetAttr(std::string_view name) const {
  if (name == "rate") return Value::Float(rate_);
  return Layer::GetAttr(name);
}

std::vector<Param> DropoutLayer::CallParams(Profile) const {
  return ParseParams("inputs,training=False");
}

void DropoutLayer::CheckCall(RunContext&, LayerCall& call) {
  InputShape(call);
  if (Truthy(call[1]) && rate_ > 0 &&
      DTypeOfTensorLike(call[0]) != DType::kFloat32) {
    RaiseNotModelled("Dropout on a tensor that is not float32");
  }
}

Value DropoutLayer::CallBody(RunContext& ctx, LayerCall& call) {
  const Tensor& x = call[0].as_tensor();
  call.AddInputRole(x);
  Tensor out = x;
  if (Truthy(call[1]) && rate_ > 0) {
    call.event.notes.push_back(
        "Dropout with training=True: which entries are dropped comes from the "
        "playground's random generator, not TensorFlow's.");
    out = DropoutValues(x, rate_, ctx.rng);
  }
  call.event.outputs.push_back({"output", "", out});
  // Keras 3 returns the input object itself when nothing is dropped
  // (keras/src/layers/regularization/dropout.py, Keras 3.15), masks and all;
  // tf_keras returns a copy (smart_cond's identity).
  if (ctx.profile == Profile::kKeras3 && out.storage_id() == x.storage_id()) {
    return call[0];
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
        RaiseNotModelled("LayerNormalization(" + kw.first + "=...)");
      }
      continue;
    }
    base_kwargs.push_back(kw);
  }
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "LayerNormalization", base_kwargs);
  ApplyBaseKwargs(base);
  trainable_ = base.trainable;
  if (bound[0].kind() != Value::Kind::kInt) {
    RaiseNotModelled("a LayerNormalization axis that is not an int");
  }
  axis_ = bound[0].as_int();
  if (!bound[1].is_number()) RaiseNotModelled("a non-numeric epsilon");
  epsilon_ = bound[1].as_number();
  center_ = Truthy(bound[2]);
  scale_ = Truthy(bound[3]);
  if (Truthy(bound[4]))
    RaiseNotModelled("LayerNormalization(rms_scaling=True)");
  for (size_t i : {5, 6}) {
    const Value& init = bound[i];
    const std::string want = i == 5 ? "zeros" : "ones";
    if (init.kind() != Value::Kind::kStr || init.as_str() != want) {
      RaiseNotModelled("LayerNormalization(" + params[i].name + "=" +
                       ap::Repr(init) + ")");
    }
  }
}

std::optional<Value> LayerNormalizationLayer::GetAttr(
    std::string_view name) const {
  if (name == "epsilon") return Value::Float(epsilon_);
  if (name == "axis") return Value::Int(axis_);
  if (name == "gamma" && gamma_.valid()) return WeightValue("gamma", gamma_);
  if (name == "beta" && beta_.valid()) return WeightValue("beta", beta_);
  return Layer::GetAttr(name);
}

std::vector<std::pair<std::string, Tensor>> LayerNormalizationLayer::Weights()
    const {
  std::vector<std::pair<std::string, Tensor>> w;
  if (gamma_.valid()) w.emplace_back("gamma", gamma_);
  if (beta_.valid()) w.emplace_back("beta", beta_);
  return w;
}

std::vector<Param> LayerNormalizationLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

void LayerNormalizationLayer::CheckCall(RunContext&, LayerCall& call) {
  InputShape(call);
}

void LayerNormalizationLayer::Build(RunContext& ctx, const LayerCall& call) {
  // The axis normalised against the rank; an out-of-range axis is a Python
  // IndexError/ValueError in Keras that the playground does not reproduce.
  const PartialShape shape = InputShape(call);
  const int rank = static_cast<int>(shape.size());
  if (axis_ < -rank || axis_ >= rank) {
    RaiseNotModelled("a LayerNormalization axis outside the input's rank");
  }
  const int a = static_cast<int>(axis_ < 0 ? axis_ + rank : axis_);
  const Dim size = shape[static_cast<size_t>(a)];
  if (!size.known() && ctx.profile == Profile::kTfKeras) {
    // add_weight(shape=(None,)) converts the shape to a tensor.
    RaiseValueError(
        "Attempt to convert a value (None) with an unsupported type (<class "
        "'NoneType'>) to a Tensor.");
  }
  if (!size.known()) {
    RaiseNotModelled("LayerNormalization over an axis of unknown size (None)");
  }
  const int64_t dim = size.size();
  if (scale_) gamma_ = ops::Fill({dim}, 1.0, DType::kFloat32);
  if (center_) beta_ = ops::Fill({dim}, 0.0, DType::kFloat32);
}

Value LayerNormalizationLayer::CallBody(RunContext&, LayerCall& call) {
  Tensor x = call[0].as_tensor();
  call.AddInputRole(x);
  if (x.dtype() != DType::kFloat32) x = ops::Cast(x, DType::kFloat32);
  const int rank = x.rank();
  if (axis_ < -rank || axis_ >= rank) {
    RaiseNotModelled("a LayerNormalization axis outside the input's rank");
  }
  const int axis = static_cast<int>(axis_ < 0 ? axis_ + rank : axis_);
  // Normalised over `axis`; the weights broadcast against it, reshaped to
  // [1, ..., size, ..., 1] when it is not the last axis
  // (keras/src/ops/nn.py _layer_normalization, Keras 3.15; tf_keras
  // layer_normalization.py, 2.21): a call on another size fails there.
  auto broadcast = [&](const Tensor& w) {
    if (axis == rank - 1) return w;
    std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
    shape[static_cast<size_t>(axis)] = x.dim(axis);
    return ops::Reshape(w, shape);
  };
  const std::vector<int> axes = {axis};
  const Tensor mean =
      ops::Reduce(ops::ReduceOp::kMean, x, axes, /*keepdims=*/true);
  const Tensor centered = ops::Binary(ops::BinaryOp::kSub, x, mean);
  const Tensor variance = ops::Reduce(
      ops::ReduceOp::kMean, ops::Unary(ops::UnaryOp::kSquare, centered), axes,
      /*keepdims=*/true);
  const Tensor inv =
      ops::Unary(ops::UnaryOp::kRsqrt,
                 ops::Binary(ops::BinaryOp::kAdd, variance,
                             Tensor::ScalarF32(static_cast<float>(epsilon_))));
  Tensor out = ops::Binary(ops::BinaryOp::kMul, centered, inv);
  if (gamma_.valid()) {
    out = ops::Binary(ops::BinaryOp::kMul, out, broadcast(gamma_));
  }
  if (beta_.valid()) {
    out = ops::Binary(ops::BinaryOp::kAdd, out, broadcast(beta_));
  }
  call.event.outputs.push_back({"output", "", out});
  return Value::FromTensor(out);
}

// ---- tf-keras graph node names ---------------------------------------------

// tf.nn.softmax over an axis other than the last transposes it last and
// back (tf_keras/src/layers/activation/softmax.py, 2.21; probed with masks).
std::string SoftmaxLayer::TfKerasNodeName(const LayerCall& call,
                                          size_t index) const {
  const int rank = TfKerasRankOf(call, 0);
  if (index != 0 || rank < 1 || axis_ < -rank || axis_ >= rank) return "";
  const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
  return TfKerasTensorName(name(),
                           axis == rank - 1 ? "Softmax" : "transpose_1");
}

// tf_keras/src/layers/regularization/dropout.py, 2.21: smart_cond picks
// tf.identity unless training is True (probed with rate 0 and
// noise_shape).
std::string DropoutLayer::TfKerasNodeName(const LayerCall& call,
                                          size_t index) const {
  const CallFlag training = TfKerasCallFlag(call, "training");
  if (index != 0 || training == CallFlag::kOther) return "";
  return TfKerasTensorName(name(), training == CallFlag::kTrue && rate_ > 0
                                       ? "dropout/SelectV2"
                                       : "Identity");
}

// tf_keras/src/layers/normalization/layer_normalization.py, 2.21: trailing
// axes with epsilon >= 1.001e-5 take the fused batch-norm kernel, then
// scale (mul) and center (add); otherwise tf.nn.batch_normalization
// (probed over axis, epsilon, center and scale).
std::string LayerNormalizationLayer::TfKerasNodeName(const LayerCall& call,
                                                     size_t index) const {
  const int rank = TfKerasRankOf(call, 0);
  if (index != 0 || rank < 1 || axis_ < -rank || axis_ >= rank) return "";
  const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
  if (axis != rank - 1 || epsilon_ < 1.001e-5) {
    return TfKerasTensorName(name(), "batchnorm/add_1");
  }
  return TfKerasTensorName(name(), center_  ? "add"
                                   : scale_ ? "mul"
                                            : "Reshape_1");
}

}  // namespace ap::keras
