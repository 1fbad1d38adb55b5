#include "training.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>

#include "../numpy/ndarray.h"
#include "../ops/ops.h"
#include "../python/exceptions.h"
#include "../python/runtime.h"
#include "../repr.h"
#include "../tf/data.h"
#include "callbacks.h"
#include "common.h"
#include "compile_config.h"
#include "dense.h"
#include "loss_functions.h"
#include "losses.h"
#include "metric_objects.h"
#include "native_method.h"
#include "optimizers.h"
#include "stand_ins.h"
#include "tf_keras_traced_step.h"

namespace ap::keras {

struct TrainingState {
  Value loss;           // as given to compile()
  Value loss_weights;   // as given (models of several outputs)
  Value metrics_given;  // as given
  // metrics given per output (a dict, or a list of lists / None).
  bool metrics_structured = false;
  // Keras 3's model.metrics_names after training several outputs: each
  // output's "<name>_loss".
  std::vector<std::string> output_loss_names;
  std::vector<Value> metrics;  // as given (strings, objects), in order
  // compile(run_eagerly=True): the steps run eagerly, so their errors are
  // the eager ops' (no traced step's checks or graph texts).
  bool run_eagerly = false;
  // model.metrics_names. Keras 3: "compile_metrics" once any compile() had
  // metrics (the tracker stays). tf-keras: the logs' names of the last
  // fit / evaluate since this compile().
  bool compile_metrics_tracked = false;
  std::vector<std::string> logged_names;
  bool tf_keras = false;  // compiled under the tf_keras profile
  // The targets' rank the train [0] and test [1] functions were traced
  // with: Keras keeps each traced function until the next compile().
  mutable std::optional<int> traced_target_rank[2];
  std::optional<double> learning_rate;  // the optimizer's, if a number
};

namespace {

constexpr const char* kNotTrainedNote =
    "model.fit runs the forward pass and the loss on every batch but does "
    "not train: the weights keep their initial values, so the losses it "
    "prints and returns are those of the untrained model.";

constexpr const char* kCallbacksNote =
    "EarlyStopping and ReduceLROnPlateau act on how the losses improve from "
    "epoch to epoch; nothing trains here, so they never act and every epoch "
    "runs (real training may stop earlier).";

// ---- Progress bar (keras/src/utils/progbar.py, Keras 3.15) ----------------

// Python's len() of a UTF-8 string.
size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// f"{avg:.4f}" / f"{avg:.4e}" as Python prints them.
std::string MetricNumber(double v, bool four_digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return Format(four_digits ? "%.4f" : "%.4e", v);
}

// _format_time.
std::string FormatTime(double per_unit, const char* unit = "step") {
  const std::string u = std::string("/") + unit;
  if (per_unit >= 1 || per_unit == 0) return Format(" %.0fs", per_unit) + u;
  if (per_unit >= 1e-3) return Format(" %.0fms", per_unit * 1000.0) + u;
  return Format(" %.0fus", per_unit * 1000000.0) + u;
}

using Logs = std::vector<std::pair<std::string, double>>;

// Keras prints wall-clock timings; the engine has none, so it shows the
// compute it counted (about 1 ns per unit, tensor.h) as the time.
double CountedSeconds() {
  return static_cast<double>(CurrentBudget()->compute()) * 1e-9;
}

class Progbar {
 public:
  Progbar(RunContext& ctx, int64_t target, int verbose)
      : ctx_(ctx),
        target_(target),
        verbose_(verbose),
        start_(CountedSeconds()) {}

  // A batch's update prints only when it is the bar's first (Keras skips
  // updates within 0.05 s of the last one; the engine is that fast).
  void Update(int64_t current, const Logs& values, bool finalize) {
    if (ctx_.profile == Profile::kTfKeras) {
      return UpdateTfKeras(current, values, finalize);
    }
    const double now = CountedSeconds();
    const double per_unit = StepDuration(current, now);
    if (verbose_ == 1) {
      if (printed_ && !finalize) return;
      printed_ = true;
      std::string message(static_cast<size_t>(prev_width_), '\b');
      message += "\r";
      const std::string count = CountText(current);
      std::string bar = std::string("\x1b[1m") + count + "\x1b[0m ";
      int64_t special = 8;
      const int64_t prog_width = static_cast<int64_t>(
          20 * (static_cast<double>(current) / static_cast<double>(target_)));
      std::string full, empty;
      for (int64_t i = 0; i < prog_width; ++i) full += "\xe2\x94\x81";
      for (int64_t i = prog_width; i < 20; ++i) empty += "\xe2\x94\x81";
      if (prog_width > 0) {
        bar += "\x1b[32m" + full + "\x1b[0m";
        special += 9;
      }
      bar += "\x1b[37m" + empty + "\x1b[0m";
      special += 9;
      std::string info;
      if (!finalize) {
        const double eta = per_unit * static_cast<double>(target_ - current);
        info =
            " \x1b[1m" + std::to_string(static_cast<int64_t>(eta)) + "s\x1b[0m";
      } else {
        info = " \x1b[1m" + Format("%.0f", now - start_) + "s\x1b[0m";
      }
      special += 8;
      info += FormatTime(per_unit);
      for (const auto& [name, v] : values) {
        info += " - " + name + ": " + MetricNumber(v, std::abs(v) > 1e-3);
      }
      message += bar + info;
      const int64_t width = static_cast<int64_t>(CodePoints(bar)) +
                            static_cast<int64_t>(CodePoints(info)) - special;
      if (prev_width_ > width) {
        message += std::string(static_cast<size_t>(prev_width_ - width), ' ');
      }
      if (finalize) message += "\n";
      Write(message);
      prev_width_ = width;
    } else if (verbose_ == 2 && finalize) {
      const std::string count = CountText(current);
      std::string info = std::string(count) + " - " +
                         Format("%.0f", now - start_) + "s -" +
                         FormatTime(per_unit);
      for (const auto& [name, v] : values) {
        info += " - " + name + ": " + MetricNumber(v, v > 1e-3);
      }
      Write(info + "\n");
    }
  }

 private:
  // _estimate_step_duration (the same in Keras 3 and tf-keras): the first
  // step, usually slower, is left out once there are others.
  double StepDuration(int64_t current, double now) {
    if (!current) return 0;
    const double per_unit =
        after_first_ && current > 1
            ? (now - *after_first_) / static_cast<double>(current - 1)
            : (now - start_) / static_cast<double>(current);
    if (current == 1) after_first_ = now;
    return per_unit;
  }

  // "  3/12": the step, right-aligned to the target's digits.
  std::string CountText(int64_t current) const {
    const int digits =
        static_cast<int>(std::log10(static_cast<double>(target_))) + 1;
    char count[64];
    std::snprintf(count, sizeof count, "%*lld/%lld", digits,
                  static_cast<long long>(current),
                  static_cast<long long>(target_));
    return count;
  }

  // tf-keras 2.21's Progbar (tf_keras/src/utils/generic_utils.py): a
  // 30-column bar of '=' and '>', " - ETA: 0s" until the last draw, the
  // logs in their own order, and verbose=2's per-epoch and per-step times.
  // The display is dynamic (it redraws over '\b's and '\r') wherever the
  // "posix" module is loaded, as in every Linux run.
  void UpdateTfKeras(int64_t current, const Logs& values, bool finalize) {
    const double now = CountedSeconds();
    const double per_unit = StepDuration(current, now);
    const std::string elapsed = " - " + Format("%.0f", now - start_) + "s";
    const std::string count = CountText(current);
    auto metrics = [&](bool signed_small) {
      std::string out;
      for (const auto& [name, v] : values) {
        out += " - " + name + ": " +
               MetricNumber(v, signed_small ? std::abs(v) > 1e-3 : v > 1e-3);
      }
      return out;
    };
    if (verbose_ == 1) {
      if (printed_ && !finalize) return;
      printed_ = true;
      std::string message(static_cast<size_t>(prev_width_), '\b');
      message += "\r";
      constexpr int64_t kWidth = 30;
      std::string bar = std::string(count) + " [";
      const int64_t prog_width =
          static_cast<int64_t>(kWidth * (static_cast<double>(current) /
                                         static_cast<double>(target_)));
      if (prog_width > 0) {
        bar += std::string(static_cast<size_t>(prog_width - 1), '=');
        bar += current < target_ ? ">" : "=";
      }
      bar += std::string(static_cast<size_t>(kWidth - prog_width), '.') + "]";
      std::string info;
      if (finalize) {
        info = elapsed + FormatTime(per_unit);
      } else {
        const double eta = per_unit * static_cast<double>(target_ - current);
        info = " - ETA: " + EtaText(eta);
      }
      info += metrics(true);
      const int64_t width = static_cast<int64_t>(bar.size() + info.size());
      if (prev_width_ > width) {
        info += std::string(static_cast<size_t>(prev_width_ - width), ' ');
      }
      if (finalize) info += "\n";
      Write(message + bar + info);
      prev_width_ = width;
    } else if (verbose_ == 2 && finalize) {
      const double per_epoch = now - start_;
      Write(std::string(count) + elapsed + metrics(false) + " -" +
            FormatTime(per_epoch, "epoch") + " -" +
            FormatTime(per_epoch / static_cast<double>(target_)) + "\n");
    }
  }

