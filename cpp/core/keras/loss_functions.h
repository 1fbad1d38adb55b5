// The losses and metrics model.compile() takes, as Keras 3.15 computes them
// inside fit/evaluate (keras/src/losses/losses.py, keras/src/metrics/,
// keras/src/backend/tensorflow/nn.py): each with the shape check the traced
// train step raises (on the traced shapes, whose batch dim may be None) and
// the eager computation of its per-sample values.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../callable.h"
#include "../partial_shape.h"
#include "../tensor.h"

namespace ap::keras {

enum class LossKind {
  kMse,
  kMae,
  kCategorical,
  kSparseCategorical,
  kBinary,
  kFunction,  // the program's own function(y_true, y_pred)
};

struct LossSpec {
  LossKind kind = LossKind::kMse;
  // The name Keras scopes the loss under: the string given to compile()
  // ("mse") or the loss object's name ("mean_squared_error").
  std::string name;
  bool from_logits = false;
  Value function;  // kFunction's
};

// keras.losses.get(identifier) for a string: nullopt when Keras cannot
// interpret it.
std::optional<LossSpec> LossFromString(const std::string& identifier);

// The check the traced loss raises for targets `y` and predictions `out`
// (batch dim unknown when the data's last batch is partial).
// `output_op` is the graph name of the op that made the predictions
// ("functional_1/dense_1/BiasAdd"); nullopt when the engine cannot name it,
// and a mean-error mismatch is then refused. The targets are the step's
// placeholder after the `num_inputs` inputs' ("data_1" for one input).
void CheckLossShapes(const LossSpec& loss, const PartialShape& y,
                     const PartialShape& out,
                     const std::optional<std::string>& output_op,
                     size_t num_inputs = 1);

// The (y_true, y_pred) a loss function given to compile() receives: Keras
// 3's LossFunctionWrapper converts both to float32 and squeezes or expands
// them to the same rank (keras/src/losses/loss.py, Keras 3.15); tf-keras'
// matches dtype and rank (tf_keras/src/engine/compile_utils.py
// match_dtype_and_rank) and then squeezes (utils/losses_utils.py
// squeeze_or_expand_dimensions, 2.21).
std::pair<Tensor, Tensor> LossFunctionArguments(const Tensor& y,
                                                const Tensor& out,
                                                bool tf_keras);

// The per-sample losses of one batch (the axis -1 reduction done).
Tensor PerSampleLoss(const LossSpec& loss, const Tensor& y, const Tensor& out);

// A compiled metric ("mae", "accuracy", ...): the running mean of its
// per-sample values.
enum class MetricKind {
  kMse,
  kMae,
  kAccuracy,  // resolved from the shapes on the first batch
  kBinaryAccuracy,
  kCategoricalAccuracy,
  kSparseCategoricalAccuracy,
};
struct MetricSpec {
  MetricKind kind = MetricKind::kMae;
  std::string name;  // as given: "acc" stays "acc"
};
std::optional<MetricSpec> MetricFromString(const std::string& identifier);
// compile_utils.get_metric: "accuracy" becomes binary, sparse categorical
// or categorical accuracy from the shapes of the targets and predictions.
MetricSpec ResolveMetric(const MetricSpec& metric, const PartialShape& y,
                         const PartialShape& out);
// Per-sample values of a resolved metric (their mean is the metric).
Tensor MetricValues(const MetricSpec& metric, const Tensor& y,
                    const Tensor& out);

// keras.losses.MeanAbsoluteError, CategoricalCrossentropy,
// SparseCategoricalCrossentropy, BinaryCrossentropy (Keras 3): objects
// compile() takes; called directly they compute the sum-over-batch-size
// mean. Under tf_keras, calling one is not modelled.
class LossObject : public Callable {
 public:
  LossObject(RunContext& ctx, const CallArgs& args, LossKind kind);
  std::string TypeName() const override { return class_name_; }
  std::string Repr() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  Value Call(RunContext& ctx, const CallArgs& args) override;
  const LossSpec& spec() const { return spec_; }

 private:
  std::string class_name_;
  LossSpec spec_;
};

}  // namespace ap::keras
