#include "dense.h"

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "layer_arguments.h"
#include "messages.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

namespace {

std::string InitializerName(const Value& v, const char* what) {
  if (v.kind() == Value::Kind::kStr) {
    const std::string& s = v.as_str();
    if (s == "glorot_uniform" || s == "zeros" || s == "ones") return s;
  }
  RaiseNotModelled(std::string(what) + "=" + ap::Repr(v) +
                   " (supported: 'glorot_uniform', 'zeros', 'ones')");
}

Tensor Initialize(const std::string& name, const Shape& shape, Random& rng) {
  if (name == "glorot_uniform") return GlorotUniform(shape, rng);
  return ops::Fill(shape, name == "ones" ? 1.0 : 0.0, DType::kFloat32);
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
      if (!k3) RaiseNotModelled("Dense units that are not positive integers");
      RaiseValueError(DenseUnitsMessage(ap::Str(units)));
    }
  }
  std::vector<std::pair<std::string, Value>> rest = bound.extra_keywords;
  for (const char* unsupported : {"lora_rank", "lora_alpha"}) {
    for (const auto& kw : rest) {
      if (kw.first == unsupported && !kw.second.is_none()) {
        RaiseNotModelled(std::string("Dense(") + unsupported + "=...)");
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
  ApplyBaseKwargs(base);
  trainable_ = base.trainable;

  units_ = static_cast<int64_t>(units.as_number());
  activation_ = ActivationName(ctx.profile, bound[1]);
  profile_ = ctx.profile;
  use_bias_ = Truthy(bound[2]);
  kernel_initializer_ = InitializerName(bound[3], "kernel_initializer");
  bias_initializer_ = InitializerName(bound[4], "bias_initializer");
  for (size_t i : {5, 6, 8, 9}) {
    if (!bound[i].is_none())
      RaiseNotModelled("Dense(" + params[i].name + "=...)");
  }
  input_spec_ = InputSpec{};
  input_spec_->min_ndim = 2;
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
  if (name == "kernel" && kernel_.valid())
    return WeightValue("kernel", kernel_);
  if (name == "bias") {
    return bias_.valid() ? WeightValue("bias", bias_) : Value::None();
  }
  return Layer::GetAttr(name);
}

std::optional<PartialShape> DenseLayer::ComputeOutputShape(
    const PartialShape& input) const {
  if (input.empty()) return std::nullopt;
  PartialShape out = input;
  out.back() = units_;
  return out;
}

std::vector<Param> DenseLayer::CallParams(Profile profile) const {
  // tf_keras' Dense.call takes no training (tf_keras/src/layers/core/dense.py,
  // 2.21).
  return ParseParams(profile == Profile::kTfKeras ? "inputs"
                                                  : "inputs,training=None");
}

void DenseLayer::Build(RunContext& ctx, const LayerCall& call) {
  // The InputSpec (min_ndim=2) has checked the input already.
  const PartialShape input = *call.ShapeOf(0);
  const Dim last = input.back();
  if (!last.known() && ctx.profile == Profile::kTfKeras) {
    // tf_keras/src/layers/core/dense.py, 2.21.
    RaiseValueError(
        "The last dimension of the inputs to a Dense layer should be "
        "defined. Found None. Full input shape received: " +
        PartialShapeToPyString(input));
  }
  if (!last.known()) {
    // Keras 3 creates the kernel of shape (None, units): the variable
    // refuses it (keras/src/backend/common/variables.py, Keras 3.15).
    RaiseValueError(
        "Shapes used to initialize variables must be fully-defined (no "
        "`None` dimensions). Received: shape=(None, " +
        std::to_string(units_) + ") for variable path='" + name() + "/kernel'");
  }
  const int64_t dim = last.size();
  kernel_ = Initialize(kernel_initializer_, {dim, units_}, ctx.rng);
  if (use_bias_) bias_ = Initialize(bias_initializer_, {units_}, ctx.rng);
  input_spec_->axis = std::make_pair(-1, dim);
}

Value DenseLayer::CallBody(RunContext&, LayerCall& call) {
  Tensor x = call[0].as_tensor();
  call.AddInputRole(x, AxesNames(x.rank(), "T", "dim"));
  if (x.dtype() != DType::kFloat32) x = ops::Cast(x, DType::kFloat32);
  // ops.matmul(inputs, kernel): only the last axis is contracted.
  Tensor y = ops::MatMul(x, kernel_);
  if (bias_.valid()) y = ops::Binary(ops::BinaryOp::kAdd, y, bias_);
  y = ApplyActivation(profile_, activation_, y);
  call.event.outputs.push_back(
      {"output", AxesNames(y.rank(), "T", "units"), y});
  call.event.notes.push_back("Dense maps only the last axis (" +
                             std::to_string(kernel_.dim(0)) + " -> " +
                             std::to_string(units_) +
                             "); every leading axis passes through unchanged.");
  return Value::FromTensor(y);
}

// Probed (tf_keras/src/layers/core/dense.py, 2.21): rank 2 multiplies with
// MatMul, higher ranks with tensordot; the bias is a BiasAdd.
std::string DenseLayer::TfKerasNodeName(const LayerCall& call,
                                        size_t index) const {
  const int rank = TfKerasRankOf(call, 0);
  if (index != 0 || rank < 2) return "";
  std::string op = TfKerasActivationOp(activation_);
  if (!activation_.empty() && op.empty()) return "";
  if (op.empty())
    op = use_bias_ ? "BiasAdd" : rank == 2 ? "MatMul" : "Tensordot";
  return TfKerasTensorName(name(), op);
}

}  // namespace ap::keras