  // " - ETA: 1:02:03", "2:05" or "7s".
  static std::string EtaText(double eta) {
    const auto s = static_cast<long long>(eta);
    char text[64];
    if (eta > 3600) {
      std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600,
                    s % 3600 / 60, s % 60);
    } else if (eta > 60) {
      std::snprintf(text, sizeof text, "%lld:%02lld", s / 60, s % 60);
    } else {
      std::snprintf(text, sizeof text, "%llds", s);
    }
    return text;
  }

  void Write(const std::string& text) {
    if (ctx_.runtime) ctx_.runtime->Write(text);
  }

  RunContext& ctx_;
  int64_t target_;
  int verbose_;
  double start_;
  std::optional<double> after_first_;
  int64_t prev_width_ = 0;
  bool printed_ = false;
};

// ---- Data (keras/src/trainers/data_adapters, Keras 3.15) ------------------

// x or y as a tensor: tf tensors are what the playground models.
std::optional<Tensor> DataTensor(const Value& v, const char* label) {
  if (v.is_none()) return std::nullopt;
  if (v.is_tensor()) return v.as_tensor();
  if (np::IsNdarray(v)) {
    // The array adapter converts float arrays to floatx (float32).
    const Tensor& t = np::NdarrayTensor(v);
    return t.dtype() == DType::kFloat64 ? ops::Cast(t, DType::kFloat32) : t;
  }
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple ||
      v.kind() == Value::Kind::kDict) {
    // A structure of arrays feeds a model of several inputs (or outputs).
    bool arrays = !v.is_none();
    if (v.kind() != Value::Kind::kDict) {
      for (const Value& item : v.items()) {
        arrays = arrays && (item.is_tensor() || np::IsNdarray(item));
      }
    }
    if (arrays && (v.kind() == Value::Kind::kDict || !v.items().empty())) {
      RaiseNotModelled(std::string("model data (") + label +
                       ") given as a dict of arrays, or as a list of arrays "
                       "for several outputs");
    }
  }
  if (std::string(label) == "x" &&
      (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple ||
       v.is_number() || v.kind() == Value::Kind::kStr)) {
    // get_data_adapter: nothing handles Python lists.
    RaiseValueError("Unrecognized data type: x=" + ap::Str(v) +
                    " (of type <class '" + PyTypeName(v) + "'>)");
  }
  RaiseNotModelled(std::string("model data (") + label +
                   ") that is not a tensor or a NumPy array");
}

// check_data_cardinality: every array has as many samples.
void CheckCardinality(const std::vector<Tensor>& xs,
                      const std::optional<Tensor>& y) {
  bool same = true;
  std::string x_sizes;
  for (const Tensor& x : xs) {
    if (x.rank() == 0) RaiseNotModelled("scalar model inputs");
    same = same && x.shape()[0] == xs[0].shape()[0];
    x_sizes += (x_sizes.empty() ? "" : ", ") + std::to_string(x.shape()[0]);
  }
  if (y && y->rank() == 0) RaiseNotModelled("scalar targets");
  if (y) same = same && y->shape()[0] == xs[0].shape()[0];
  if (same) return;
  RaiseValueError(
      "Data cardinality is ambiguous. Make sure all arrays contain the same "
      "number of samples.'x' sizes: " +
      x_sizes +
      (y ? "\n'y' sizes: " + std::to_string(y->shape()[0]) : std::string()) +
      "\n");
}

Tensor Rows(const Tensor& t, int64_t begin, int64_t end) {
  ops::SliceItem item;
  item.kind = ops::SliceItem::Kind::kRange;
  item.start = begin;
  item.stop = end;
  return ops::StridedSlice(t, {item});
}

struct Dataset {
  Tensor x;  // the (first) input
  // The other inputs of a model of several, given as a list or tuple.
  std::vector<Tensor> more_x;
  bool x_is_list = false, x_is_tuple = false;
  std::optional<Tensor> y;
  // The other outputs' targets, for a model of several outputs (y given as
  // a list, or a dict by output name).
  std::vector<Tensor> more_y;
  int64_t batch_size = 32;
  int64_t size() const { return x.shape()[0]; }
  int64_t steps() const { return (size() + batch_size - 1) / batch_size; }
  // A tf.data dataset's: its element_spec's batch dim.
  std::optional<Dim> spec_batch;
  // The batch dim the traced step sees: tf.data knows it only when every
  // batch is full.
  Dim traced_batch() const {
    if (spec_batch) return *spec_batch;
    return size() % batch_size == 0 ? Dim(batch_size) : Dim();
  }
};

// Rows [begin, end) of every input, structured as the program gave them.
Value InputRows(const Dataset& d, int64_t begin, int64_t end) {
  if (!d.x_is_list && !d.x_is_tuple) {
    return Value::FromTensor(Rows(d.x, begin, end));
  }
  ValueList items{Value::FromTensor(Rows(d.x, begin, end))};
  for (const Tensor& t : d.more_x) {
    items.push_back(Value::FromTensor(Rows(t, begin, end)));
  }
  return d.x_is_list ? Value::List(std::move(items))
                     : Value::Tuple(std::move(items));
}

// The same dataset with samples [begin, end) of every array.
Dataset SampleRange(const Dataset& d, int64_t begin, int64_t end) {
  Dataset out = d;
  out.x = Rows(d.x, begin, end);
  for (Tensor& t : out.more_x) t = Rows(t, begin, end);
  if (d.y) out.y = Rows(*d.y, begin, end);
  for (Tensor& t : out.more_y) t = Rows(t, begin, end);
  return out;
}

int64_t BatchSizeArg(const Value& v) {
  if (v.is_none()) return 32;
  if (v.kind() != Value::Kind::kInt || v.as_int() <= 0) {
    RaiseNotModelled("a batch_size that is not a positive int");
  }
  return v.as_int();
}

int VerboseArg(const Value& v) {
  if (v.kind() == Value::Kind::kStr && v.as_str() == "auto") return 1;
  if (v.kind() == Value::Kind::kInt || v.kind() == Value::Kind::kBool) {
    return static_cast<int>(v.kind() == Value::Kind::kBool ? v.as_bool()
                                                           : v.as_int());
  }
  RaiseNotModelled("this verbose= value");
}

// The playground's own errors (refusals, limits) pass through untouched.
bool IsPlaygroundError(const ErrorException& e) {
  return e.error().cls == ErrorClass::kNotSupportedError ||
         e.error().cls == ErrorClass::kLimitError;
}

// A refusal of `what` where `cause` was raised: the program's own line
// when its code (a call(), a loss function) raised it, else the call's.
[[noreturn]] void RefuseWhereRaised(const ErrorException* cause,
                                    const std::string& what) {
  try {
    RaiseNotModelled(what);
  } catch (const ErrorException& refusal) {
    const auto* raised = dynamic_cast<const py::PyException*>(cause);
    if (!raised || raised->line == 0) throw;
    throw py::PyException(py::MakeExceptionObject(refusal.error()),
                          raised->line, raised->col);
  }
}

// Only a call's first batch reaches the trace: the others repeat its layer
// calls with the same shapes, and a long fit would fill the run document.
class TraceOnlyFirstBatch {
 public:
  TraceOnlyFirstBatch(RunContext& ctx, int64_t step)
      : ctx_(ctx), saved_(ctx.trace) {
    if (step > 0) ctx_.trace = nullptr;
  }
  ~TraceOnlyFirstBatch() { ctx_.trace = saved_; }
  TraceOnlyFirstBatch(const TraceOnlyFirstBatch&) = delete;
  TraceOnlyFirstBatch& operator=(const TraceOnlyFirstBatch&) = delete;

 private:
  RunContext& ctx_;
  TraceSink* saved_;
};

// ---- One model and its compiled loss --------------------------------------

// The op that ends a Dense layer's call in a traced graph ("BiasAdd",
// "Softmax", ...); nullopt where it is not one op the engine names (a
// rank-3 Dense without a bias ends in other matmul ops).
std::optional<std::string> DenseLastOp(const DenseLayer& dense,
                                       size_t output_rank) {
  const std::string& act = dense.activation();
  if (act == "softmax") return "Softmax";
  if (act == "relu") return "Relu";
  if (act == "sigmoid") return "Sigmoid";
  if (act == "tanh") return "Tanh";
  if (act.empty() && (dense.use_bias() || output_rank == 2)) {
    return dense.use_bias() ? "BiasAdd" : "MatMul";
  }
  return std::nullopt;
}

struct Trainer {
  Trainer(RunContext& c, std::shared_ptr<Layer> m, ModelGraphViewFn v,
          const TrainingState* s)
      : ctx(c), model(std::move(m)), view_fn(std::move(v)), state(s) {}

  RunContext& ctx;
  std::shared_ptr<Layer> model;
  ModelGraphViewFn view_fn;
  const TrainingState* state = nullptr;  // null for predict
  std::optional<LossSpec> loss;
  std::vector<MetricSpec> metrics;  // resolved on the first batch
  bool resolved = false;
  int64_t batches_run = 0;  // over every epoch

  // Which of tf-keras' traced functions runs the model.
  TracedStep Step(bool training) const {
    if (!state) return TracedStep::kPredict;
    return training ? TracedStep::kTrain : TracedStep::kTest;
  }

  Value Forward(const Value& x, bool training) {
    return ForwardOutputs(x, training);
  }

  // The model's outputs on `x`: a tensor, or a list or tuple of them.
  Value ForwardOutputs(const Value& x, bool training) {
    CallArgs args;
    args.positional.push_back(x);
    args.keywords.emplace_back("training", Value::Bool(training));
    return model->Call(ctx, args);
  }

