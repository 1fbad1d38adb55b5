#include "compile_config.h"

#include <algorithm>
#include <memory>

#include "../repr.h"
#include "common.h"
#include "losses.h"
#include "metric_objects.h"

namespace ap::keras {

namespace {

bool IsStructure(const Value& v) {
  return v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple;
}

// Python's repr of a list of names: ['cls', 'reg'].
std::string NamesText(const std::vector<std::string>& names) {
  ValueList items;
  for (const std::string& n : names) items.push_back(Value::Str(n));
  return ap::Repr(Value::List(std::move(items)));
}

// Whether a dict's keys are exactly the output names.
bool KeysAreNames(const Value& dict, const std::vector<std::string>& names) {
  if (dict.dict_items().size() != names.size()) return false;
  for (const std::string& n : names) {
    if (!DictEntryByName(dict, n)) return false;
  }
  return true;
}

std::vector<std::string> Keys(const Value& dict) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : dict.dict_items()) {
    if (k.kind() != Value::Kind::kStr) {
      RaiseNotModelled("a compile() dict whose keys are not strings");
    }
    keys.push_back(k.as_str());
  }
  return keys;
}

// The loss of each output.
std::vector<LossSpec> OutputLosses(const Value& loss,
                                   const std::vector<std::string>& names,
                                   bool tf_keras) {
  const size_t n = names.size();
  std::vector<Value> given;
  if (loss.kind() == Value::Kind::kDict) {
    if (!KeysAreNames(loss, names)) {
      if (tf_keras) {
        RaiseNotModelled(
            "a loss dict whose keys are not the model's output names under "
            "tf-keras");
      }
      RaiseValueError(
          "Expected keys " + NamesText(names) +
          " in loss dict, but found loss.keys()=" + NamesText(Keys(loss)));
    }
    for (const std::string& name : names)
      given.push_back(*DictEntryByName(loss, name));
  } else if (IsStructure(loss)) {
    const ValueList& items = loss.items();
    if (items.size() > n && !tf_keras) {
      // CompileLoss._build_nested walks the list: entry n has no output.
      RaiseText(ErrorClass::kKeyError,
                ap::Repr(Value::Str(
                    "The path: (" + std::to_string(n) +
                    ",) in the `loss` argument, can't be found in either "
                    "the model's output (`y_pred`) or in the labels "
                    "(`y_true`).")));
    }
    if (items.size() != n) {
      RaiseNotModelled("a loss list of another length than the outputs");
    }
    given = items;
  } else {
    given.assign(n, loss);
  }
  std::vector<LossSpec> specs;
  for (const Value& v : given) {
    if (v.is_none() || IsStructure(v) || v.kind() == Value::Kind::kDict) {
      RaiseNotModelled("a model output without one loss of its own");
    }
    specs.push_back(LossFromValue(v));
  }
  return specs;
}

std::vector<std::optional<double>> OutputWeights(
    const Value& weights, const Value& loss,
    const std::vector<std::string>& names) {
  std::vector<std::optional<double>> out(names.size());
  if (weights.is_none()) return out;
  auto number = [](const Value& v) {
    if (!v.is_number() || v.kind() == Value::Kind::kBool) {
      RaiseNotModelled("loss_weights entries that are not numbers");
    }
    return v.as_number();
  };
  if (weights.kind() == Value::Kind::kDict &&
      loss.kind() == Value::Kind::kDict && KeysAreNames(weights, names)) {
    for (size_t i = 0; i < names.size(); ++i) {
      out[i] = number(*DictEntryByName(weights, names[i]));
    }
    return out;
  }
  if (IsStructure(weights) && weights.items().size() == names.size() &&
      loss.kind() != Value::Kind::kDict) {
    for (size_t i = 0; i < names.size(); ++i) {
      out[i] = number(weights.items()[i]);
    }
    return out;
  }
  RaiseNotModelled("this loss_weights structure");
}

std::vector<MetricSpec> MetricList(const Value& v) {
  std::vector<MetricSpec> out;
  auto add = [&out](const Value& m) { out.push_back(MetricFromValue(m)); };
  if (v.is_none()) return out;
  if (IsStructure(v)) {
    for (const Value& m : v.items()) add(m);
  } else {
    add(v);
  }
  return out;
}

