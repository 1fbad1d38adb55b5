#include "reshaping.h"

#include <algorithm>

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "messages.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

// ---- Permute ---------------------------------------------------------------

PermuteLayer::PermuteLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Permute", "") {
  const BoundArgs bound = BindArguments("Permute.__init__", ParseParams("dims"),
                                        args, /*accept_extra=*/true);
  ApplyBaseKwargs(ParseBaseLayerKwargs(ctx, "Permute", bound.extra_keywords));
  const Value& dims = bound[0];
  if (dims.kind() != Value::Kind::kList && dims.kind() != Value::Kind::kTuple) {
    RaiseNotModelled("Permute dims that are not a list or tuple");
  }
  for (const Value& d : dims.items()) {
    if (d.kind() != Value::Kind::kInt) {
      RaiseNotModelled("Permute dims that are not integers");
    }
    dims_.push_back(d.as_int());
  }
  std::vector<int64_t> sorted = dims_;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i] != static_cast<int64_t>(i) + 1) {
      RaiseValueError(PermuteDimsMessage(ap::Str(dims)));
    }
  }
  input_spec_ = InputSpec{};
  input_spec_->ndim = static_cast<int>(dims_.size()) + 1;
}

std::optional<Value> PermuteLayer::GetAttr(std::string_view name) const {
  if (name == "dims") {
    ValueList items;
    for (int64_t d : dims_) items.push_back(Value::Int(d));
    return Value::Tuple(std::move(items));
  }
  return Layer::GetAttr(name);
}

std::optional<PartialShape> PermuteLayer::ComputeOutputShape(
    const PartialShape& input) const {
  if (input.size() != dims_.size() + 1) return std::nullopt;
  PartialShape out = {input[0]};
  for (int64_t d : dims_) out.push_back(input[d]);
  return out;
}

std::vector<Param> PermuteLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

Value PermuteLayer::CallBody(RunContext&, LayerCall& call) {
  // The InputSpec (ndim = len(dims) + 1) has checked the input already.
  const Tensor& x = call[0].as_tensor();
  call.AddInputRole(x);
  std::vector<int64_t> perm = {0};
  perm.insert(perm.end(), dims_.begin(), dims_.end());
  const Tensor out = ops::Transpose(x, perm);
  call.event.outputs.push_back({"output", "", out});
  return Value::FromTensor(out);
}

// ---- RepeatVector ----------------------------------------------------------

RepeatVectorLayer::RepeatVectorLayer(RunContext& ctx, const CallArgs& args)
    : Layer("RepeatVector", "") {
  const BoundArgs bound = BindArguments(
      "RepeatVector.__init__", ParseParams("n"), args, /*accept_extra=*/true);
  ApplyBaseKwargs(
      ParseBaseLayerKwargs(ctx, "RepeatVector", bound.extra_keywords));
  const Value& n = bound[0];
  const bool k3 = ctx.profile == Profile::kKeras3;
  // isinstance(n, int): tf_keras accepts a bool, Keras 3 refuses it.
  if (n.kind() != Value::Kind::kInt && (k3 || n.kind() != Value::Kind::kBool)) {
    RaiseTypeError(RepeatVectorNotIntMessage(PyTypeName(n)));
  }
  if (n.kind() == Value::Kind::kBool) RaiseNotModelled("RepeatVector(n=True)");
  // Keras 3 refuses n <= 0 here; tf_keras lets tf.tile judge it.
  if (k3 && n.as_int() <= 0) {
    RaiseValueError(RepeatVectorNotPositiveMessage(n.as_int()));
  }
  n_ = n.as_int();
  input_spec_ = InputSpec{};
  input_spec_->ndim = 2;
}

std::optional<Value> RepeatVectorLayer::GetAttr(std::string_view name) const {
  if (name == "n") return Value::Int(n_);
  return Layer::GetAttr(name);
}

std::optional<PartialShape> RepeatVectorLayer::ComputeOutputShape(
    const PartialShape& input) const {
  if (input.size() != 2) return std::nullopt;
  return PartialShape{input[0], n_, input[1]};
}

std::vector<Param> RepeatVectorLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

Value RepeatVectorLayer::CallBody(RunContext&, LayerCall& call) {
  // The InputSpec (ndim=2) has checked the input already. Keras 3 reshapes
  // to (batch, 1, features) and repeats n times on axis 1; tf_keras
  // backend.repeat tiles expand_dims(x, 1) by tf.stack([1, n, 1]).
  const Tensor& x = call[0].as_tensor();
  call.AddInputRole(x, "batch,features");
  Tensor out;
  try {
    out = ops::Tile(ops::ExpandDims(x, 1), {1, n_, 1});
  } catch (const ErrorException& e) {
    // The multiples are a tensor (tf.stack), so the op takes the fast path
    // and its message ends in " name: ".
    Error error = e.error();
    error.fast_path = true;
    Raise(std::move(error));
  }
  call.event.outputs.push_back({"output", "batch,n,features", out});
  return Value::FromTensor(out);
}

// tf_keras/src/layers/reshaping/{permute,repeat_vector}.py, 2.21 (probed,
// the identity permutation included).
std::string PermuteLayer::TfKerasNodeName(const LayerCall& call,
                                          size_t index) const {
  (void)call;
  return index == 0 ? TfKerasTensorName(name(), "transpose") : "";
}

std::string RepeatVectorLayer::TfKerasNodeName(const LayerCall& call,
                                               size_t index) const {
  (void)call;
  return index == 0 ? TfKerasTensorName(name(), "Tile") : "";
}

}  // namespace ap::keras