  // The graph name of the op that made the output, as the traced step
  // names it: "<model>_1/<layer scope>/<op>".
  std::optional<std::string> OutputOp(size_t output_rank) const {
    const std::optional<ModelGraphView> view = view_fn();
    if (!view || !view->output_layer) return std::nullopt;
    const auto* dense =
        dynamic_cast<const DenseLayer*>(view->output_layer.get());
    if (!dense) return std::nullopt;
    const std::optional<std::string> last = DenseLastOp(*dense, output_rank);
    if (!last) return std::nullopt;
    const std::string& op = *last;
    // Each layer call enters its name scope twice, and the graph makes each
    // name unique as tf.Graph.unique_name does (flat keys under the model's
    // scope, itself entered twice: "<model>_1").
    std::map<std::string, int64_t> used;
    auto unique = [&used](std::string name) {
      int64_t i = used[name]++;
      if (i > 0) {
        const std::string base = name;
        while (used.count(name)) name = base + "_" + std::to_string(i++);
        used[name] = 1;
      }
      return name;
    };
    std::string scope;
    for (const auto& layer : view->called_layers) {
      if (layer->class_name() == "Functional" ||
          layer->class_name() == "Sequential") {
        return std::nullopt;  // nested models scope their own layers
      }
      unique(layer->name());
      const std::string s = unique(layer->name());
      if (layer == view->output_layer) scope = s;
    }
    if (scope.empty()) return std::nullopt;
    return model->name() + "_1/" + scope + "/" + op;
  }

  // The graph name of the op that made the output in tf-keras' traced step:
  // "<model>/<layer>/<op>" (each scope entered once); nullopt unless the
  // output is a Dense layer called once, directly in the model.
  std::optional<std::string> TfKerasOutputOp(size_t output_rank) const {
    const std::optional<ModelGraphView> view = view_fn();
    if (!view || !view->output_layer) return std::nullopt;
    const auto* dense =
        dynamic_cast<const DenseLayer*>(view->output_layer.get());
    if (!dense) return std::nullopt;
    int calls = 0;
    for (const auto& layer : view->called_layers) {
      if (layer->class_name() == "Functional" ||
          layer->class_name() == "Sequential") {
        return std::nullopt;
      }
      calls += layer == view->output_layer;
    }
    if (calls != 1) return std::nullopt;
    const std::optional<std::string> op = DenseLastOp(*dense, output_rank);
    if (!op) return std::nullopt;
    return model->name() + "/" + dense->name() + "/" + *op;
  }

  // tf-keras' mean errors subtract in the traced graph
  // (tf_keras/src/losses.py mean_squared_error's squared_difference,
  // mean_absolute_error's y_pred - y_true, tf-keras 2.21): TensorFlow's
  // broadcast shape function raises with the nodes' names. The targets
  // are the iterator's next outputs after the inputs; a cast, squeeze or
  // expand in between would name other nodes, so those stay refused.
  void RaiseTfKerasMeanErrorCheck(const Dataset& data, const PartialShape& y,
                                  const PartialShape& out,
                                  bool training_step) const {
    const bool mse = loss->kind == LossKind::kMse;
    if (!mse && loss->kind != LossKind::kMae) return;
    if (!data.y || !IsFloatDType(data.y->dtype())) return;
    if (y.size() != out.size() || out.empty() || out.back().Is(1)) return;
    size_t rank = out.size();
    for (size_t i = 0; i < rank; ++i) {
      const Dim da = out[i], db = y[i];
      if (!da.known() || !db.known() || da == db || da.Is(1) || db.Is(1)) {
        continue;
      }
      const std::optional<std::string> op = TfKerasOutputOp(out.size());
      if (!op) return;
      const std::string node = mse ? "mean_squared_error/SquaredDifference"
                                   : "mean_absolute_error/sub";
      const std::string kernel = mse ? "SquaredDifference" : "Sub";
      const std::string message =
          "Dimensions must be equal, but are " + std::to_string(da.size()) +
          " and " + std::to_string(db.size()) + " for '{{node " + node +
          "}} = " + kernel + "[T=DT_FLOAT](" + *op +
          ", IteratorGetNext:" + std::to_string(1 + data.more_x.size()) +
          ")' with input shapes: " + PartialShapeToGraphString(out) + ", " +
          PartialShapeToGraphString(y) + ".";
      throw ErrorException(TfKerasTracedMeanErrorError(
          training_step ? TracedStep::kTrain : TracedStep::kTest, mse,
          message));
    }
  }

  void ResolveLoss() { loss = LossFromValue(state->loss); }

  // The mean loss of one batch ("sum_over_batch_size").
  double BatchLoss(const LossSpec& spec, const Tensor& y, const Tensor& out) {
    Tensor per_sample;
    if (spec.kind == LossKind::kFunction) {
      const auto [y_true, y_pred] =
          LossFunctionArguments(y, out, ctx.profile == Profile::kTfKeras);
      CallArgs args;
      args.positional = {Value::FromTensor(y_true), Value::FromTensor(y_pred)};
      std::string printed;
      Value result;
      {
        const StandInStdout keep(ctx, &printed);
        try {
          result = ctx.runtime->CallValue(spec.function, args);
        } catch (const ErrorException& e) {
          if (ctx.profile == Profile::kTfKeras && !IsPlaygroundError(e)) {
            // tf-keras runs the function through AutoGraph, which folds its
            // traceback into the text ("in user code:").
            RefuseWhereRaised(
                &e,
                "this error of a loss function under tf-keras (AutoGraph "
                "raises it with an \"in user code:\" traceback)");
          }
          throw;
        }
      }
      if (!printed.empty() && !state->run_eagerly) {
        RaiseNotModelled(
            "what a loss function prints inside the traced train/test step "
            "(Keras prints it once, while tracing, with symbolic tensors); "
            "compile(..., run_eagerly=True) prints it on every batch");
      }
      if (!printed.empty()) py::RuntimeOf(ctx).Write(printed);
      if (result.is_number()) return result.as_number();
      if (!result.is_tensor() || !IsFloatDType(result.as_tensor().dtype())) {
        RaiseNotModelled("a loss function that returns no float tensor");
      }
      per_sample = result.as_tensor();
      if (per_sample.num_elements() == 0) {
        RaiseNotModelled("a loss function that returns an empty tensor");
      }
    } else {
      per_sample = PerSampleLoss(spec, y, out);
    }
    return ops::Reduce(ops::ReduceOp::kMean, per_sample, std::nullopt, false)
        .GetAsDouble(0);
  }

  // tf-keras raises an error of its traced step with the step's traceback
  // ("in user code:", then tf-keras' own files and lines).
  // Raised by the program's own code (a subclassed call()), the refusal
  // stands where the error did, as tf-keras' traceback points there.
  [[noreturn]] static void RefuseTfKerasTracedError(
      const ErrorException* cause = nullptr) {
    RefuseWhereRaised(
        cause,
        "this error inside tf-keras' traced train/test step: tf-keras "
        "raises it with a traceback through its own files (\"in user "
        "code:\"); compile(..., run_eagerly=True) shows the eager error");
  }