// The metrics of each output.
std::vector<std::vector<MetricSpec>> OutputMetrics(
    const Value& metrics, const std::vector<std::string>& names,
    bool tf_keras) {
  const size_t n = names.size();
  std::vector<std::vector<MetricSpec>> out(n);
  if (metrics.is_none()) return out;
  if (metrics.kind() == Value::Kind::kDict) {
    for (const std::string& key : Keys(metrics)) {
      if (std::find(names.begin(), names.end(), key) == names.end()) {
        RaiseNotModelled(
            "a metrics dict whose keys are not the model's output names");
      }
    }
    for (size_t i = 0; i < n; ++i) {
      if (const std::optional<Value> m = DictEntryByName(metrics, names[i])) {
        out[i] = MetricList(*m);
      }
    }
    return out;
  }
  if (!IsStructure(metrics)) RaiseNotModelled("this compile(metrics=...)");
  const ValueList& items = metrics.items();
  if (tf_keras) {
    // A flat list applies to every output.
    for (size_t i = 0; i < n; ++i) out[i] = MetricList(metrics);
    return out;
  }
  if (items.size() != n) {
    // CompileMetrics maps the list (as a tuple) onto the outputs.
    ValueList as_tuple(items.begin(), items.end());
    ValueList xs(n, Value::Str("X"));
    RaiseValueError(
        "tuple arity mismatch; expected: " + std::to_string(n) +
        ", got: " + std::to_string(items.size()) +
        "; tuple: " + ap::Repr(Value::Tuple(std::move(as_tuple))) +
        ".\nInvalid `metrics`. `metrics` should contain metrics objects and "
        "either be a dict or a list matching the output names of the "
        "functional model " +
        NamesText(names) + " or match the output structure of the model: " +
        ap::Repr(Value::List(std::move(xs))) +
        ".\nReceived: metrics=" + ap::Repr(metrics));
  }
  for (size_t i = 0; i < n; ++i) out[i] = MetricList(items[i]);
  return out;
}

}  // namespace

std::optional<Value> DictEntryByName(const Value& dict,
                                     const std::string& name) {
  for (const auto& [k, v] : dict.dict_items()) {
    if (k.kind() == Value::Kind::kStr && k.as_str() == name) return v;
  }
  return std::nullopt;
}

MetricSpec MetricFromValue(const Value& metric) {
  if (const std::optional<MetricSpec> spec = MetricSpecOf(metric)) {
    return *spec;
  }
  if (metric.kind() != Value::Kind::kStr) {
    RaiseNotModelled(
        "metrics other than strings and the keras.metrics accuracies and mean "
        "errors");
  }
  const std::optional<MetricSpec> spec = MetricFromString(metric.as_str());
  if (!spec) {
    RaiseValueError("Could not interpret metric identifier: " +
                    metric.as_str());
  }
  return *spec;
}

LossSpec LossFromValue(const Value& given) {
  if (given.is_none()) {
    RaiseValueError(
        "No loss to compute. Provide a `loss` argument in `compile()`.");
  }
  if (given.kind() == Value::Kind::kStr) {
    const std::optional<LossSpec> spec = LossFromString(given.as_str());
    if (!spec) {
      RaiseValueError("Could not interpret loss identifier: " + given.as_str());
    }
    return *spec;
  }
  if (given.kind() == Value::Kind::kObject) {
    if (const auto obj =
            std::dynamic_pointer_cast<LossObject>(given.as_object())) {
      return obj->spec();
    }
    if (const auto mse = std::dynamic_pointer_cast<MeanSquaredErrorLoss>(
            given.as_object())) {
      const std::optional<Value> name = mse->GetAttr("name");
      const std::optional<Value> reduction = mse->GetAttr("reduction");
      if (reduction && reduction->kind() == Value::Kind::kStr &&
          reduction->as_str() != "sum_over_batch_size") {
        RaiseNotModelled(
            "compile() with a loss reduction other than sum_over_batch_size");
      }
      return LossSpec{LossKind::kMse,
                      name && name->kind() == Value::Kind::kStr
                          ? name->as_str()
                          : "mean_squared_error",
                      false};
    }
    // A function of the program's: Keras wraps it (LossFunctionWrapper)
    // under the function's name.
    if (given.as_object()->TypeName() == "function") {
      LossSpec spec;
      spec.kind = LossKind::kFunction;
      const std::optional<Value> name = given.as_object()->GetAttr("__name__");
      spec.name =
          name && name->kind() == Value::Kind::kStr ? name->as_str() : "loss";
      spec.function = given;
      return spec;
    }
  }
  RaiseNotModelled("this compile(loss=...) value");
}

std::vector<OutputTraining> ResolveOutputs(
    const Value& loss, const Value& loss_weights, const Value& metrics,
    const std::vector<std::string>& output_names, bool tf_keras) {
  if (loss.is_none()) {
    RaiseValueError(
        "No loss to compute. Provide a `loss` argument in `compile()`.");
  }
  const std::vector<LossSpec> losses =
      OutputLosses(loss, output_names, tf_keras);
  const std::vector<std::optional<double>> weights =
      OutputWeights(loss_weights, loss, output_names);
  const std::vector<std::vector<MetricSpec>> output_metrics =
      OutputMetrics(metrics, output_names, tf_keras);
  std::vector<OutputTraining> out;
  for (size_t i = 0; i < output_names.size(); ++i) {
    out.push_back({output_names[i], losses[i], weights[i], output_metrics[i]});
  }
  return out;
}

std::vector<std::string> OutputLogNames(
    const std::vector<OutputTraining>& outputs) {
  std::vector<std::string> names = {"loss"};
  for (const OutputTraining& o : outputs) names.push_back(o.name + "_loss");
  for (const OutputTraining& o : outputs) {
    for (const MetricSpec& m : o.metrics)
      names.push_back(o.name + "_" + m.name);
  }
  return names;
}

}  // namespace ap::keras
