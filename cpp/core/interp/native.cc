#include "native.h"

#include <cstdlib>

#include "../error.h"

namespace ap::interp {

std::optional<Value> Module::GetAttr(std::string_view name) const {
  if (auto it = attrs_.find(name); it != attrs_.end()) return it->second;
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

std::vector<Param> ParseParams(std::string_view spec) {
  std::vector<Param> params;
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view()
                                           : spec.substr(comma + 1);
    Param p;
    const size_t eq = item.find('=');
    p.name = std::string(item.substr(0, eq));
    if (eq != std::string_view::npos) {
      const std::string_view d = item.substr(eq + 1);
      Value v = Value::None();
      if (d == "True" || d == "False") {
        v = Value::Bool(d == "True");
      } else if (d == "float32") {
        v = Value::FromDType(DType::kFloat32);
      } else if (d == "int32") {
        v = Value::FromDType(DType::kInt32);
      } else if (d == "bool") {
        v = Value::FromDType(DType::kBool);
      } else if (d[0] == '\'') {
        v = Value::Str(std::string(d.substr(1, d.size() - 2)));
      } else if (d != "None") {
        const std::string text(d);
        v = d.find('.') != std::string_view::npos
                ? Value::Float(std::strtod(text.c_str(), nullptr))
                : Value::Int(std::strtoll(text.c_str(), nullptr, 10));
      }
      p.default_value = std::move(v);
    }
    params.push_back(std::move(p));
  }
  return params;
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
  } catch (const ErrorException&) {
    event.failed = true;
    ctx.Emit(std::move(event));
    throw;
  }
}

}  // namespace ap::interp