  // tf-keras' crossentropies check their shapes statically in the traced
  // step (tf_keras/src/engine/compile_utils.py match_dtype_and_rank,
  // utils/losses_utils.py squeeze_or_expand_dimensions, backend.py, tf-keras
  // 2.21; tf.nn.sparse_softmax_cross_entropy_with_logits, TF 2.21).
  void RaiseTfKerasCrossentropyCheck(PartialShape y, PartialShape out,
                                     bool training_step) const {
    const bool sparse = loss->kind == LossKind::kSparseCategorical;
    if (!sparse && loss->kind != LossKind::kCategorical) return;
    // A rank-1 target beside a rank-2 output gains a last axis.
    if (y.size() == 1 && out.size() == 2) y.push_back(Dim(1));
    // remove_squeezable_dimensions unless the output has exactly one axis
    // more (and a last dim other than 1).
    const int diff = static_cast<int>(out.size()) - static_cast<int>(y.size());
    if (diff != 1 || (!out.empty() && out.back().Is(1))) {
      if (diff == 1 && out.back().Is(1)) {
        out.pop_back();
      } else if (diff == -1 && !y.empty() && y.back().Is(1)) {
        y.pop_back();
      }
    }
    auto compatible = [](const PartialShape& a, const PartialShape& b) {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].known() && b[i].known() && a[i].size() != b[i].size()) {
          return false;
        }
      }
      return true;
    };
    auto product = [](const PartialShape& shape, size_t from, size_t to) {
      int64_t n = 1;
      for (size_t i = from; i < to; ++i) {
        if (!shape[i].known()) return Dim();
        n *= shape[i].size();
      }
      return Dim(n);
    };
    std::string message;
    if (!sparse) {
      if (compatible(y, out)) return;
      message = "Shapes " + PartialShapeToPyString(y) + " and " +
                PartialShapeToPyString(out) + " are incompatible";
    } else {
      if (out.empty()) return;
      PartialShape labels = y, logits = out;
      if (y.size() + 1 != out.size()) {
        // backend.sparse_categorical_crossentropy flattens the target and
        // reshapes the output to [-1, classes].
        labels = PartialShape{product(y, 0, y.size())};
        logits = PartialShape{product(out, 0, out.size() - 1), out.back()};
      }
      PartialShape leading(logits.begin(), logits.end() - 1);
      if (compatible(labels, leading)) return;
      message =
          "`labels.shape` must equal `logits.shape` except for the last "
          "dimension. Received: labels.shape=" +
          PartialShapeToPyString(labels) +
          " and logits.shape=" + PartialShapeToPyString(logits);
    }
    throw ErrorException(TfKerasTracedCrossentropyError(
        training_step ? TracedStep::kTrain : TracedStep::kTest, sparse,
        message));
  }

  // Targets of another rank than the function was traced with: TensorFlow
  // retraces it on relaxed shapes, the targets' rank unknown
  // (tf.function(reduce_retracing=True)). Keras 3's losses then fail in
  // squeeze_or_expand_to_same_rank (len() of the shape); tf-keras' mean
  // errors work on, its other losses fail in ways not modelled.
  void CheckRetrace(int target_rank, bool training_step) const {
    std::optional<int>& traced =
        state->traced_target_rank[training_step ? 0 : 1];
    if (!traced) {
      traced = target_rank;
      return;
    }
    if (*traced == target_rank) return;
    if (ctx.profile == Profile::kKeras3) {
      RaiseValueError("Cannot take the length of shape with unknown rank.");
    }
    if (loss->kind != LossKind::kMse && loss->kind != LossKind::kMae) {
      RaiseNotModelled(
          "this loss on targets of another rank than the step was traced "
          "with (tf-keras retraces it with an unknown rank)");
    }
  }

  // The traced step's checks on the first batch: the model's input spec
  // and the loss on shapes whose batch dim is the traced one, then the
  // metrics.
  void TraceChecks(const Dataset& data, const Tensor& out, bool training_step) {
    const Dim batch = data.traced_batch();
    PartialShape y_shape, out_shape = ToPartialShape(out.shape());
    out_shape[0] = batch;
    if (!loss) ResolveLoss();
    if (state->metrics_structured) {
      RaiseNotModelled("compile(metrics=...) per output for a model of one");
    }
    if (!state->loss_weights.is_none()) {
      RaiseNotModelled("compile(loss_weights=...) for a model of one output");
    }
    if (!data.y) RaiseValueError("None values not supported.");
    y_shape = ToPartialShape(data.y->shape());
    y_shape[0] = batch;
    if (!state->run_eagerly)
      CheckRetrace(static_cast<int>(y_shape.size()), training_step);
    if (!state->run_eagerly && ctx.profile == Profile::kTfKeras) {
      RaiseTfKerasCrossentropyCheck(y_shape, out_shape, training_step);
      RaiseTfKerasMeanErrorCheck(data, y_shape, out_shape, training_step);
    }
    if (!state->run_eagerly) {
      try {
        CheckLossShapes(*loss, y_shape, out_shape, OutputOp(out_shape.size()),
                        1 + data.more_x.size());
      } catch (const ErrorException& e) {
        if (ctx.profile == Profile::kTfKeras && !IsPlaygroundError(e)) {
          RefuseTfKerasTracedError();
        }
        throw;
      }
    }
    if (!resolved) {
      for (const Value& given : state->metrics) {
        metrics.push_back(
            ResolveMetric(MetricFromValue(given), y_shape, out_shape));
      }
      resolved = true;
    }
  }

  // The model on the first batch as the traced step meets it: a functional
  // model checks its input spec on the traced shape first; an error raised
  // while the traced batch dim is None carries shapes the eager batch does
  // not have, so it is refused rather than misquoted.
  // An array one axis short of the model's input (one sample without its
  // batch axis): Keras fails in its data pipeline and traced step, with
  // texts of their own.
  void RefuseMissingBatchAxis(const Dataset& data) const {
    if (const std::optional<ModelGraphView> view = view_fn()) {
      std::vector<int> ranks = {data.x.rank()};
      for (const Tensor& t : data.more_x) ranks.push_back(t.rank());
      for (size_t i = 0; i < ranks.size() && i < view->input_shapes.size();
           ++i) {
        const PartialShape& want = view->input_shapes[i];
        // (A trailing axis of 1 is added back by the model: not an error.)
        if (ranks[i] + 1 == static_cast<int>(want.size()) &&
            !want.back().Is(1)) {
          RaiseNotModelled(
              "fit/evaluate/predict on an array one axis short of the "
              "model's input (a single sample?): Keras fails in its traced "
              "step with texts the playground does not model; add the batch "
              "axis (x[np.newaxis])");
        }
      }
    }
  }

  // The traced step runs on a batch dim of None when the last batch is
  // short, and Keras' own checks word their errors with that None. The
  // first step's forward runs again on the first 2 and the first 3 samples:
  // the numbers that differ between the two errors are the batch, written
  // None. nullopt when the two runs do not fail alike. `*line` / `*col`:
  // where the program's own code raised it (0 when it did not).
  std::optional<Error> UnknownBatchError(const Dataset& data, bool training,
                                         int* line, int* col) {
    constexpr int64_t kSizes[2] = {2, 3};
    if (data.size() < kSizes[1]) return std::nullopt;
    std::optional<Error> errors[2];
    std::string printed[2];
    TraceSink* const trace = ctx.trace;
    ctx.trace = nullptr;
    for (int w = 0; w < 2; ++w) {
      const StandInStdout keep(ctx, &printed[w]);
      try {
        Forward(InputRows(data, 0, kSizes[w]), training);
      } catch (const ErrorException& e) {
        if (IsPlaygroundError(e)) {
          ctx.trace = trace;
          throw;
        }
        errors[w] = e.error();
        const auto* raised = dynamic_cast<const py::PyException*>(&e);
        *line = raised ? raised->line : 0;
        *col = raised ? raised->col : 0;
      }
    }
    ctx.trace = trace;
    if (!errors[0] || !errors[1] || errors[0]->cls != errors[1]->cls) {
      return std::nullopt;
    }
    const std::optional<std::string> text =
        MergeStandInTexts(errors[0]->Message(), errors[1]->Message());
    if (!text) return std::nullopt;
    Error merged;
    merged.cls = errors[0]->cls;
    merged.text = *text;
    merged.note = errors[0]->note;
    return merged;
  }

  // Keras 3: the first step's error on a None batch dim; returns when the
  // two runs do not fail alike.
  void RaiseUnknownBatchError(const Dataset& data, bool training) {
    int line = 0, col = 0;
    std::optional<Error> merged =
        UnknownBatchError(data, training, &line, &col);
    if (!merged) return;
    if (line == 0) throw ErrorException(std::move(*merged));
    throw py::PyException(py::MakeExceptionObject(*merged), line, col);
  }

  // tf-keras: the error `e` of the first step's forward as its traced step
  // raises it, when the model's input checks raised it; else refused.
  [[noreturn]] void RaiseTfKerasTraced(const ErrorException& e,
                                       const Dataset& data, bool training,
                                       TracedStep step) {
    if (IsPlaygroundError(e)) throw;  // (called inside its handler)
    // A program's own class puts its code in the traceback.
    if (model->class_name() != "Functional" &&
        model->class_name() != "Sequential") {
      RefuseTfKerasTracedError(&e);
    }
    std::optional<Error> error = e.error();
    if (!data.traced_batch().known()) {
      int line = 0, col = 0;
      error = UnknownBatchError(data, training, &line, &col);
    }
    if (error) {
      if (std::optional<Error> traced =
              TfKerasTracedInputSpecError(step, *error)) {
        throw ErrorException(std::move(*traced));
      }
    }
    RefuseTfKerasTracedError(&e);
  }

  Value FirstForward(const Dataset& data, const Value& x, bool training) {
    const Dim batch = data.traced_batch();
    RefuseMissingBatchAxis(data);
    // Keras 3's traced step builds an unbuilt Sequential on the traced
    // shape (its batch dim None when the last batch is short): its build().
    if (!batch.known() && !data.x_is_list && !data.x_is_tuple &&
        ctx.profile == Profile::kKeras3 &&
        model->class_name() == "Sequential" && !model->built()) {
      PartialShape traced = ToPartialShape(data.x.shape());
      traced[0] = batch;
      CallArgs args;
      args.positional.push_back(ShapeTuple(traced));
      ctx.runtime->CallValue(*model->GetAttr("build"), args);
    }
    if (const std::optional<ModelGraphView> view = view_fn()) {
      if (view->check_inputs) {
        auto traced = [batch](const Tensor& t) {
          PartialShape shape = ToPartialShape(t.shape());
          shape[0] = batch;
          return Value::FromObject(
              std::make_shared<KerasTensor>(shape, t.dtype(), "traced_input"));
        };
        try {
          if (data.x_is_list || data.x_is_tuple) {
            ValueList items{traced(data.x)};
            for (const Tensor& t : data.more_x) items.push_back(traced(t));
            view->check_inputs(data.x_is_list ? Value::List(std::move(items))
                                              : Value::Tuple(std::move(items)));
          } else {
            view->check_inputs(traced(data.x));
          }
        } catch (const ErrorException& e) {
          if (ctx.profile == Profile::kTfKeras && !IsPlaygroundError(e)) {
            // Checked on the traced shapes: the text is the graph's.
            if (std::optional<Error> traced =
                    TfKerasTracedInputSpecError(Step(training), e.error())) {
              throw ErrorException(std::move(*traced));
            }
            RefuseTfKerasTracedError(&e);
          }
          throw;
        }
      }
    }
    try {
      return Forward(x, training);
    } catch (const ErrorException& e) {
      const ErrorClass cls = e.error().cls;
      const bool keras_text =
          cls == ErrorClass::kValueError || cls == ErrorClass::kTypeError;
      if (IsPlaygroundError(e)) throw;
      if (ctx.profile == Profile::kTfKeras) {
        RaiseTfKerasTraced(e, data, training, Step(training));
      }
      if (keras_text && batch.known()) throw;
      if (keras_text) RaiseUnknownBatchError(data, training);
      RaiseNotModelled(
          "this error inside the traced train/test step (TensorFlow raises "
          "it from a graph, with other shapes and texts)");
    }
  }

  // A model of several outputs: each output's loss, weight and metrics.
  std::vector<OutputTraining> outputs;
  std::vector<std::string> output_log_names;  // in evaluate()'s order

  // The first batch of a model of several outputs: the losses and metrics
  // resolved against the outputs, each output's static checks.
  void TraceChecksOfOutputs(const Dataset& data, const ValueList& outs) {
    const std::optional<ModelGraphView> view = view_fn();
    if (!view || view->output_names.size() != outs.size()) {
      RaiseNotModelled("training a model of several outputs of this kind");
    }
    const bool tf_keras = ctx.profile == Profile::kTfKeras;
    if (outputs.empty()) {
      outputs =
          ResolveOutputs(state->loss, state->loss_weights, state->metrics_given,
                         view->output_names, tf_keras);
    }
    if (!data.y) RaiseValueError("None values not supported.");
    if (1 + data.more_y.size() != outs.size()) {
      RaiseNotModelled("targets whose number differs from the model's outputs");
    }
    const Dim batch = data.traced_batch();
    for (size_t i = 0; i < outs.size(); ++i) {
      const Tensor& y = i == 0 ? *data.y : data.more_y[i - 1];
      PartialShape y_shape = ToPartialShape(y.shape());
      PartialShape out_shape = ToPartialShape(outs[i].as_tensor().shape());
      y_shape[0] = batch;
      out_shape[0] = batch;
      if (!state->run_eagerly) {
        try {
          CheckLossShapes(outputs[i].loss, y_shape, out_shape, std::nullopt,
                          1 + data.more_x.size());
        } catch (const ErrorException& e) {
          if (tf_keras && !IsPlaygroundError(e)) RefuseTfKerasTracedError();
          throw;
        }
      }
      if (output_log_names.empty()) {
        for (MetricSpec& m : outputs[i].metrics) {
          m = ResolveMetric(m, y_shape, out_shape);
        }
      }
    }
    if (output_log_names.empty()) output_log_names = OutputLogNames(outputs);
  }

  // One batch of a model of several outputs: each output's weighted loss
  // and its metrics, added to the sums (one per log name after "loss").
  void AddBatchOfOutputs(const Dataset& data, const ValueList& outs,
                         int64_t begin, int64_t end, std::vector<double>* sums,
                         std::vector<double>* counts) {
    const size_t n = outs.size();
    const size_t names = 1 + n + [&] {
      size_t k = 0;
      for (const OutputTraining& o : outputs) k += o.metrics.size();
      return k;
    }();
    sums->resize(names);
    counts->resize(names);
    const double rows = static_cast<double>(end - begin);
    double total = 0;
    size_t metric_slot = 1 + n;
    for (size_t i = 0; i < n; ++i) {
      const Tensor y = Rows(i == 0 ? *data.y : data.more_y[i - 1], begin, end);
      const Tensor& out = outs[i].as_tensor();
      // Each output's logged loss is unweighted; the total weighs them.
      const double value = BatchLoss(outputs[i].loss, y, out);
      total += value * outputs[i].weight.value_or(1.0);
      (*sums)[1 + i] += value * rows;
      (*counts)[1 + i] += rows;
      for (const MetricSpec& m : outputs[i].metrics) {
        const Tensor v = MetricValues(m, y, out);
        (*sums)[metric_slot] +=
            ops::Reduce(ops::ReduceOp::kSum, v, std::nullopt, false)
                .GetAsDouble(0);
        (*counts)[metric_slot] += static_cast<double>(v.num_elements());
        ++metric_slot;
      }
    }
    (*sums)[0] += total * rows;
    (*counts)[0] += rows;
  }

  Logs LogsOfOutputs(const std::vector<double>& sums,
                     const std::vector<double>& counts) const {
    Logs logs;
    for (size_t i = 0; i < output_log_names.size() && i < sums.size(); ++i) {
      const double v = counts[i] ? sums[i] / counts[i] : 0;
      logs.emplace_back(output_log_names[i],
                        static_cast<double>(static_cast<float>(v)));
    }
    if (ctx.profile == Profile::kKeras3) {
      std::stable_sort(
          logs.begin(), logs.end(),
          [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    return logs;
  }

  // An error of the losses or metrics of a batch (called in its handler):
  // eager steps raise it as it is; the traced step's comes from a graph,
  // with texts not modelled, and is refused where it was raised.
  [[noreturn]] void RethrowLossError(const ErrorException& e) const {
    if (IsPlaygroundError(e) || state->run_eagerly) throw;
    RefuseWhereRaised(
        &e,
        "this error of the loss or a metric inside the traced step "
        "(TensorFlow raises it from a graph, with other texts)");
  }

  // One pass over `data` computing the loss and metrics of every batch;
  // returns the logs (loss, then metrics; sorted by name as Keras' logs).
  Logs RunEpoch(const Dataset& data, bool training, Progbar* bar) {
    double loss_sum = 0, loss_count = 0;
    std::vector<double> metric_sum, metric_count;
    Logs logs;
    for (int64_t step = 0; step < data.steps(); ++step) {
      if (ctx.runtime) ctx.runtime->Step();
      const TraceOnlyFirstBatch trace_guard(ctx, batches_run++);
      const int64_t begin = step * data.batch_size;
      const int64_t end = std::min(data.size(), begin + data.batch_size);
      const Value x = InputRows(data, begin, end);
      const bool eager = state && state->run_eagerly;
      Value out_value;
      try {
        out_value = step == 0 && !eager ? FirstForward(data, x, training)
                                        : Forward(x, training);
      } catch (const ErrorException& e) {
        // (The first step's errors come as the traced step raises them.)
        if (!eager && step > 0 && ctx.profile == Profile::kTfKeras &&
            !IsPlaygroundError(e)) {
          RefuseTfKerasTracedError(&e);
        }
        throw;
      }
      if (out_value.kind() == Value::Kind::kList ||
          out_value.kind() == Value::Kind::kTuple) {
        const ValueList& outs = out_value.items();
        for (const Value& o : outs) {
          if (!o.is_tensor()) {
            RaiseNotModelled("fit/evaluate of a model with nested outputs");
          }
        }
        if (step == 0) TraceChecksOfOutputs(data, outs);
        try {
          AddBatchOfOutputs(data, outs, begin, end, &metric_sum, &metric_count);
        } catch (const ErrorException& e) {
          RethrowLossError(e);
        }
        logs = LogsOfOutputs(metric_sum, metric_count);
        if (bar) bar->Update(step + 1, logs, false);
        continue;
      }
      if (!out_value.is_tensor()) {
        RaiseNotModelled("fit/evaluate of a model with nested outputs");
      }
      const Tensor& out = out_value.as_tensor();
      if (step == 0) TraceChecks(data, out, training);
      const Tensor y = Rows(*data.y, begin, end);
      try {
        const double batch_loss = BatchLoss(*loss, y, out);
        const double n = static_cast<double>(end - begin);
        loss_sum += batch_loss * n;
        loss_count += n;
        metric_sum.resize(metrics.size());
        metric_count.resize(metrics.size());
        for (size_t i = 0; i < metrics.size(); ++i) {
          const Tensor v = MetricValues(metrics[i], y, out);
          metric_sum[i] +=
              ops::Reduce(ops::ReduceOp::kSum, v, std::nullopt, false)
                  .GetAsDouble(0);
          metric_count[i] += static_cast<double>(v.num_elements());
        }
      } catch (const ErrorException& e) {
        RethrowLossError(e);
      }
      logs = CurrentLogs(loss_sum, loss_count, metric_sum, metric_count);
      if (bar) bar->Update(step + 1, logs, false);
    }
    return logs;
  }

  Logs CurrentLogs(double loss_sum, double loss_count,
                   const std::vector<double>& sums,
                   const std::vector<double>& counts) const {
    Logs logs;
    // Keras' metrics are float32 variables: show their float32 values.
    auto f32 = [](double v) {
      return static_cast<double>(static_cast<float>(v));
    };
    logs.emplace_back("loss", f32(loss_count ? loss_sum / loss_count : 0));
    for (size_t i = 0; i < metrics.size(); ++i) {
      logs.emplace_back(metrics[i].name,
                        f32(counts[i] ? sums[i] / counts[i] : 0));
    }
    // Keras 3's logs come sorted by name; tf-keras keeps the loss first and
    // the metrics in compile order.
    if (ctx.profile == Profile::kKeras3) {
      std::stable_sort(
          logs.begin(), logs.end(),
          [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    return logs;
  }
};

const TrainingState& Compiled(const std::shared_ptr<TrainingState>* state) {
  if (!*state) {
    RaiseValueError("You must call `compile()` before using the model.");
  }
  return **state;
}

// The trace event of a fit / evaluate call; fit's says that nothing trains.
void Emit(RunContext& ctx, const std::string& callee, const std::string& name,
          bool note, bool callbacks = false) {
  CallEvent event;
  event.kind = "layer";
  event.callee = callee;
  event.layer_name = name;
  if (note) event.notes.push_back(kNotTrainedNote);
  if (callbacks) event.notes.push_back(kCallbacksNote);
  ctx.Emit(std::move(event));
}

// fit(callbacks=[...]): a list of the callbacks the playground models.
bool HasCallbacks(const Value& callbacks) {
  if (callbacks.is_none()) return false;
  if (callbacks.kind() != Value::Kind::kList &&
      callbacks.kind() != Value::Kind::kTuple) {
    RaiseNotModelled("fit(callbacks=...) that is not a list");
  }
  for (const Value& c : callbacks.items()) {
    if (!IsModelledCallback(c)) {
      RaiseNotModelled("fit(callbacks=[...]) with this callback (" +
                       c.TypeName() + ")");
    }
  }
  return !callbacks.items().empty();
}

Value HistoryDict(const Logs& logs) {
  DictItems items;
  for (const auto& [name, v] : logs)
    items.emplace_back(Value::Str(name), Value::Float(v));
  return Value::Dict(std::move(items));
}

// keras.callbacks.History as fit returns it.
class History : public Object {
 public:
  History(uint64_t address, Value history, Value epoch, Value params)
      : address_(address),
        history_(std::move(history)),
        epoch_(std::move(epoch)),
        params_(std::move(params)) {}
  std::string TypeName() const override { return "History"; }
  std::string Repr() const override {
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%llx",
                  static_cast<unsigned long long>(address_));
    return std::string("<keras.src.callbacks.history.History object at ") +
           hex + ">";
  }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "history") return history_;
    if (name == "epoch") return epoch_;
    if (name == "params") return params_;
    return std::nullopt;
  }

 private:
  uint64_t address_;
  Value history_, epoch_, params_;
};

Value Compile(RunContext& ctx, const CallArgs& args,
              std::shared_ptr<TrainingState>* slot) {
  const std::vector<Param> params = ParseParams(
      "optimizer='rmsprop',loss=None,loss_weights=None,metrics=None,"
      "weighted_metrics=None,run_eagerly=False,steps_per_execution=1,"
      "jit_compile='auto',auto_scale_loss=True");
  const BoundArgs bound = BindArguments("compile", params, args);
  const Value& optimizer = bound[0];
  if (optimizer.kind() == Value::Kind::kStr) {
    if (!IsOptimizerName(optimizer.as_str())) {
      RaiseValueError("Could not interpret optimizer identifier: " +
                      optimizer.as_str());
    }
  } else if (!IsOptimizer(optimizer)) {
    RaiseNotModelled("this compile(optimizer=...) value");
  }
  if (!bound[4].is_none()) RaiseNotModelled("compile(weighted_metrics=...)");
  auto state = std::make_shared<TrainingState>();
  state->loss = bound[1];
  state->loss_weights = bound[2];
  state->metrics_given = bound[3];
  state->run_eagerly = Truthy(bound[5]);
  state->learning_rate = LearningRate(optimizer);
  const Value& metrics = bound[3];
  if (!metrics.is_none()) {
    if (metrics.kind() != Value::Kind::kList &&
        metrics.kind() != Value::Kind::kTuple) {
      if (metrics.kind() != Value::Kind::kDict) {
        RaiseValueError(
            "Expected `metrics` argument to be a list, tuple, or dict. "
            "Received instead: metrics=" +
            ap::Str(metrics) + " of type <class '" + PyTypeName(metrics) +
            "'>");
      }
      // A dict: per output (models of several outputs).
      state->metrics_structured = true;
    } else {
      for (const Value& m : metrics.items()) {
        if (m.kind() != Value::Kind::kStr && !MetricSpecOf(m)) {
          // Per output (lists, None): models of several outputs.
          state->metrics_structured = true;
          state->metrics.clear();
          break;
        }
        state->metrics.push_back(m);
      }
    }
  }
  const bool any_metric =
      !state->metrics.empty() ||
      (state->metrics_structured &&
       (metrics.kind() == Value::Kind::kDict ? !metrics.dict_items().empty()
                                             : !metrics.items().empty()));
  state->compile_metrics_tracked =
      any_metric || (*slot && (*slot)->compile_metrics_tracked);
  state->tf_keras = ctx.profile == Profile::kTfKeras;
  *slot = std::move(state);
  return Value::None();
}

// model.metrics_names (Keras 3.15's Model.metrics; tf-keras 2.21's
// metrics_names, known after a run): [] before compile().
Value MetricsNames(const TrainingState* state) {
  ValueList names;
  if (state && state->tf_keras) {
    for (const std::string& n : state->logged_names) {
      names.push_back(Value::Str(n));
    }
  } else if (state) {
    names.push_back(Value::Str("loss"));
    if (state->compile_metrics_tracked) {
      names.push_back(Value::Str("compile_metrics"));
    }
    for (const std::string& n : state->output_loss_names) {
      names.push_back(Value::Str(n));
    }
  }
  return Value::List(std::move(names));
}

// The names of a model's inputs and outputs, which dicts of data use.
struct ModelNames {
  std::vector<std::string> inputs, outputs;
};

ModelNames NamesOf(const ModelGraphViewFn& view) {
  const std::optional<ModelGraphView> v = view();
  return v ? ModelNames{v->input_names, v->output_names} : ModelNames{};
}

// A list or tuple of arrays and tensors: the inputs of a model of several.
bool IsArrayList(const Value& v) {
  if (v.kind() != Value::Kind::kList && v.kind() != Value::Kind::kTuple) {
    return false;
  }
  for (const Value& item : v.items()) {
    if (!item.is_tensor() && !np::IsNdarray(item)) return false;
  }
  return !v.items().empty();
}

// The arrays of a dict of model data (`label` "x" or "y", `what` "an
// inputs dict") by the model's input or output names, in their order.
std::vector<Tensor> ArraysByName(const Value& dict,
                                 const std::vector<std::string>& names,
                                 const char* label, const char* what,
                                 const char* each) {
  std::vector<Tensor> out;
  for (const std::string& name : names) {
    const std::optional<Value> found = DictEntryByName(dict, name);
    if (!found) {
      RaiseNotModelled(std::string(what) + " without an entry for " + each +
                       " '" + name + "'");
    }
    out.push_back(*DataTensor(*found, label));
  }
  if (dict.dict_items().size() != names.size()) {
    RaiseNotModelled(std::string(what) + " with keys that are not " + each +
                     " names");
  }
  return out;
}

// The targets of a model of several outputs named `output_names`: y as a
// list or tuple (one per output) or a dict by output name; nullopt when y
// is one array.
std::optional<std::vector<Tensor>> OutputTargets(
    const Value& y, const std::vector<std::string>& output_names) {
  if (output_names.size() < 2) return std::nullopt;
  std::vector<Tensor> ys;
  if (IsArrayList(y)) {
    for (const Value& item : y.items()) ys.push_back(*DataTensor(item, "y"));
  } else if (y.kind() == Value::Kind::kDict) {
    ys = ArraysByName(y, output_names, "y", "a targets dict", "output");
  } else {
    return std::nullopt;
  }
  if (ys.size() != output_names.size()) {
    RaiseNotModelled("targets whose number differs from the model's outputs");
  }
  return ys;
}

Dataset MakeDataset(const Value& x, const Value& y, int64_t batch_size,
                    const ModelNames& names = {}) {
  Dataset d;
  std::vector<Tensor> xs;
  if (x.kind() == Value::Kind::kDict && names.inputs.size() > 1) {
    // A dict by input name, for a model of several inputs.
    xs = ArraysByName(x, names.inputs, "x", "an inputs dict", "input");
    d.x_is_list = true;
  } else if (IsArrayList(x)) {
    for (const Value& item : x.items()) xs.push_back(*DataTensor(item, "x"));
    d.x_is_list = x.kind() == Value::Kind::kList;
    d.x_is_tuple = !d.x_is_list;
  } else {
    const std::optional<Tensor> xt = DataTensor(x, "x");
    if (!xt) RaiseNotModelled("fit/evaluate/predict without x");
    xs.push_back(*xt);
  }
  d.x = xs[0];
  d.more_x.assign(xs.begin() + 1, xs.end());
  if (std::optional<std::vector<Tensor>> ys = OutputTargets(y, names.outputs)) {
    d.y = (*ys)[0];
    d.more_y.assign(ys->begin() + 1, ys->end());
    for (const Tensor& t : d.more_y) {
      if (t.rank() == 0 || t.shape()[0] != d.y->shape()[0]) {
        RaiseNotModelled("targets of several outputs with different sizes");
      }
    }
  } else {
    d.y = DataTensor(y, "y");
  }
  CheckCardinality(xs, d.y);
  if (d.size() == 0) RaiseNotModelled("empty model data");
  d.batch_size = batch_size;
  return d;
}

// A tf.data dataset given as x: its batches, read once, as the arrays
// they cut (Keras reads the dataset's own batches; the playground rows of
// the same sizes). nullopt when x is not a dataset.
std::optional<Dataset> FromTfData(RunContext& ctx, const Value& x,
                                  const Value& y, const Value& batch_size,
                                  bool with_targets) {
  std::optional<tf::DatasetElements> elements = tf::IterateDataset(ctx, x);
  if (!elements) return std::nullopt;
  if (!y.is_none() || !batch_size.is_none()) {
    RaiseNotModelled(
        "y= or batch_size= beside a tf.data dataset (its elements carry "
        "the targets, its batches the batch size)");
  }
  if (!elements->batched) {
    RaiseNotModelled(
        "fit/evaluate/predict on a tf.data dataset that is not batched: "
        "Keras takes each element as one batch; add .batch(n)");
  }
  if (elements->elements.empty()) {
    RaiseNotModelled("fit/evaluate/predict on an empty tf.data dataset");
  }
  if (elements->unknown_inner_dims) {
    RaiseNotModelled(
        "fit/evaluate/predict on a tf.data dataset whose element_spec has "
        "None past the batch dim (batch() twice?): the traced step sees "
        "those Nones");
  }
  std::vector<std::vector<Tensor>> xs;
  std::vector<Tensor> ys;
  bool x_is_tuple = false;
  std::vector<int64_t> sizes;
  for (const Value& element : elements->elements) {
    Value ex = element;
    std::optional<Value> ey;
    if (element.kind() == Value::Kind::kTuple) {
      const ValueList& parts = element.items();
      if (parts.size() == 3) {
        RaiseNotModelled("tf.data elements with sample weights");
      }
      if (parts.size() != 2) {
        RaiseNotModelled("tf.data elements that are not (x, y) pairs");
      }
      ex = parts[0];
      ey = parts[1];
    }
    if (with_targets && !ey) {
      RaiseNotModelled("fit/evaluate on a tf.data dataset without targets");
    }
    std::vector<Tensor> inputs;
    if (ex.kind() == Value::Kind::kTuple) {
      x_is_tuple = true;
      for (const Value& item : ex.items()) {
        if (!item.is_tensor()) RaiseNotModelled("nested tf.data inputs");
        inputs.push_back(item.as_tensor());
      }
    } else {
      inputs.push_back(ex.as_tensor());
    }
    if (with_targets && !ey->is_tensor()) {
      RaiseNotModelled("tf.data targets that are not one tensor");
    }
    if (xs.empty()) xs.resize(inputs.size());
    if (inputs.size() != xs.size()) {
      RaiseNotModelled("tf.data elements of different structures");
    }
    for (size_t i = 0; i < inputs.size(); ++i) xs[i].push_back(inputs[i]);
    if (ey && ey->is_tensor()) ys.push_back(ey->as_tensor());
    sizes.push_back(inputs[0].rank() ? inputs[0].dim(0) : 0);
  }
  // Batches cut from the concatenated rows are the dataset's when all but
  // the last are full.
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    if (sizes[i] != sizes[0]) {
      RaiseNotModelled(
          "a tf.data dataset whose batches differ in size before the last "
          "(batch() before repeat()?)");
    }
  }
  Dataset d;
  std::vector<Tensor> joined;
  for (const std::vector<Tensor>& parts : xs) {
    joined.push_back(parts.size() == 1 ? parts[0] : ops::Concat(parts, 0));
  }
  d.x = joined[0];
  d.more_x.assign(joined.begin() + 1, joined.end());
  d.x_is_tuple = x_is_tuple;
  if (!ys.empty() && with_targets) {
    d.y = ys.size() == 1 ? ys[0] : ops::Concat(ys, 0);
  }
  d.batch_size = std::max<int64_t>(1, sizes[0]);
  d.spec_batch = elements->static_batch ? Dim(*elements->static_batch) : Dim();
  return d;
}

Value Fit(RunContext& ctx, const CallArgs& args,
          const std::shared_ptr<Layer>& model,
          const std::shared_ptr<TrainingState>* slot,
          const ModelGraphViewFn& view) {
  const std::vector<Param> params = ParseParams(
      "x=None,y=None,batch_size=None,epochs=1,verbose='auto',callbacks=None,"
      "validation_split=0.0,validation_data=None,shuffle=True,"
      "class_weight=None,sample_weight=None,initial_epoch=0,"
      "steps_per_epoch=None,validation_steps=None,"
      "validation_batch_size=None,validation_freq=1");
  const BoundArgs bound = BindArguments("fit", params, args);
  for (size_t i : {9, 10, 12, 13, 14}) {
    if (!bound[i].is_none())
      RaiseNotModelled("fit(" + params[i].name + "=...)");
  }
  const bool with_callbacks = HasCallbacks(bound[5]);
  // ReduceLROnPlateau logs the learning rate at each epoch's end (never
  // reduced here): Keras 3 as "learning_rate" (a float), tf-keras as "lr"
  // (a numpy float32).
  bool logs_rate = false;
  if (with_callbacks) {
    for (const Value& c : bound[5].items()) {
      logs_rate = logs_rate || c.TypeName() == "ReduceLROnPlateau";
    }
  }
  if (!(bound[11].kind() == Value::Kind::kInt && bound[11].as_int() == 0) ||
      !(bound[15].kind() == Value::Kind::kInt && bound[15].as_int() == 1)) {
    RaiseNotModelled("fit(initial_epoch=/validation_freq=...)");
  }
  const TrainingState& state = Compiled(slot);
  if (logs_rate && !state.learning_rate) {
    RaiseNotModelled("ReduceLROnPlateau with a learning-rate schedule");
  }
  const int64_t batch_size = BatchSizeArg(bound[2]);
  if (bound[3].kind() != Value::Kind::kInt) {
    RaiseNotModelled("epochs that are not an int");
  }
  const int64_t epochs = bound[3].as_int();
  const int verbose = VerboseArg(bound[4]);
  std::optional<Dataset> from_tf_data =
      FromTfData(ctx, bound[0], bound[1], bound[2], true);
  Dataset train =
      from_tf_data ? std::move(*from_tf_data)
                   : MakeDataset(bound[0], bound[1], batch_size, NamesOf(view));
  std::optional<Dataset> val;
  const Value& validation_data = bound[7];
  if (!validation_data.is_none()) {
    if (std::optional<Dataset> v = FromTfData(
            ctx, validation_data, Value::None(), Value::None(), true)) {
      val = std::move(*v);
    } else if (validation_data.is_tensor()) {
      val = MakeDataset(validation_data, Value::None(), batch_size);
    } else if ((validation_data.kind() == Value::Kind::kTuple ||
                validation_data.kind() == Value::Kind::kList) &&
               validation_data.items().size() == 2) {
      val = MakeDataset(validation_data.items()[0], validation_data.items()[1],
                        batch_size, NamesOf(view));
    } else {
      RaiseNotModelled("this validation_data value");
    }
  } else if (bound[6].is_number() && bound[6].as_number() != 0) {
    if (from_tf_data) {
      RaiseNotModelled("validation_split beside a tf.data dataset");
    }
    // train_validation_split: the last fraction of the samples.
    const double split = bound[6].as_number();
    if (!(split > 0 && split < 1)) {
      RaiseNotModelled("a validation_split outside (0, 1)");
    }
    const int64_t at = static_cast<int64_t>(
        std::floor(static_cast<double>(train.size()) * (1 - split)));
    if (at <= 0 || at >= train.size()) {
      RaiseNotModelled("a validation_split that leaves a side empty");
    }
    val = SampleRange(train, at, train.size());
    train = SampleRange(train, 0, at);
  }
  Emit(ctx, "Model.fit", model->name(), true, with_callbacks);

  Trainer trainer{ctx, model, view, &state};
  Trainer tester{ctx, model, view, &state};
  std::vector<std::pair<std::string, ValueList>> history;
  const bool tf_keras = ctx.profile == Profile::kTfKeras;
  auto record = [&history, tf_keras](const std::string& key, double v) {
    const Value value =
        tf_keras && key == "lr"
            ? np::MakeNumpyScalar(Tensor::ScalarF32(static_cast<float>(v)))
            : Value::Float(v);
    for (auto& [k, values] : history) {
      if (k == key) {
        values.push_back(value);
        return;
      }
    }
    history.push_back({key, {value}});
  };
  ValueList epoch_list;
  for (int64_t epoch = 0; epoch < epochs; ++epoch) {
    if (ctx.runtime) ctx.runtime->Step();
    Progbar bar(ctx, train.steps(), verbose);
    if (verbose && epochs > 1 && ctx.runtime) {
      ctx.runtime->Write("Epoch " + std::to_string(epoch + 1) + "/" +
                         std::to_string(epochs) + "\n");
    }
    Logs logs = trainer.RunEpoch(train, true, &bar);
    (*slot)->output_loss_names.clear();
    for (const OutputTraining& o : trainer.outputs) {
      (*slot)->output_loss_names.push_back(o.name + "_loss");
    }
    (*slot)->logged_names.clear();
    for (const auto& [name, v] : logs) (*slot)->logged_names.push_back(name);
    if (val) {
      Logs val_logs = tester.RunEpoch(*val, false, nullptr);
      for (auto& [name, v] : val_logs) logs.emplace_back("val_" + name, v);
    }
    if (logs_rate) {
      logs.emplace_back(tf_keras ? "lr" : "learning_rate",
                        static_cast<float>(*state.learning_rate));
    }
    bar.Update(train.steps(), logs, true);
    for (const auto& [name, v] : logs) record(name, v);
    epoch_list.push_back(Value::Int(epoch));
  }
  DictItems items;
  for (auto& [k, values] : history) {
    items.emplace_back(Value::Str(k), Value::List(std::move(values)));
  }
  DictItems param_items;
  param_items.emplace_back(Value::Str("verbose"), Value::Int(verbose));
  param_items.emplace_back(Value::Str("epochs"), Value::Int(epochs));
  param_items.emplace_back(Value::Str("steps"), Value::Int(train.steps()));
  return Value::FromObject(std::make_shared<History>(
      NewObjectAddress(ctx), Value::Dict(std::move(items)),
      Value::List(std::move(epoch_list)), Value::Dict(std::move(param_items))));
}

// What evaluate() returns without return_dict: the loss alone, or the
// loss, each output's loss and the metrics in compile() order.
Value EvaluateResult(const Logs& logs, const Trainer& tester) {
  auto value_of = [&logs](const std::string& name) {
    for (const auto& [k, v] : logs) {
      if (k == name) return Value::Float(v);
    }
    return Value::None();
  };
  ValueList out;
  if (!tester.outputs.empty()) {
    for (const std::string& name : tester.output_log_names) {
      out.push_back(value_of(name));
    }
    return Value::List(std::move(out));
  }
  if (tester.metrics.empty()) return value_of("loss");
  out.push_back(value_of("loss"));
  for (const MetricSpec& m : tester.metrics) out.push_back(value_of(m.name));
  return Value::List(std::move(out));
}

Value Evaluate(RunContext& ctx, const CallArgs& args,
               const std::shared_ptr<Layer>& model,
               const std::shared_ptr<TrainingState>* slot,
               const ModelGraphViewFn& view) {
  const std::vector<Param> params = ParseParams(
      "x=None,y=None,batch_size=None,verbose='auto',sample_weight=None,"
      "steps=None,callbacks=None,return_dict=False");
  const BoundArgs bound = BindArguments("evaluate", params, args);
  for (size_t i : {4, 5, 6}) {
    if (!bound[i].is_none()) {
      RaiseNotModelled("evaluate(" + params[i].name + "=...)");
    }
  }
  const TrainingState& state = Compiled(slot);
  const int verbose = VerboseArg(bound[3]);
  std::optional<Dataset> from_tf_data =
      FromTfData(ctx, bound[0], bound[1], bound[2], true);
  const Dataset data = from_tf_data
                           ? std::move(*from_tf_data)
                           : MakeDataset(bound[0], bound[1],
                                         BatchSizeArg(bound[2]), NamesOf(view));
  Emit(ctx, "Model.evaluate", model->name(), false);
  Trainer tester{ctx, model, view, &state};
  Progbar bar(ctx, data.steps(), verbose);
  const Logs logs = tester.RunEpoch(data, false, &bar);
  (*slot)->logged_names.clear();
  for (const auto& [name, v] : logs) (*slot)->logged_names.push_back(name);
  bar.Update(data.steps(), logs, true);
  (*slot)->output_loss_names.clear();
  for (const OutputTraining& o : tester.outputs) {
    (*slot)->output_loss_names.push_back(o.name + "_loss");
  }
  if (Truthy(bound[7])) return HistoryDict(logs);
  return EvaluateResult(logs, tester);
}

Value Predict(RunContext& ctx, const CallArgs& args,
              const std::shared_ptr<Layer>& model, const TrainingState* state,
              const ModelGraphViewFn& view) {
  const std::vector<Param> params =
      ParseParams("x,batch_size=None,verbose='auto',steps=None,callbacks=None");
  const BoundArgs bound = BindArguments("predict", params, args);
  for (size_t i : {3, 4}) {
    if (!bound[i].is_none()) {
      RaiseNotModelled("predict(" + params[i].name + "=...)");
    }
  }
  const int verbose = VerboseArg(bound[2]);
  std::optional<Dataset> from_tf_data =
      FromTfData(ctx, bound[0], Value::None(), bound[1], false);
  const Dataset data = from_tf_data
                           ? std::move(*from_tf_data)
                           : MakeDataset(bound[0], Value::None(),
                                         BatchSizeArg(bound[1]), NamesOf(view));
  Trainer predictor{ctx, model, view, nullptr};
  // predict's step is traced too, unless compile(run_eagerly=True).
  const bool eager = state && state->run_eagerly;
  Progbar bar(ctx, data.steps(), verbose);
  // Each output's batches (a model of several outputs gives a list).
  std::vector<std::vector<Tensor>> outputs;
  bool several = false, as_tuple = false;
  for (int64_t step = 0; step < data.steps(); ++step) {
    if (ctx.runtime) ctx.runtime->Step();
    const TraceOnlyFirstBatch trace_guard(ctx, step);
    const int64_t begin = step * data.batch_size;
    const int64_t end = std::min(data.size(), begin + data.batch_size);
    const Value x = InputRows(data, begin, end);
    Value out;
    try {
      // Keras 3's traced predict step sees the batch's own shape.
      if (step == 0 && !eager) predictor.RefuseMissingBatchAxis(data);
      out = predictor.ForwardOutputs(x, false);
    } catch (const ErrorException& e) {
      if (!eager && ctx.profile == Profile::kTfKeras && !IsPlaygroundError(e)) {
        if (step == 0) {
          predictor.RaiseTfKerasTraced(e, data, false, TracedStep::kPredict);
        }
        Trainer::RefuseTfKerasTracedError(&e);
      }
      throw;
    }
    ValueList leaves;
    several =
        out.kind() == Value::Kind::kList || out.kind() == Value::Kind::kTuple;
    as_tuple = out.kind() == Value::Kind::kTuple;
    if (several) {
      leaves = out.items();
    } else {
      leaves = {out};
    }
    outputs.resize(leaves.size());
    for (size_t i = 0; i < leaves.size(); ++i) {
      if (!leaves[i].is_tensor()) {
        RaiseNotModelled("predict of a model whose outputs are nested");
      }
      outputs[i].push_back(leaves[i].as_tensor());
    }
    bar.Update(step + 1, {}, false);
  }
  bar.Update(data.steps(), {}, true);
  // predict returns NumPy arrays, in the structure of the model's outputs.
  if (outputs.empty()) RaiseNotModelled("predict on an array of no samples");
  ValueList arrays;
  for (const std::vector<Tensor>& batches : outputs) {
    arrays.push_back(np::MakeNdarray(
        batches.size() == 1 ? batches[0] : ops::Concat(batches, 0)));
  }
  if (!several) return arrays.at(0);
  return as_tuple ? Value::Tuple(std::move(arrays))
                  : Value::List(std::move(arrays));
}

}  // namespace

