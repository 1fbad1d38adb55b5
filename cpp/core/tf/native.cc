#include "native.h"

#include "../error.h"
#include "eager_envelope.h"

namespace ap::tf {

std::optional<Value> Module::GetAttr(std::string_view name) const {
  if (auto it = attrs_.find(name); it != attrs_.end()) return it->second;
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

Value NativeFunction::Call(RunContext& ctx, const CallArgs& args) {
  const BoundArgs bound = BindArguments(qualified_name_, params_, args);
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

}  // namespace ap::tf
