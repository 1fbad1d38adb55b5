#include "callbacks.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "../repr.h"
#include "common.h"

namespace ap::keras {

namespace {

class CallbackObject : public Object {
 public:
  CallbackObject(std::string class_name, std::string module, uint64_t address,
                 DictItems attrs)
      : class_name_(std::move(class_name)),
        module_(std::move(module)),
        address_(address),
        attrs_(std::move(attrs)) {}
  std::string TypeName() const override { return class_name_; }
  std::string Repr() const override {
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%llx",
                  static_cast<unsigned long long>(address_));
    return "<" + module_ + "." + class_name_ + " object at " + hex + ">";
  }
  std::optional<Value> GetAttr(std::string_view name) const override {
    for (const auto& [k, v] : attrs_) {
      if (k.as_str() == name) return v;
    }
    return std::nullopt;
  }

 private:
  std::string class_name_, module_;
  uint64_t address_;
  DictItems attrs_;
};

DictItems Attributes(const std::vector<Param>& params, const BoundArgs& bound) {
  DictItems attrs;
  for (size_t i = 0; i < params.size(); ++i) {
    attrs.emplace_back(Value::Str(params[i].name), bound[i]);
  }
  return attrs;
}

}  // namespace

std::shared_ptr<Object> CreateCallback(std::string_view name, RunContext& ctx,
                                       const CallArgs& args, Profile profile) {
  const bool k3 = profile == Profile::kKeras3;
  if (name == "EarlyStopping") {
    const std::vector<Param> params = ParseParams(
        "monitor='val_loss',min_delta=0,patience=0,verbose=0,mode='auto',"
        "baseline=None,restore_best_weights=False,start_from_epoch=0");
    BoundArgs bound = BindArguments("EarlyStopping.__init__", params, args);
    // Both keep abs(min_delta).
    if (bound[1].kind() == Value::Kind::kInt) {
      bound.values[1] = Value::Int(std::abs(bound[1].as_int()));
    } else if (bound[1].kind() == Value::Kind::kFloat) {
      bound.values[1] = Value::Float(std::abs(bound[1].as_float()));
    }
    return std::make_shared<CallbackObject>(
        "EarlyStopping",
        k3 ? "keras.src.callbacks.early_stopping" : "tf_keras.src.callbacks",
        NewObjectAddress(ctx), Attributes(params, bound));
  }
  if (name == "ReduceLROnPlateau") {
    const std::vector<Param> params =
        ParseParams(k3 ? "monitor='val_loss',factor=0.1,patience=10,verbose=0,"
                         "mode='auto',min_delta=0.0001,cooldown=0,min_lr=0.0"
                       : "monitor='val_loss',factor=0.1,patience=10,verbose=0,"
                         "mode='auto',min_delta=0.0001,cooldown=0,min_lr=0");
    const BoundArgs bound = BindArguments("ReduceLROnPlateau.__init__", params,
                                          args, /*accept_extra=*/true);
    if (!bound.extra_keywords.empty()) {
      RaiseNotModelled("ReduceLROnPlateau(" + bound.extra_keywords[0].first +
                       "=...)");
    }
    if (!bound[1].is_number()) {
      RaiseNotModelled("a ReduceLROnPlateau factor that is not a number");
    }
    if (bound[1].as_number() >= 1.0) {
      RaiseValueError("ReduceLROnPlateau does not support a factor >= 1.0. " +
                      std::string(k3 ? "Received factor=" : "Got ") +
                      ap::Repr(bound[1]));
    }
    return std::make_shared<CallbackObject>(
        "ReduceLROnPlateau",
        k3 ? "keras.src.callbacks.reduce_lr_on_plateau"
           : "tf_keras.src.callbacks",
        NewObjectAddress(ctx), Attributes(params, bound));
  }
  return nullptr;
}

bool IsModelledCallback(const Value& v) {
  return v.kind() == Value::Kind::kObject &&
         dynamic_cast<const CallbackObject*>(v.as_object().get()) != nullptr;
}

}  // namespace ap::keras
