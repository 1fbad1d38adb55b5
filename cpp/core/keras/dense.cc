#include "dense.h"

#include "../ops/ops.h"
#include "../repr.h"
#include "messages.h"

namespace ap::keras {

namespace {

std::string InitializerName(const Value& v, const char* what) {
  if (v.kind() == Value::Kind::kStr) {
    const std::string& s = v.as_str();
    if (s == "glorot_uniform" || s == "zeros" || s == "ones") return s;
  }
  RaiseNotSupported(std::string(what) + "=" + ap::Repr(v) +
                    " (supported: 'glorot_uniform', 'zeros', 'ones')");
}

Tensor Initialize(const std::string& name, const Shape& shape, Random& rng) {
  if (name == "glorot_uniform") return GlorotUniform(shape, rng);
  return ops::Fill(shape, name == "ones" ? 1.0 : 0.0, DType::kFloat32);
}

Tensor Activate(const std::string& activation, const Tensor& x) {
  if (activation.empty()) return x;
  if (activation == "relu") return ops::Unary(ops::UnaryOp::kRelu, x);
  if (activation == "tanh") return ops::Unary(ops::UnaryOp::kTanh, x);
  if (activation == "sigmoid") return ops::Unary(ops::UnaryOp::kSigmoid, x);
  return ops::Softmax(x, -1);
}

}  // namespace

DenseLayer::DenseLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Dense", "") {
  const std::vector<Param> params = ParseParams(
      "units,activation=None,use_bias=True,kernel_initializer='glorot_uniform',"
      "bias_initializer='zeros',kernel_regularizer=None,bias_regularizer=None,"
      "activity_regularizer=None,kernel_constraint=None,bias_constraint=None");
  const BoundArgs bound =
      BindArguments("Dense.__init__", params, args, /*accept_extra=*/true);
  const Value& units = bound[0];
  const bool k3 = ctx.profile == Profile::kKeras3;
  // K3 validates units before Layer.__init__; tf_keras converts with int().
  if (units.kind() != Value::Kind::kInt || units.as_int() <= 0) {
    if (k3 || !units.is_number() || units.as_number() <= 0) {
      if (!k3) RaiseNotSupported("Dense units that are not positive integers");
      RaiseValueError(DenseUnitsMessage(ap::Str(units)));
    }
  }
  std::vector<std::pair<std::string, Value>> rest = bound.extra_keywords;
  for (const char* unsupported : {"lora_rank", "lora_alpha"}) {
    for (const auto& kw : rest) {
      if (kw.first == unsupported && !kw.second.is_none()) {
        RaiseNotSupported(std::string("Dense(") + unsupported + "=...)");
      }
    }
  }
  std::vector<std::pair<std::string, Value>> base_kwargs;
  for (const auto& kw : rest) {
    if (k3 && (kw.first == "lora_rank" || kw.first == "lora_alpha" ||
               kw.first == "quantization_config")) {
      continue;
    }
    base_kwargs.push_back(kw);
  }
  if (!bound[7].is_none())
    base_kwargs.emplace_back("activity_regularizer", bound[7]);
  const BaseLayerKwargs base = ParseBaseLayerKwargs(ctx, "Dense", base_kwargs);
  set_name(base.name);
  trainable_ = base.trainable;

  units_ = static_cast<int64_t>(units.as_number());
  const Value& activation = bound[1];
  if (activation.is_none()) {
    activation_.clear();
  } else if (activation.kind() == Value::Kind::kStr &&
             (activation.as_str() == "linear" ||
              activation.as_str() == "relu" || activation.as_str() == "tanh" ||
              activation.as_str() == "sigmoid" ||
              activation.as_str() == "softmax")) {
    activation_ = activation.as_str() == "linear" ? "" : activation.as_str();
  } else {
    RaiseNotSupported("the Dense activation " + ap::Repr(activation) +
                      " (supported: None, 'linear', 'relu', 'tanh', "
                      "'sigmoid', 'softmax')");
  }
  use_bias_ =
      bound[2].is_number() ? bound[2].as_number() != 0 : !bound[2].is_none();
  kernel_initializer_ = InitializerName(bound[3], "kernel_initializer");
  bias_initializer_ = InitializerName(bound[4], "bias_initializer");
  for (size_t i : {5, 6, 8, 9}) {
    if (!bound[i].is_none())
      RaiseNotSupported("Dense(" + params[i].name + "=...)");
  }
  input_spec_.min_ndim = 2;
}

std::vector<std::pair<std::string, Tensor>> DenseLayer::Weights() const {
  std::vector<std::pair<std::string, Tensor>> w;
  if (kernel_.valid()) w.emplace_back("kernel", kernel_);
  if (bias_.valid()) w.emplace_back("bias", bias_);
  return w;
}

std::optional<Value> DenseLayer::GetAttr(std::string_view name) const {
  if (name == "units") return Value::Int(units_);
  if (name == "use_bias") return Value::Bool(use_bias_);
  if (name == "kernel" && kernel_.valid()) return Value::FromTensor(kernel_);
  if (name == "bias") {
    return bias_.valid() ? Value::FromTensor(bias_) : Value::None();
  }
  return Layer::GetAttr(name);
}

Value DenseLayer::CallLayer(RunContext& ctx, const CallArgs& args,
                            CallMasks& masks) {
  const Profile profile = ctx.profile;
  const bool k3 = profile == Profile::kKeras3;
  const std::vector<Param> params = ParseParams("inputs,training=None");
  if (k3) CheckPositionalTensors(args);
  BoundArgs bound = BindLayerCall(profile, "Dense", params, args, &masks);
  if (k3) CheckNestedArguments(params, bound);
  const Value& x_value = bound[0];
  // Layer.__call__ step 3: the InputSpec, before build and outside call().
  CheckInputSpec(profile, name(), input_spec_, x_value);
  Tensor x = x_value.as_tensor();
  const std::string source = ArgumentSource(args, params, "inputs");
  if (!built_) {
    const Dim dim = x.shape().back();
    kernel_ = Initialize(kernel_initializer_, {dim, units_}, ctx.rng);
    if (use_bias_) bias_ = Initialize(bias_initializer_, {units_}, ctx.rng);
    input_spec_.axis = std::make_pair(-1, dim);
    built_ = true;
  }

  CallEvent event;
  event.kind = "layer";
  event.callee = "Dense";
  event.layer_name = name();
  event.inputs.push_back(
      MakeRole("inputs", "inputs", source, AxesNames(x.rank(), "T", "dim"), x));
  try {
    if (x.dtype() != DType::kFloat32) x = ops::Cast(x, DType::kFloat32);
    // ops.matmul(inputs, kernel): only the last axis is contracted.
    // (The InputSpec's min_ndim=2 has ruled out rank-1 inputs.)
    Tensor y = ops::MatMul(x, kernel_);
    if (bias_.valid()) y = ops::Binary(ops::BinaryOp::kAdd, y, bias_);
    y = Activate(activation_, y);
    event.outputs.push_back({"output", AxesNames(y.rank(), "T", "units"), y});
    event.notes.push_back("Dense maps only the last axis (" +
                          std::to_string(kernel_.dim(0)) + " -> " +
                          std::to_string(units_) +
                          "); every leading axis passes through unchanged.");
    ctx.Emit(std::move(event));
    return Value::FromTensor(y);
  } catch (const ErrorException& e) {
    event.failed = true;
    ctx.Emit(std::move(event));
    RethrowInCall(e, profile, "Dense", name(),
                  FormatCallArguments(params, bound));
  }
}

}  // namespace ap::keras
