#include "native.h"

#include "../error.h"
#include "../keras/keras_tensor.h"
#include "../keras/layer_methods.h"
#include "../keras/symbolic_ops.h"
#include "eager_envelope.h"

namespace ap::tf {

std::optional<Value> Module::GetAttr(std::string_view name) const {
  if (auto it = attrs_.find(name); it != attrs_.end()) return it->second;
  if (auto it = lazy_.find(name); it != lazy_.end()) {
    const auto [make, profile] = it->second;
    lazy_.erase(it);
    Value made = make(profile);
    attrs_[std::string(name)] = made;
    return made;
  }
  if (absent_.count(name)) {
    Error e;
    e.cls = ErrorClass::kAttributeError;
    e.text =
        "module '" + name_ + "' has no attribute '" + std::string(name) + "'";
    Raise(std::move(e));
  }
  std::string reason;
  if (auto it = unsupported_.find(name); it != unsupported_.end()) {
    reason = it->second;
  } else if (unknown_is_unsupported_ && !name.empty() && name[0] != '_') {
    reason = "is not modelled by the playground";
  } else {
    return std::nullopt;
  }
  Error e;
  e.cls = ErrorClass::kNotSupportedError;
  e.text = name_ + "." + std::string(name) + " " + reason;
  Raise(std::move(e));
}

namespace {

// KerasTensor.__tf_tensor__ (keras/src/backend/common/keras_tensor.py, Keras
// 3.15): TensorFlow cannot convert a symbolic placeholder.
constexpr const char* kKerasTensorInTfFunction =
    "A KerasTensor cannot be used as input to a TensorFlow function. A "
    "KerasTensor is a symbolic placeholder for a shape and dtype, used when "
    "constructing Keras Functional models or Keras Functions. You can only "
    "use it as input to a Keras layer or a Keras operation (from the "
    "namespaces `keras.layers` and `keras.ops`). You are likely doing "
    "something like:\n\n```\nx = Input(...)\n...\ntf_fn(x)  # "
    "Invalid.\n```\n\nWhat you should do instead is wrap `tf_fn` in a "
    "layer:\n\n```\nclass MyLayer(Layer):\n    def call(self, x):\n"
    "        return tf_fn(x)\n\nx = MyLayer()(x)\n```\n";

}  // namespace

void RejectKerasTensors(const RunContext& ctx,
                        const std::string& qualified_name,
                        const BoundArgs& bound) {
  bool symbolic = false;
  for (const Value& v : bound.values) {
    symbolic = symbolic || keras::ContainsKerasTensor(v);
  }
  if (!symbolic) return;
  if (ctx.symbolic_program_calls > 0 &&
      qualified_name.rfind("keras.", 0) != 0) {
    // Keras runs such a call() on TensorFlow graph tensors.
    RaiseNotModelled(
        qualified_name +
        " inside the call() of a layer called on keras.Input tensors (Keras "
        "traces it in a TensorFlow graph); call the layer on concrete "
        "tensors, or use keras.ops");
  }
  if (qualified_name.rfind("keras.", 0) == 0) {
    RaiseNotModelled(qualified_name +
                     " on keras.Input tensors (symbolic keras.ops)");
  }
  RaiseValueError(kKerasTensorInTfFunction);
}

// A keras.ops call on Keras 3's KerasTensors at the program's top level
// (inside a layer's call() the tensors are stand-ins).
bool IsSymbolicKerasOpsCall(const RunContext& ctx,
                            const std::string& qualified_name,
                            const BoundArgs& bound) {
  if (ctx.symbolic_program_calls > 0 ||
      qualified_name.rfind("keras.ops.", 0) != 0) {
    return false;
  }
  std::vector<std::shared_ptr<keras::KerasTensor>> tensors;
  for (const Value& v : bound.values) keras::CollectKerasTensors(v, &tensors);
  if (tensors.empty()) return false;
  for (const auto& kt : tensors) {
    if (kt->tf_keras()) return false;
  }
  return true;
}

Value NativeFunction::Call(RunContext& ctx, const CallArgs& args) {
  const BoundArgs bound = BindArguments(qualified_name_, params_, args);
  if (IsSymbolicKerasOpsCall(ctx, qualified_name_, bound)) {
    // (The modules that hold these functions live as long as the process.)
    return keras::SymbolicKerasOpsCall(
        ctx, std::string_view(qualified_name_).substr(10), params_, bound,
        [this](RunContext& c, const BoundArgs& b) { return Invoke(c, b); });
  }
  RejectKerasTensors(ctx, qualified_name_, bound);
  if (!traced_) return Invoke(ctx, bound);
  CallEvent event;
  event.kind = "op";
  event.callee = qualified_name_;
  for (size_t i = 0; i < params_.size(); ++i) {
    const Value& v = bound.values[i];
    if (v.is_tensor()) {
      event.inputs.push_back({params_[i].name, params_[i].name,
                              bound.sources[i], "", v.as_tensor().shape(),
                              v.as_tensor().dtype()});
    }
  }
  try {
    Value result = Invoke(ctx, bound);
    if (result.is_tensor()) {
      event.outputs.push_back({"output", "", result.as_tensor()});
    }
    ctx.Emit(std::move(event));
    return result;
  } catch (ErrorException& ex) {
    ApplyEagerEnvelope(ex.mutable_error(), qualified_name_, params_, bound);
    event.failed = true;
    ctx.Emit(std::move(event));
    throw;
  }
}

std::optional<Value> LayerClass::GetAttr(std::string_view name) const {
  if (name == "__name__" || name == "__qualname__") {
    const size_t dot = qualified_name_.rfind('.');
    return Value::Str(dot == std::string::npos
                          ? qualified_name_
                          : qualified_name_.substr(dot + 1));
  }
  if (name == "from_config" && qualified_name_.rfind("keras.layers.", 0) == 0) {
    return keras::FromConfigMethod(Value::FromObject(
        std::const_pointer_cast<LayerClass>(shared_from_this())));
  }
  return std::nullopt;
}

}  // namespace ap::tf
