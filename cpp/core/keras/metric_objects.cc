#include "metric_objects.h"

#include <cstdio>
#include <string>
#include <utility>

#include "../repr.h"
#include "common.h"

namespace ap::keras {

namespace {

std::string AddressHex(uint64_t address) {
  char hex[32];
  std::snprintf(hex, sizeof hex, "0x%llx",
                static_cast<unsigned long long>(address));
  return hex;
}

class MetricObject : public Object {
 public:
  MetricObject(std::string class_name, std::string module, MetricSpec spec,
               bool tf_keras, uint64_t address)
      : class_name_(std::move(class_name)),
        module_(std::move(module)),
        spec_(std::move(spec)),
        tf_keras_(tf_keras),
        address_(address) {}
  std::string TypeName() const override { return class_name_; }
  std::string Repr() const override {
    if (!tf_keras_) return "<" + class_name_ + " name=" + spec_.name + ">";
    return "<tf_keras.src.metrics." + module_ + "." + class_name_ +
           " object at " + AddressHex(address_) + ">";
  }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "name") return Value::Str(spec_.name);
    return std::nullopt;
  }
  const MetricSpec& spec() const { return spec_; }
  bool tf_keras() const { return tf_keras_; }

 private:
  std::string class_name_, module_;
  MetricSpec spec_;
  bool tf_keras_;
  uint64_t address_;
};

}  // namespace

std::shared_ptr<Object> CreateMetric(std::string_view name, RunContext& ctx,
                                     const CallArgs& args, Profile profile) {
  struct Row {
    const char* cls;
    const char* default_name;
    MetricKind kind;
    const char* module;  // tf-keras' module
  };
  static constexpr Row kRows[] = {
      {"BinaryAccuracy", "binary_accuracy", MetricKind::kBinaryAccuracy,
       "accuracy_metrics"},
      {"CategoricalAccuracy", "categorical_accuracy",
       MetricKind::kCategoricalAccuracy, "accuracy_metrics"},
      {"SparseCategoricalAccuracy", "sparse_categorical_accuracy",
       MetricKind::kSparseCategoricalAccuracy, "accuracy_metrics"},
      {"MeanSquaredError", "mean_squared_error", MetricKind::kMse,
       "regression_metrics"},
      {"MeanAbsoluteError", "mean_absolute_error", MetricKind::kMae,
       "regression_metrics"},
  };
  for (const Row& row : kRows) {
    if (name != row.cls) continue;
    const bool binary = row.kind == MetricKind::kBinaryAccuracy;
    const std::string params = "name='" + std::string(row.default_name) +
                               "',dtype=None" +
                               (binary ? ",threshold=0.5" : "");
    const BoundArgs bound = BindArguments(std::string(row.cls) + ".__init__",
                                          ParseParams(params), args);
    if (bound[0].kind() != Value::Kind::kStr) {
      RaiseNotModelled(std::string(row.cls) + " with a name that is not a str");
    }
    if (!bound[1].is_none())
      RaiseNotModelled(std::string(row.cls) + "(dtype=...)");
    if (binary && !(bound[2].is_number() && bound[2].as_number() == 0.5)) {
      RaiseNotModelled("BinaryAccuracy with a threshold other than 0.5");
    }
    MetricSpec spec;
    spec.kind = row.kind;
    spec.name = bound[0].as_str();
    return std::make_shared<MetricObject>(row.cls, row.module, std::move(spec),
                                          profile == Profile::kTfKeras,
                                          NewObjectAddress(ctx));
  }
  return nullptr;
}

std::optional<MetricSpec> MetricSpecOf(const Value& v) {
  if (v.kind() != Value::Kind::kObject) return std::nullopt;
  const auto* m = dynamic_cast<const MetricObject*>(v.as_object().get());
  if (!m) return std::nullopt;
  return m->spec();
}

std::optional<std::pair<std::string, std::string>> TfKerasMetricAsLayer(
    const Value& v) {
  if (v.kind() != Value::Kind::kObject) return std::nullopt;
  const auto* m = dynamic_cast<const MetricObject*>(v.as_object().get());
  if (!m || !m->tf_keras()) return std::nullopt;
  return std::make_pair(m->TypeName(), m->spec().name);
}

}  // namespace ap::keras
