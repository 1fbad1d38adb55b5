// What compile() configured, resolved for a model's outputs: a loss given
// as a string, an object or a function; and, for a model of several
// outputs, the loss, loss weight and metrics of each output, as Keras 3's
// CompileLoss / CompileMetrics (keras/src/trainers/compile_utils.py, Keras
// 3.15) and tf-keras' LossesContainer / MetricsContainer
// (tf_keras/src/engine/compile_utils.py, 2.21) apply them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../value.h"
#include "loss_functions.h"

namespace ap::keras {

// compile(loss=...) for one output: Keras' identifier string, a loss object
// or a function of the program's. Raises Keras' errors (no loss, an
// unknown string); NotSupportedError for what is not modelled.
LossSpec LossFromValue(const Value& given);

// A dict's entry under the string key `name` (an output's or input's name),
// or nullopt.
std::optional<Value> DictEntryByName(const Value& dict,
                                     const std::string& name);

// A metric compile() takes: a string Keras knows, or a keras.metrics
// object the playground models (metric_objects.h).
MetricSpec MetricFromValue(const Value& metric);

// One output of a model of several, as training treats it.
struct OutputTraining {
  std::string name;  // the output layer's name: the logs' prefix
  LossSpec loss;
  std::optional<double> weight;     // loss_weights' entry, if given
  std::vector<MetricSpec> metrics;  // unresolved ("accuracy")
};

// The outputs' losses, weights and metrics from compile()'s `loss`,
// `loss_weights` and `metrics` for outputs named `output_names`, with the
// errors Keras raises when they do not fit the outputs (tf-keras' are
// refused).
std::vector<OutputTraining> ResolveOutputs(
    const Value& loss, const Value& loss_weights, const Value& metrics,
    const std::vector<std::string>& output_names, bool tf_keras);

// The log names of a model of several outputs, in the order evaluate()
// lists them: "loss", each output's "<name>_loss", then each output's
// "<name>_<metric>".
std::vector<std::string> OutputLogNames(
    const std::vector<OutputTraining>& outputs);

}  // namespace ap::keras