// train_on_batch / test_on_batch: one step on the whole of x, logs as
// evaluate returns them (train_on_batch's step runs with training=True and,
// as fit, changes no weight); predict_on_batch: predict in one batch.
Value OnBatch(RunContext& ctx, const CallArgs& args,
              const std::shared_ptr<Layer>& model,
              const std::shared_ptr<TrainingState>* slot,
              const ModelGraphViewFn& view, bool training) {
  const std::vector<Param> params =
      ParseParams(training ? "x,y=None,sample_weight=None,class_weight=None,"
                             "return_dict=False"
                           : "x,y=None,sample_weight=None,return_dict=False");
  const BoundArgs bound = BindArguments(
      training ? "train_on_batch" : "test_on_batch", params, args);
  for (size_t i = 2; i + 1 < params.size(); ++i) {
    if (!bound[i].is_none()) {
      RaiseNotModelled(std::string(training ? "train" : "test") + "_on_batch(" +
                       params[i].name + "=...)");
    }
  }
  const TrainingState& state = Compiled(slot);
  Dataset data = MakeDataset(bound[0], bound[1], 1, NamesOf(view));
  data.batch_size = data.size();
  Emit(ctx, training ? "Model.train_on_batch" : "Model.test_on_batch",
       model->name(), training);
  Trainer trainer{ctx, model, view, &state};
  const Logs logs = trainer.RunEpoch(data, training, nullptr);
  (*slot)->logged_names.clear();
  for (const auto& [name, v] : logs) (*slot)->logged_names.push_back(name);
  if (Truthy(bound[params.size() - 1])) return HistoryDict(logs);
  return EvaluateResult(logs, trainer);
}

