#include "loss_functions.h"

#include <cmath>

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"

namespace ap::keras {

namespace {

constexpr float kEpsilon = 1e-7f;  // keras.config.epsilon()

Tensor AsFloat(const Tensor& t) {
  return t.dtype() == DType::kFloat32 ? t : ops::Cast(t, DType::kFloat32);
}

// TensorShape's str(): (None, 5), (3,).
std::string ShapeText(const PartialShape& s) {
  return PartialShapeToPyString(s);
}

std::string GraphShapeText(const PartialShape& s) {
  return PartialShapeToGraphString(s);
}

// squeeze_or_expand_to_same_rank (keras/src/losses/loss.py, Keras 3.15) on
// shapes; `changed` tells whether it squeezed or expanded anything.
void SameRank(PartialShape* a, PartialShape* b, bool* changed) {
  const size_t ra = a->size(), rb = b->size();
  *changed = false;
  if (ra == rb + 1 && a->back().Is(1)) {
    *changed = true;
    if (rb == 1) {
      b->push_back(Dim(1));
    } else {
      a->pop_back();
    }
  } else if (rb == ra + 1 && b->back().Is(1)) {
    *changed = true;
    if (ra == 1) {
      a->push_back(Dim(1));
    } else {
      b->pop_back();
    }
  }
}

void SameRank(Tensor* a, Tensor* b) {
  const int ra = a->rank(), rb = b->rank();
  if (ra == rb + 1 && a->shape().back() == 1) {
    if (rb == 1) {
      *b = ops::ExpandDims(*b, -1);
    } else {
      *a = ops::Squeeze(*a, {-1});
    }
  } else if (rb == ra + 1 && b->shape().back() == 1) {
    if (ra == 1) {
      *a = ops::ExpandDims(*a, -1);
    } else {
      *b = ops::Squeeze(*b, {-1});
    }
  }
}

[[noreturn]] void RaiseSameShape(const char* what, const PartialShape& y,
                                 const PartialShape& out) {
  RaiseValueError(std::string(what) + "target.shape=" + ShapeText(y) +
                  ", output.shape=" + ShapeText(out));
}

// categorical_crossentropy / binary_crossentropy's checks
// (keras/src/backend/tensorflow/nn.py, Keras 3.15).
void CheckSameShape(const PartialShape& y, const PartialShape& out,
                    bool rank_1_check) {
  if (rank_1_check && y.empty()) {
    RaiseSameShape(
        "Arguments `target` and `output` must be at least rank 1. Received: ",
        y, out);
  }
  if (y.size() != out.size()) {
    RaiseSameShape(
        "Arguments `target` and `output` must have the same rank (ndim). "
        "Received: ",
        y, out);
  }
  for (size_t i = 0; i < y.size(); ++i) {
    if (!y[i].IsCompatibleWith(out[i])) {
      RaiseSameShape(
          "Arguments `target` and `output` must have the same shape. "
          "Received: ",
          y, out);
    }
  }
}

// sparse_categorical_crossentropy's checks, after squeezing a trailing 1.
void CheckSparseShapes(PartialShape y, const PartialShape& out) {
  if (y.size() == out.size() && !y.empty() && y.back().Is(1)) y.pop_back();
  if (out.empty()) {
    RaiseValueError(
        "Argument `output` must be at least rank 1. Received: output.shape=" +
        ShapeText(out));
  }
  if (y.size() != out.size() - 1) {
    RaiseValueError(
        "Argument `output` must have rank (ndim) `target.ndim - 1`. "
        "Received: target.shape=" +
        ShapeText(y) + ", output.shape=" + ShapeText(out));
  }
  for (size_t i = 0; i < y.size(); ++i) {
    if (!y[i].IsCompatibleWith(out[i])) {
      RaiseValueError(
          "Arguments `target` and `output` must have the same shape up until "
          "the last dimension: target.shape=" +
          ShapeText(y) + ", output.shape=" + ShapeText(out));
    }
  }
}

// The traced `y_true - y_pred` (Sub) of the mean errors: TF's broadcast
// shape function, left to right, as a graph ValueError.
void CheckTracedSub(const LossSpec& loss, const PartialShape& y,
                    const PartialShape& out,
                    const std::optional<std::string>& output_op,
                    size_t num_inputs) {
  PartialShape a = y, b = out;
  bool changed = false;
  SameRank(&a, &b, &changed);
  const size_t rank = std::max(a.size(), b.size());
  for (size_t i = 0; i < rank; ++i) {
    const Dim da = i < rank - a.size() ? Dim(1) : a[i - (rank - a.size())];
    const Dim db = i < rank - b.size() ? Dim(1) : b[i - (rank - b.size())];
    if (!da.known() || !db.known() || da == db || da.Is(1) || db.Is(1)) {
      continue;
    }
    // A side squeezed or expanded to the other's rank is that op's output.
    const std::string scope = "compile_loss/" + loss.name + "/";
    auto reshaped = [&scope](size_t before, size_t after) {
      return before > after   ? std::optional(scope + "Squeeze")
             : before < after ? std::optional(scope + "ExpandDims")
                              : std::nullopt;
    };
    const std::optional<std::string> y_node =
        changed ? reshaped(y.size(), a.size()) : std::nullopt;
    std::optional<std::string> out_node =
        changed ? reshaped(out.size(), b.size()) : std::nullopt;
    if (!out_node) out_node = output_op;
    if (!out_node) {
      RaiseNotModelled(
          "the graph error text of this loss mismatch inside model.fit");
    }
    RaiseValueError(
        "Dimensions must be equal, but are " + std::to_string(da.size()) +
        " and " + std::to_string(db.size()) + " for '{{node " + scope +
        "sub}} = Sub[T=DT_FLOAT](" +
        y_node.value_or("data_" + std::to_string(num_inputs)) + ", " +
        *out_node + ")' with input shapes: " + GraphShapeText(a) + ", " +
        GraphShapeText(b) + ".");
  }
  // Ranks that differ broadcast in the graph: whether that fails depends
  // on the batches' sizes (the eager loss of each batch tells; its failure
  // is refused as the graph's runtime error).
}

Tensor Clip(const Tensor& x, float lo, float hi) {
  return ops::Binary(
      ops::BinaryOp::kMinimum,
      ops::Binary(ops::BinaryOp::kMaximum, x, Tensor::ScalarF32(lo)),
      Tensor::ScalarF32(hi));
}

Tensor Neg(const Tensor& x) { return ops::Unary(ops::UnaryOp::kNeg, x); }

Tensor SumLast(const Tensor& x) {
  return ops::Reduce(ops::ReduceOp::kSum, x, std::vector<int>{-1}, false);
}

// log(softmax(logits)) or log(clipped, renormalised probabilities).
Tensor LogProbabilities(const Tensor& out, bool from_logits) {
  if (from_logits) {
    return ops::Unary(ops::UnaryOp::kLog,
                      Clip(ops::Softmax(out, -1), 1e-38f, 1.0f));
  }
  const Tensor sum =
      ops::Reduce(ops::ReduceOp::kSum, out, std::vector<int>{-1}, true);
  return ops::Unary(ops::UnaryOp::kLog,
                    Clip(ops::Binary(ops::BinaryOp::kDiv, out, sum), kEpsilon,
                         1.0f - kEpsilon));
}

}  // namespace

std::optional<LossSpec> LossFromString(const std::string& id) {
  LossSpec spec;
  spec.name = id;
  if (id == "mse" || id == "MSE" || id == "mean_squared_error") {
    spec.kind = LossKind::kMse;
  } else if (id == "mae" || id == "MAE" || id == "mean_absolute_error") {
    spec.kind = LossKind::kMae;
  } else if (id == "categorical_crossentropy") {
    spec.kind = LossKind::kCategorical;
  } else if (id == "sparse_categorical_crossentropy") {
    spec.kind = LossKind::kSparseCategorical;
  } else if (id == "binary_crossentropy") {
    spec.kind = LossKind::kBinary;
  } else {
    return std::nullopt;
  }
  return spec;
}

void CheckLossShapes(const LossSpec& loss, const PartialShape& y,
                     const PartialShape& out,
                     const std::optional<std::string>& output_op,
                     size_t num_inputs) {
  switch (loss.kind) {
    case LossKind::kMse:
    case LossKind::kMae:
      CheckTracedSub(loss, y, out, output_op, num_inputs);
      return;
    case LossKind::kCategorical: {
      PartialShape a = y, b = out;
      bool changed = false;
      SameRank(&a, &b, &changed);
      CheckSameShape(a, b, true);
      return;
    }
    case LossKind::kBinary: {
      PartialShape a = y, b = out;
      bool changed = false;
      SameRank(&a, &b, &changed);
      CheckSameShape(a, b, false);
      return;
    }
    case LossKind::kSparseCategorical: {
      PartialShape a = y, b = out;
      bool changed = false;
      SameRank(&a, &b, &changed);
      CheckSparseShapes(a, b);
      return;
    }
    case LossKind::kFunction:
      return;  // the function runs on each batch
  }
}

std::pair<Tensor, Tensor> LossFunctionArguments(const Tensor& y_in,
                                                const Tensor& out_in,
                                                bool tf_keras) {
  if (!tf_keras) {
    Tensor y = AsFloat(y_in), out = AsFloat(out_in);
    SameRank(&y, &out);
    return {y, out};
  }
  Tensor y = y_in, out = out_in;
  if (y.rank() == 1 && out.rank() == 2) y = ops::ExpandDims(y, -1);
  const bool both_float = IsFloatDType(y.dtype()) && IsFloatDType(out.dtype());
  const bool both_int = !IsFloatDType(y.dtype()) && y.dtype() != DType::kBool &&
                        !IsFloatDType(out.dtype()) &&
                        out.dtype() != DType::kBool;
  if ((both_float || both_int) && y.dtype() != out.dtype()) {
    y = ops::Cast(y, out.dtype());
  }
  // remove_squeezable_dimensions unless y_pred has exactly one axis more
  // and a last dim other than 1.
  const int diff = out.rank() - y.rank();
  if (diff != 1 || out.shape().back() == 1) {
    if (diff == 1 && out.shape().back() == 1) {
      out = ops::Squeeze(out, {-1});
    } else if (diff == -1 && y.shape().back() == 1) {
      y = ops::Squeeze(y, {-1});
    }
  }
  return {y, out};
}

Tensor PerSampleLoss(const LossSpec& loss, const Tensor& y_in,
                     const Tensor& out_in) {
  Tensor out = AsFloat(out_in);
  if (loss.kind == LossKind::kSparseCategorical) {
    // Labels index the classes of the last axis; one out of range is TF's
    // runtime error (InvalidArgumentError inside the graph).
    Tensor labels = y_in;
    SameRank(&labels, &out);
    if (labels.rank() == out.rank() && labels.rank() > 0 &&
        labels.shape().back() == 1) {
      labels = ops::Squeeze(labels, {-1});
    }
    const Tensor log_p = LogProbabilities(out, loss.from_logits);
    const int64_t classes = out.shape().back();
    const int64_t rows = labels.num_elements();
    Tensor result = Tensor::Zeros(DType::kFloat32, labels.shape(), "loss");
    CurrentBudget()->ChargeElements(rows, 1, "sparse_categorical_crossentropy");
    for (int64_t r = 0; r < rows; ++r) {
      const double label = labels.GetAsDouble(r);
      if (!(label >= 0 && label < static_cast<double>(classes))) {
        RaiseNotModelled(
            "a sparse label outside the classes (TF's error in the traced "
            "train step)");
      }
      result.f32()[r] = -static_cast<float>(
          log_p.GetAsDouble(r * classes + static_cast<int64_t>(label)));
    }
    return result;
  }
  Tensor y = AsFloat(y_in);
  SameRank(&y, &out);
  switch (loss.kind) {
    case LossKind::kMse:
      return ops::Reduce(ops::ReduceOp::kMean,
                         ops::Unary(ops::UnaryOp::kSquare,
                                    ops::Binary(ops::BinaryOp::kSub, y, out)),
                         std::vector<int>{-1}, false);
    case LossKind::kMae:
      return ops::Reduce(ops::ReduceOp::kMean,
                         ops::Unary(ops::UnaryOp::kAbs,
                                    ops::Binary(ops::BinaryOp::kSub, y, out)),
                         std::vector<int>{-1}, false);
    case LossKind::kCategorical:
      return Neg(SumLast(ops::Binary(ops::BinaryOp::kMul, y,
                                     LogProbabilities(out, loss.from_logits))));
    case LossKind::kBinary: {
      const Tensor p =
          loss.from_logits ? ops::Unary(ops::UnaryOp::kSigmoid, out) : out;
      const Tensor clipped = Clip(p, kEpsilon, 1.0f - kEpsilon);
      const Tensor one = Tensor::ScalarF32(1.0f);
      const Tensor bce = ops::Binary(
          ops::BinaryOp::kAdd,
          ops::Binary(ops::BinaryOp::kMul, y,
                      ops::Unary(ops::UnaryOp::kLog, clipped)),
          ops::Binary(
              ops::BinaryOp::kMul, ops::Binary(ops::BinaryOp::kSub, one, y),
              ops::Unary(ops::UnaryOp::kLog,
                         ops::Binary(ops::BinaryOp::kSub, one, clipped))));
      return ops::Reduce(ops::ReduceOp::kMean, Neg(bce), std::vector<int>{-1},
                         false);
    }
    case LossKind::kSparseCategorical:
    case LossKind::kFunction:
      break;
  }
  RaiseNotModelled("this loss");
}

std::optional<MetricSpec> MetricFromString(const std::string& id) {
  MetricSpec spec;
  spec.name = id;
  if (id == "mse" || id == "mean_squared_error") {
    spec.kind = MetricKind::kMse;
  } else if (id == "mae" || id == "mean_absolute_error") {
    spec.kind = MetricKind::kMae;
  } else if (id == "accuracy" || id == "acc") {
    spec.kind = MetricKind::kAccuracy;
  } else if (id == "binary_accuracy") {
    spec.kind = MetricKind::kBinaryAccuracy;
  } else if (id == "categorical_accuracy") {
    spec.kind = MetricKind::kCategoricalAccuracy;
  } else if (id == "sparse_categorical_accuracy") {
    spec.kind = MetricKind::kSparseCategoricalAccuracy;
  } else {
    return std::nullopt;
  }
  return spec;
}

MetricSpec ResolveMetric(const MetricSpec& metric, const PartialShape& y,
                         const PartialShape& out) {
  if (metric.kind != MetricKind::kAccuracy) return metric;
  // is_binary_or_sparse_categorical (keras/src/trainers/compile_utils.py).
  MetricSpec resolved = metric;
  const Dim y_last = y.empty() ? Dim() : y.back();
  const Dim out_last = out.empty() ? Dim() : out.back();
  const bool binary = out_last.Is(1);
  const bool sparse = y.size() < out.size() ||
                      (y_last.Is(1) && out_last.known() && out_last.size() > 1);
  resolved.kind = binary   ? MetricKind::kBinaryAccuracy
                  : sparse ? MetricKind::kSparseCategoricalAccuracy
                           : MetricKind::kCategoricalAccuracy;
  return resolved;
}

Tensor MetricValues(const MetricSpec& metric, const Tensor& y_in,
                    const Tensor& out_in) {
  Tensor y = AsFloat(y_in), out = AsFloat(out_in);
  switch (metric.kind) {
    case MetricKind::kMse:
      return PerSampleLoss({LossKind::kMse, "mse", false}, y, out);
    case MetricKind::kMae:
      return PerSampleLoss({LossKind::kMae, "mae", false}, y, out);
    case MetricKind::kBinaryAccuracy: {
      SameRank(&y, &out);
      const Tensor predicted = ops::Cast(
          ops::Binary(ops::BinaryOp::kGreater, out, Tensor::ScalarF32(0.5f)),
          DType::kFloat32);
      return ops::Reduce(
          ops::ReduceOp::kMean,
          ops::Cast(ops::Binary(ops::BinaryOp::kEqual, y, predicted),
                    DType::kFloat32),
          std::vector<int>{-1}, false);
    }
    case MetricKind::kCategoricalAccuracy:
      return ops::Cast(ops::Binary(ops::BinaryOp::kEqual, ops::ArgMax(y, -1),
                                   ops::ArgMax(out, -1)),
                       DType::kFloat32);
    case MetricKind::kSparseCategoricalAccuracy: {
      if (y.rank() == out.rank() && y.rank() > 0 && y.shape().back() == 1) {
        y = ops::Squeeze(y, {-1});
      }
      return ops::Cast(
          ops::Binary(ops::BinaryOp::kEqual, y,
                      ops::Cast(ops::ArgMax(out, -1), DType::kFloat32)),
          DType::kFloat32);
    }
    case MetricKind::kAccuracy:
      break;
  }
  RaiseNotModelled("this metric");
}

// ---- keras.losses classes ----------------------------------------------

namespace {

struct LossClassInfo {
  const char* class_name;
  const char* default_name;
  const char* params;  // __init__'s signature
};

LossClassInfo InfoOf(LossKind kind) {
  switch (kind) {
    case LossKind::kMae:
      return {"MeanAbsoluteError", "mean_absolute_error",
              "reduction='sum_over_batch_size',name='mean_absolute_error',"
              "dtype=None"};
    case LossKind::kCategorical:
      return {"CategoricalCrossentropy", "categorical_crossentropy",
              "from_logits=False,label_smoothing=0.0,axis=-1,"
              "reduction='sum_over_batch_size',"
              "name='categorical_crossentropy',dtype=None"};
    case LossKind::kSparseCategorical:
      return {"SparseCategoricalCrossentropy",
              "sparse_categorical_crossentropy",
              "from_logits=False,ignore_class=None,"
              "reduction='sum_over_batch_size',"
              "name='sparse_categorical_crossentropy',dtype=None"};
    case LossKind::kBinary:
      return {"BinaryCrossentropy", "binary_crossentropy",
              "from_logits=False,label_smoothing=0.0,axis=-1,"
              "reduction='sum_over_batch_size',name='binary_crossentropy',"
              "dtype=None"};
    case LossKind::kMse:
    case LossKind::kFunction:  // (no class: compile() wraps the function)
      break;
  }
  return {"MeanSquaredError", "mean_squared_error",
          "reduction='sum_over_batch_size',name='mean_squared_error',"
          "dtype=None"};
}

bool IsDefault(const Value& v, double number) {
  return v.is_number() && v.as_number() == number;
}

}  // namespace

LossObject::LossObject(RunContext&, const CallArgs& args, LossKind kind) {
  const LossClassInfo info = InfoOf(kind);
  class_name_ = info.class_name;
  const std::vector<Param> params = ParseParams(info.params);
  const BoundArgs bound =
      BindArguments(class_name_ + ".__init__", params, args);
  spec_.kind = kind;
  spec_.name = info.default_name;
  for (size_t i = 0; i < params.size(); ++i) {
    const std::string& p = params[i].name;
    const Value& v = bound[i];
    if (p == "from_logits") {
      spec_.from_logits = Truthy(v);
    } else if (p == "name") {
      if (v.kind() != Value::Kind::kStr) {
        RaiseNotModelled("a loss name that is not a string");
      }
      spec_.name = v.as_str();
    } else if (p == "reduction") {
      if (!(v.kind() == Value::Kind::kStr &&
            v.as_str() == "sum_over_batch_size")) {
        RaiseNotModelled("loss reductions other than sum_over_batch_size");
      }
    } else if ((p == "label_smoothing" && !IsDefault(v, 0)) ||
               (p == "axis" && !IsDefault(v, -1)) ||
               ((p == "ignore_class" || p == "dtype") && !v.is_none())) {
      RaiseNotModelled(class_name_ + "(" + p + "=...)");
    }
  }
}

std::string LossObject::Repr() const {
  return "<keras.src.losses.losses." + class_name_ + " object>";
}

std::optional<Value> LossObject::GetAttr(std::string_view name) const {
  if (name == "name") return Value::Str(spec_.name);
  if (name == "reduction") return Value::Str("sum_over_batch_size");
  if (name == "from_logits" && spec_.kind != LossKind::kMae) {
    return Value::Bool(spec_.from_logits);
  }
  return std::nullopt;
}

Value LossObject::Call(RunContext& ctx, const CallArgs& args) {
  if (ctx.profile != Profile::kKeras3) {
    RaiseNotModelled("calling this tf-keras loss");
  }
  const std::vector<Param> params =
      ParseParams("y_true,y_pred,sample_weight=None");
  const BoundArgs bound = BindArguments("Loss.__call__", params, args);
  if (!bound[2].is_none()) RaiseNotModelled("sample_weight in losses");
  if (!bound[0].is_tensor() || !bound[1].is_tensor()) {
    RaiseNotModelled("loss arguments that are not tensors");
  }
  const Tensor& y = bound[0].as_tensor();
  const Tensor& out = bound[1].as_tensor();
  if (spec_.kind != LossKind::kMse && spec_.kind != LossKind::kMae) {
    CheckLossShapes(spec_, ToPartialShape(y.shape()),
                    ToPartialShape(out.shape()), std::nullopt);
  }
  const Tensor values = PerSampleLoss(spec_, y, out);
  Tensor loss = ops::Reduce(ops::ReduceOp::kMean, values, std::nullopt, false);
  return Value::FromTensor(loss);
}

}  // namespace ap::keras
