// keras.metrics classes compile() takes as objects: the accuracies and the
// mean errors, which compute what their string names do
// (keras/src/metrics/accuracy_metrics.py and regression_metrics.py, Keras
// 3.15; tf_keras/src/metrics/, 2.21). Others (AUC, Precision, ...) are
// refused by the module.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "../callable.h"
#include "../profile.h"
#include "loss_functions.h"

namespace ap::keras {

// The classes' names, for the module.
constexpr const char* kMetricClasses[] = {
    "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
    "MeanSquaredError", "MeanAbsoluteError"};

// The metric class `name` made from `args` (its real signature), or null
// when not modelled.
std::shared_ptr<Object> CreateMetric(std::string_view name, RunContext& ctx,
                                     const CallArgs& args, Profile profile);

// The metric an object CreateMetric made computes; nullopt for any other
// value.
std::optional<MetricSpec> MetricSpecOf(const Value& v);

// tf-keras' metrics are Layers (class and name, as a run document shows a
// layer); nullopt for Keras 3's, which are not, and for any other value.
std::optional<std::pair<std::string, std::string>> TfKerasMetricAsLayer(
    const Value& v);

}  // namespace ap::keras