std::optional<Value> TrainingAttr(std::string_view attr,
                                  const std::shared_ptr<Layer>& model,
                                  std::shared_ptr<TrainingState>* state,
                                  ModelGraphViewFn view) {
  const std::string qualname = model->class_name() + "." + std::string(attr);
  if (attr == "compile") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        model, qualname, [state](RunContext& ctx, const CallArgs& args) {
          return Compile(ctx, args, state);
        }));
  }
  if (attr == "fit") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        model, qualname,
        [model, state, view](RunContext& ctx, const CallArgs& args) {
          return Fit(ctx, args, model, state, view);
        }));
  }
  if (attr == "evaluate") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        model, qualname,
        [model, state, view](RunContext& ctx, const CallArgs& args) {
          return Evaluate(ctx, args, model, state, view);
        }));
  }
  if (attr == "metrics_names") return MetricsNames(state->get());
  if (attr == "train_on_batch" || attr == "test_on_batch") {
    const bool training = attr == "train_on_batch";
    return Value::FromObject(std::make_shared<NativeMethod>(
        model, qualname,
        [model, state, view, training](RunContext& ctx, const CallArgs& args) {
          return OnBatch(ctx, args, model, state, view, training);
        }));
  }
  if (attr == "predict_on_batch") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        model, qualname,
        [model, state, view](RunContext& ctx, const CallArgs& args) {
          const BoundArgs bound =
              BindArguments("predict_on_batch", ParseParams("x"), args);
          CallArgs predict_args;
          predict_args.positional = {bound[0]};
          // One batch of every sample, silently.
          predict_args.keywords = {{"batch_size", Value::Int(int64_t{1} << 40)},
                                   {"verbose", Value::Int(0)}};
          return Predict(ctx, predict_args, model, state->get(), view);
        }));
  }
  if (attr == "predict") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        model, qualname,
        [model, state, view](RunContext& ctx, const CallArgs& args) {
          return Predict(ctx, args, model, state->get(), view);
        }));
  }
  return std::nullopt;
}

}  // namespace ap::keras
