#include "legacy_backend.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "../keras/keras_tensor.h"
#include "../keras/stand_ins.h"
#include "../numpy/ndarray.h"
#include "../ops/ops.h"
#include "../repr.h"
#include "convert.h"
#include "keras_utils.h"

namespace ap::tf {

namespace {

using Args = const BoundArgs&;
using Fn = NativeFunction::DataBody;

Value T(Tensor t) { return Value::FromTensor(std::move(t)); }

[[noreturn]] void RaiseAttributeError(std::string text) {
  RaiseText(ErrorClass::kAttributeError, std::move(text));
}

// What the Python body reads first from `x` before any TensorFlow op,
// which decides what a KerasTensor (or a numpy array, whose shape is a
// tuple too) meets there (keras/src/legacy/backend.py, Keras 3.15).
enum class Reads : uint8_t {
  kNothing,    // straight to a TensorFlow op: Keras' KerasTensor ValueError
  kRank,       // x.shape.rank: a tuple has no `rank`
  kBaseDType,  // x.dtype.base_dtype: a str has no `base_dtype`
  kAsList,     // x.shape.as_list(): a tuple has no `as_list`
  kShape,      // x.shape at most (int_shape, is_keras_tensor): no TF op
  kBatchDot,   // len(x.shape), x.shape[i]: its own checks, then TF ops
  kDot,        // x.shape.rank, then y.shape.rank when x's rank is <= 2
};

struct Entry {
  const char* name;
  const char* params;
  Fn body;
  int64_t data;
  Reads reads;
};

// The shape `x.shape` gives for a tensor, KerasTensor or ndarray.
std::optional<PartialShape> ShapeAttr(const Value& v) {
  if (np::IsNdarray(v)) return ToPartialShape(np::NdarrayTensor(v).shape());
  return keras::ShapeOfTensorLike(v);
}

std::string PythonTypeName(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNone:
      return "NoneType";
    case Value::Kind::kBool:
      return "bool";
    case Value::Kind::kInt:
      return "int";
    case Value::Kind::kFloat:
      return "float";
    case Value::Kind::kStr:
      return "str";
    case Value::Kind::kList:
      return "list";
    case Value::Kind::kTuple:
      return "tuple";
    default:
      return v.kind() == Value::Kind::kObject ? v.as_object()->TypeName()
                                              : "object";
  }
}

// The AttributeError a Python body raises on `x.shape...` for a value
// that is not a TensorFlow tensor; nothing for a tensor.
void CheckShapeRead(const Value& x, Reads reads) {
  if (x.is_tensor()) {
    // A Keras 3 Variable's dtype is a str (its shape a TensorShape).
    if (reads == Reads::kBaseDType && x.variable() && x.variable()->keras3) {
      RaiseAttributeError("'str' object has no attribute 'base_dtype'");
    }
    return;
  }
  if (reads == Reads::kNothing || reads == Reads::kShape ||
      reads == Reads::kBatchDot) {
    return;
  }
  const bool tuple_shape = np::IsNdarray(x) || keras::AsKerasTensor(x);
  if (!tuple_shape) {
    RaiseAttributeError("'" + PythonTypeName(x) +
                        "' object has no attribute '" +
                        (reads == Reads::kBaseDType ? "dtype" : "shape") + "'");
  }
  switch (reads) {
    case Reads::kDot:
    case Reads::kRank:
      RaiseAttributeError("'tuple' object has no attribute 'rank'");
    case Reads::kAsList:
      RaiseAttributeError("'tuple' object has no attribute 'as_list'");
    case Reads::kBaseDType:
      if (keras::AsKerasTensor(x)) {
        RaiseAttributeError("'str' object has no attribute 'base_dtype'");
      }
      RaiseNotModelled("this legacy backend function on a numpy array");
    default:
      return;
  }
}

// batch_dot's checks on the static shapes, before any op.
void CheckBatchDot(const Value& xv, const Value& yv, const Value& axes_value,
                   Profile profile, std::vector<int64_t>* axes_out);

// A function of the legacy backend: a Python function of Keras whose body
// calls TensorFlow ops, so a TensorFlow op error keeps the envelope of the
// op's usual call (MakeOpError's defaults), not of a tf.* wrapper.
class LegacyFunction : public Callable {
 public:
  LegacyFunction(std::string qualified_name, const Entry& entry)
      : qualified_name_(std::move(qualified_name)),
        params_(ParseParams(entry.params)),
        body_(entry.body),
        data_(entry.data),
        reads_(entry.reads) {}
  std::string TypeName() const override { return "function"; }
  std::string Repr() const override {
    return "<function " + qualified_name_ + ">";
  }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name != "__name__") return std::nullopt;
    return Value::Str(qualified_name_.substr(qualified_name_.rfind('.') + 1));
  }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    const BoundArgs bound = BindArguments(qualified_name_, params_, args);
    if (!bound.values.empty()) CheckShapeRead(bound[0], reads_);
    if (reads_ == Reads::kDot && bound[0].as_tensor().rank() <= 2) {
      CheckShapeRead(bound[1], reads_);
    }
    if (reads_ == Reads::kBatchDot) {
      std::vector<int64_t> axes;
      CheckBatchDot(bound[0], bound[1], bound[2], ctx.profile, &axes);
    }
    if (reads_ != Reads::kShape) {
      RejectKerasTensors(ctx, qualified_name_, bound);
    }
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
      Value result = body_(ctx, bound, data_);
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

 private:
  std::string qualified_name_;
  std::vector<Param> params_;
  Fn body_;
  int64_t data_;
  Reads reads_;
};

// ---- argument helpers -------------------------------------------------------

std::optional<std::vector<int>> OptAxes(const Value& v) {
  if (v.is_none()) return std::nullopt;
  std::vector<int> axes;
  for (int64_t a : ToIntList(v, "axis")) axes.push_back(static_cast<int>(a));
  return axes;
}

bool KeepDims(const Value& v) {
  return !v.is_none() && !(v.is_number() && v.as_number() == 0);
}

// tf.maximum(x, 0) and friends: the non-tensor operand takes the tensor's
// dtype (as the tf.* wrappers convert it).
void ConvertPair(const Value& x, const Value& y, Tensor* a, Tensor* b) {
  if (x.is_tensor() || !y.is_tensor()) {
    *a = ToTensor(x);
    *b = ToTensor(y, a->dtype());
  } else {
    *b = y.as_tensor();
    *a = ToTensor(x, b->dtype());
  }
}

Tensor Scalar(double v, DType dtype) { return ops::Fill({}, v, dtype); }

// ---- bodies
// -------------------------------------------------------------------

Value Unary(RunContext&, Args a, int64_t op) {
  return T(ops::Unary(static_cast<ops::UnaryOp>(op), ToTensor(a[0])));
}

Value Binary(RunContext&, Args a, int64_t op) {
  Tensor x, y;
  ConvertPair(a[0], a[1], &x, &y);
  return T(ops::Binary(static_cast<ops::BinaryOp>(op), x, y));
}

// sum, max, min, prod; mean, std and var cast bool to floatx first; any
// and all cast to bool.
Value Reduce(RunContext&, Args a, int64_t op) {
  Tensor x = ToTensor(a[0]);
  const auto reduce_op = static_cast<ops::ReduceOp>(op);
  if (reduce_op == ops::ReduceOp::kAny || reduce_op == ops::ReduceOp::kAll) {
    if (x.dtype() != DType::kBool) x = ops::Cast(x, DType::kBool);
  } else if (reduce_op == ops::ReduceOp::kMean && x.dtype() == DType::kBool) {
    x = ops::Cast(x, DType::kFloat32);
  }
  return T(ops::Reduce(reduce_op, x, OptAxes(a[1]), KeepDims(a[2])));
}

// std (1) / var (0): tf.math.reduce_std / reduce_variance.
Value Moments(RunContext&, Args a, int64_t std_dev) {
  Tensor x = ToTensor(a[0]);
  if (x.dtype() == DType::kBool) x = ops::Cast(x, DType::kFloat32);
  if (x.dtype() != DType::kFloat32 && x.dtype() != DType::kFloat64) {
    RaiseNotModelled("K.std / K.var of an integer tensor");
  }
  const auto axes = OptAxes(a[1]);
  const Tensor mean = ops::Reduce(ops::ReduceOp::kMean, x, axes, true);
  const Tensor sq = ops::Unary(ops::UnaryOp::kSquare,
                               ops::Binary(ops::BinaryOp::kSub, x, mean));
  Tensor var = ops::Reduce(ops::ReduceOp::kMean, sq, axes, KeepDims(a[2]));
  return T(std_dev ? ops::Unary(ops::UnaryOp::kSqrt, var) : var);
}

// Constants: epsilon (0), floatx (1), backend (2), image_data_format (3).
Value Constant(RunContext&, Args, int64_t which) {
  switch (which) {
    case 0:
      return Value::Float(1e-07);
    case 1:
      return Value::Str("float32");
    case 2:
      return Value::Str("tensorflow");
    default:
      return Value::Str("channels_last");
  }
}

// tf-keras' is_keras_tensor accepts tensors only.
Value IsKerasTensor(RunContext& ctx, Args a, int64_t) {
  const bool keras_tensor = keras::AsKerasTensor(a[0]) != nullptr;
  if (ctx.profile == Profile::kTfKeras && !keras_tensor && !a[0].is_tensor()) {
    RaiseValueError(
        "Unexpectedly found an instance of type `<class '" +
        (np::IsNdarray(a[0]) ? "numpy.ndarray" : PythonTypeName(a[0])) +
        "'>`. Expected a symbolic tensor instance.");
  }
  return Value::Bool(keras_tensor);
}

// int_shape (0): the shape tuple, None for unknown dims; ndim (1); dtype
// (2): the dtype's name; shape (3): tf.shape.
Value ShapeOf(RunContext&, Args a, int64_t which) {
  if (which == 0) {
    if (auto shape = ShapeAttr(a[0])) return keras::ShapeTuple(*shape);
    RaiseAttributeError("'" + PythonTypeName(a[0]) +
                        "' object has no attribute 'shape'");
  }
  const Tensor x = ToTensor(a[0]);
  if (which == 1) return Value::Int(x.rank());
  if (which == 2) return Value::Str(std::string(DTypeName(x.dtype())));
  Tensor t = Tensor::Zeros(DType::kInt32, {x.rank()}, "Shape");
  for (int i = 0; i < x.rank(); ++i) {
    t.i32()[i] = static_cast<int32_t>(x.dim(i));
  }
  return T(t);
}

Value Cast(RunContext&, Args a, int64_t) {
  return T(ops::Cast(ToTensor(a[0]), ToDType(a[1])));
}

Value ConstantOp(RunContext&, Args a, int64_t) {
  if (!a[2].is_none()) RaiseNotModelled("K.constant with shape=");
  const DType dtype = a[1].is_none() ? DType::kFloat32 : ToDType(a[1]);
  return T(ToTensor(a[0], dtype));
}

// K.clip: tf.clip_by_value(x, min, max) with max raised to min when both
// are numbers.
Value Clip(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  if (a[1].is_none() || a[2].is_none()) RaiseNotModelled("K.clip with None");
  double lo_v = a[1].is_number() ? a[1].as_number() : 0;
  Value hi = a[2];
  if (a[1].is_number() && a[2].is_number() && a[2].as_number() < lo_v) {
    hi = a[1];
  }
  const Tensor lo = ToTensor(a[1], x.dtype()), hi_t = ToTensor(hi, x.dtype());
  return T(ops::Binary(ops::BinaryOp::kMinimum,
                       ops::Binary(ops::BinaryOp::kMaximum, x, lo), hi_t));
}

Value Concatenate(RunContext&, Args a, int64_t) {
  if (!a[0].is_sequence()) RaiseNotModelled("K.concatenate of a non-list");
  std::vector<Tensor> parts;
  for (const Value& v : a[0].items()) parts.push_back(ToTensor(v));
  int64_t axis = ToInt(a[1], "axis");
  if (axis < 0 && !parts.empty()) {
    const int rank = parts[0].rank();
    axis = rank ? ((axis % rank) + rank) % rank : 0;
  }
  return T(ops::Concat(parts, axis));
}

Value CumSum(RunContext&, Args a, int64_t) {
  return T(ops::CumSum(ToTensor(a[0]), static_cast<int>(ToInt(a[1], "axis"))));
}

// K.dot (keras/src/legacy/backend.py, Keras 3.15): beyond rank 2, x is
// flattened to (-1, x[-1]) and y's second-to-last axis moved first and the
// rest flattened, so MatMul's error shows those reshaped shapes.
Value Dot(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  const Tensor y = ToTensor(a[1]);
  if (x.rank() <= 2 && y.rank() <= 2) return T(ops::MatMul(x, y));
  if (y.rank() < 2)
    RaiseText(ErrorClass::kIndexError, "pop index out of range");
  if (x.rank() == 0) {
    RaiseText(ErrorClass::kIndexError, "tuple index out of range");
  }
  std::vector<int64_t> perm{y.rank() - 2};
  for (int64_t i = 0; i < y.rank(); ++i) {
    if (i != y.rank() - 2) perm.push_back(i);
  }
  const Tensor xt = ops::Reshape(x, {-1, x.dim(x.rank() - 1)});
  const Tensor yt =
      ops::Reshape(ops::Transpose(y, perm), {y.dim(y.rank() - 2), -1});
  std::vector<int64_t> out(x.shape().begin(), x.shape().end() - 1);
  out.insert(out.end(), y.shape().begin(), y.shape().end() - 2);
  out.push_back(y.dim(y.rank() - 1));
  return T(ops::Reshape(ops::MatMul(xt, yt), out));
}

std::string AxesText(const std::vector<int64_t>& axes) {
  return "[" + std::to_string(axes[0]) + ", " + std::to_string(axes[1]) + "]";
}

void CheckBatchDot(const Value& xv, const Value& yv, const Value& axes_value,
                   Profile profile, std::vector<int64_t>* axes_out) {
  const auto xs = ShapeAttr(xv), ys = ShapeAttr(yv);
  if (!xs || !ys) RaiseNotModelled("K.batch_dot of non-tensors");
  const std::string shapes =
      profile == Profile::kTfKeras ? "shapes" : "tf.shapes";
  const std::string both =
      PartialShapeToPyString(*xs) + " and " + PartialShapeToPyString(*ys);
  const int64_t x_ndim = xs->size(), y_ndim = ys->size();
  if (x_ndim < 2 || y_ndim < 2) {
    RaiseValueError(
        "Cannot do batch_dot on inputs with rank < 2. Received "
        "inputs with " +
        shapes + " " + both + ".");
  }
  if ((*xs)[0].known() && (*ys)[0].known() && (*xs)[0] != (*ys)[0]) {
    RaiseValueError(
        "Cannot do batch_dot on inputs with different batch sizes. Received "
        "inputs with " +
        shapes + " " + both + ".");
  }
  std::vector<int64_t> axes;
  if (axes_value.is_none()) {
    axes = {x_ndim - 1, y_ndim == 2 ? y_ndim - 1 : y_ndim - 2};
  } else if (axes_value.kind() == Value::Kind::kInt) {
    axes = {axes_value.as_int(), axes_value.as_int()};
  } else if (axes_value.is_sequence() && axes_value.items().size() == 2 &&
             axes_value.items()[0].kind() == Value::Kind::kInt &&
             axes_value.items()[1].kind() == Value::Kind::kInt) {
    axes = {axes_value.items()[0].as_int(), axes_value.items()[1].as_int()};
  } else {
    RaiseNotModelled("these batch_dot axes");
  }
  if (axes[0] < 0) axes[0] += x_ndim;
  if (axes[1] < 0) axes[1] += y_ndim;
  if (axes[0] == 0 || axes[1] == 0) {
    RaiseValueError(
        "Cannot perform batch_dot over axis 0. If your inputs are not "
        "batched, add a dummy batch dimension to your inputs using "
        "K.expand_dims(x, 0)");
  }
  if (axes[0] >= x_ndim || axes[1] >= y_ndim || axes[0] < 0 || axes[1] < 0) {
    RaiseText(ErrorClass::kIndexError, "tuple index out of range");
  }
  const Dim d1 = (*xs)[axes[0]], d2 = (*ys)[axes[1]];
  if (d1.known() && d2.known() && d1 != d2) {
    RaiseValueError("Cannot do batch_dot on inputs with " + shapes + " " +
                    both + " with axes=" + AxesText(axes) + ". x.shape[" +
                    std::to_string(axes[0]) + "] != y.shape[" +
                    std::to_string(axes[1]) + "] (" +
                    std::to_string(d1.size()) +
                    " != " + std::to_string(d2.size()) + ").");
  }
  *axes_out = axes;
}

// K.batch_dot: the contracted axis of x moved last and of y moved to 1,
// extra axes squashed, one batched MatMul, then reshaped back.
Value BatchDot(RunContext& ctx, Args a, int64_t) {
  std::vector<int64_t> axes;
  CheckBatchDot(a[0], a[1], a[2], ctx.profile, &axes);
  Tensor x = ToTensor(a[0]), y = ToTensor(a[1]);
  const int orig_x = x.rank(), orig_y = y.rank();
  int64_t a0 = axes[0];
  const int64_t a1 = axes[1];
  if (x.rank() == 2) {
    x = ops::ExpandDims(x, 1);
    ++a0;
  }
  if (y.rank() == 2) y = ops::ExpandDims(y, 2);
  if (a0 != x.rank() - 1) {
    std::vector<int64_t> pattern;
    for (int64_t i = 0; i < x.rank(); ++i) {
      if (i != a0) pattern.push_back(i);
    }
    pattern.push_back(a0);
    x = ops::Transpose(x, pattern);
  }
  if (a1 != 1) {
    std::vector<int64_t> pattern{0, a1};
    for (int64_t i = 1; i < y.rank(); ++i) {
      if (i != a1) pattern.push_back(i);
    }
    y = ops::Transpose(y, pattern);
  }
  const Shape xs = x.shape(), ys = y.shape();
  if (x.rank() > 3) x = ops::Reshape(x, {xs[0], -1, xs.back()});
  if (y.rank() > 3) y = ops::Reshape(y, {ys[0], ys[1], -1});
  Tensor result = ops::MatMul(x, y);
  if (xs.size() > 3 || ys.size() > 3) {
    std::vector<int64_t> out{result.dim(0)};
    if (xs.size() > 3) {
      out.insert(out.end(), xs.begin() + 1, xs.end() - 1);
    } else {
      out.push_back(result.dim(1));
    }
    if (ys.size() > 3) {
      out.insert(out.end(), ys.begin() + 2, ys.end());
    } else {
      out.push_back(result.dim(2));
    }
    result = ops::Reshape(result, out);
  }
  if (orig_x == 2) return T(ops::Squeeze(result, {1}));
  if (orig_y == 2) return T(ops::Squeeze(result, {-1}));
  return T(result);
}

Value BatchFlatten(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  int64_t rest = 1;
  for (int i = 1; i < x.rank(); ++i) rest *= x.dim(i);
  return T(ops::Reshape(x, {-1, rest}));
}

Value Flatten(RunContext&, Args a, int64_t) {
  return T(ops::Reshape(ToTensor(a[0]), {-1}));
}

// K.bias_add with a 1-D bias (channels_last): BiasAdd's check, as
// Binary(Add) would broadcast more loosely.
Value BiasAdd(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  if (!a[2].is_none() &&
      !(a[2].kind() == Value::Kind::kStr && a[2].as_str() == "channels_last")) {
    RaiseNotModelled("K.bias_add with this data_format");
  }
  const Tensor bias = ToTensor(a[1], x.dtype());
  if (bias.rank() != 1) RaiseNotModelled("K.bias_add with a bias of rank > 1");
  if (x.rank() < 2 || bias.dim(0) != x.dim(x.rank() - 1)) {
    RaiseNotModelled("K.bias_add with mismatched shapes (BiasAdd's error)");
  }
  return T(ops::Binary(ops::BinaryOp::kAdd, x, bias));
}

// K.elu (alpha 1): tf.nn.elu, x for x > 0, exp(x) - 1 otherwise.
Value Elu(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  const double alpha = ToDouble(a[1], "alpha");
  const Tensor zero = Scalar(0, x.dtype()), one = Scalar(1, x.dtype());
  Tensor neg =
      ops::Binary(ops::BinaryOp::kSub, ops::Unary(ops::UnaryOp::kExp, x), one);
  if (alpha != 1) {
    neg = ops::Binary(ops::BinaryOp::kMul, neg, Scalar(alpha, x.dtype()));
  }
  return T(ops::Where(ops::Binary(ops::BinaryOp::kGreater, x, zero), x, neg));
}

Value ExpandDims(RunContext&, Args a, int64_t) {
  return T(ops::ExpandDims(ToTensor(a[0]), ToInt(a[1], "axis")));
}

Value Gather(RunContext&, Args a, int64_t) {
  const Tensor indices = ToTensor(a[1]);
  if (!IsIntegerDType(indices.dtype())) RaiseNotModelled("float indices");
  try {
    return T(ops::Gather(ToTensor(a[0]), indices, 0));
  } catch (ErrorException& e) {
    // Tensor indices reach GatherV2 on the fast path (" name: ").
    e.mutable_error().fast_path = a[1].is_tensor();
    throw;
  }
}

// tf.linalg.l2_normalize: x * rsqrt(max(sum(x**2), 1e-12)).
Value L2Normalize(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  const Tensor sum =
      ops::Reduce(ops::ReduceOp::kSum, ops::Unary(ops::UnaryOp::kSquare, x),
                  OptAxes(a[1]), true);
  const Tensor inv = ops::Unary(
      ops::UnaryOp::kRsqrt,
      ops::Binary(ops::BinaryOp::kMaximum, sum, Scalar(1e-12, x.dtype())));
  return T(ops::Binary(ops::BinaryOp::kMul, x, inv));
}

Value OneHotOp(RunContext&, Args a, int64_t) {
  return T(OneHot(ToTensor(a[0]), ToInt(a[1], "num_classes")));
}

// zeros_like (0) / ones_like (1).
Value FillLike(RunContext&, Args a, int64_t value) {
  const Tensor x = ToTensor(a[0]);
  return T(ops::Fill(x.shape(), static_cast<double>(value),
                     a[1].is_none() ? x.dtype() : ToDType(a[1])));
}

Value Permute(RunContext&, Args a, int64_t) {
  return T(ops::Transpose(ToTensor(a[0]), ToIntList(a[1], "pattern")));
}

Value Transpose(RunContext&, Args a, int64_t) {
  return T(ops::Transpose(ToTensor(a[0]), std::nullopt));
}

Value Pow(RunContext&, Args a, int64_t) {
  Tensor x, y;
  ConvertPair(a[0], a[1], &x, &y);
  return T(ops::Binary(ops::BinaryOp::kPow, x, y));
}

// K.relu with alpha 0 and threshold 0: tf.nn.relu, clipped to max_value.
Value Relu(RunContext&, Args a, int64_t) {
  if (ToDouble(a[1], "alpha") != 0 || ToDouble(a[3], "threshold") != 0) {
    RaiseNotModelled("K.relu with alpha or threshold");
  }
  Tensor x = ops::Unary(ops::UnaryOp::kRelu, ToTensor(a[0]));
  if (!a[2].is_none()) {
    x = ops::Binary(ops::BinaryOp::kMinimum, x,
                    Scalar(ToDouble(a[2], "max_value"), x.dtype()));
  }
  return T(x);
}

// K.repeat(x, n): (batch, dim) -> (batch, n, dim).
Value RepeatOp(RunContext& ctx, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  if (x.rank() != 2) {
    if (ctx.profile == Profile::kTfKeras) {
      RaiseText(ErrorClass::kAssertionError, "");
    }
    RaiseValueError("Expected input `x` to have rank 2. Received: rank(x)=" +
                    std::to_string(x.rank()));
  }
  return T(ops::Tile(ops::ExpandDims(x, 1), {1, ToInt(a[1], "n"), 1}));
}

// K.repeat_elements: each slice along `axis` `rep` times.
Value RepeatElements(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  const int64_t rep = ToInt(a[1], "rep");
  int64_t axis = ToInt(a[2], "axis");
  if (axis < 0) axis += x.rank();
  if (axis < 0 || axis >= x.rank()) {
    RaiseText(ErrorClass::kIndexError, "list index out of range");
  }
  if (rep <= 0) RaiseNotModelled("a repeat count below 1");
  std::vector<int64_t> multiples(x.rank() + 1, 1);
  multiples[axis + 1] = rep;
  const Tensor tiled = ops::Tile(ops::ExpandDims(x, axis + 1), multiples);
  std::vector<int64_t> shape(x.shape().begin(), x.shape().end());
  shape[axis] *= rep;
  return T(ops::Reshape(tiled, shape));
}

Value Reshape(RunContext& ctx, Args a, int64_t) {
  const Shape shape = ToShape(a[1], "reshape");
  const std::vector<int64_t> target(shape.begin(), shape.end());
  keras::NoteStandInReshape(ctx, target);
  return T(ops::Reshape(ToTensor(a[0]), target));
}

// K.reverse: a step -1 slice along each axis.
Value Reverse(RunContext&, Args a, int64_t) {
  Tensor x = ToTensor(a[0]);
  for (int64_t axis : ToIntList(a[1], "axes")) {
    if (axis < 0) axis += x.rank();
    if (axis < 0 || axis >= x.rank()) RaiseNotModelled("this reverse axis");
    std::vector<ops::SliceItem> items(axis + 1);
    for (int64_t i = 0; i < axis; ++i) {
      items[i].kind = ops::SliceItem::Kind::kRange;
    }
    items[axis].kind = ops::SliceItem::Kind::kRange;
    items[axis].step = -1;
    x = ops::StridedSlice(x, items);
  }
  return T(x);
}

// sign (0): (x > 0) - (x < 0); softplus (1): relu(x) + log(1 + exp(-|x|)).
Value Elementwise(RunContext&, Args a, int64_t which) {
  const Tensor x = ToTensor(a[0]);
  const Tensor zero = Scalar(0, x.dtype());
  if (which == 0) {
    return T(ops::Binary(
        ops::BinaryOp::kSub,
        ops::Cast(ops::Binary(ops::BinaryOp::kGreater, x, zero), x.dtype()),
        ops::Cast(ops::Binary(ops::BinaryOp::kLess, x, zero), x.dtype())));
  }
  const Tensor e = ops::Unary(
      ops::UnaryOp::kExp,
      ops::Unary(ops::UnaryOp::kNeg, ops::Unary(ops::UnaryOp::kAbs, x)));
  return T(ops::Binary(
      ops::BinaryOp::kAdd, ops::Unary(ops::UnaryOp::kRelu, x),
      ops::Unary(ops::UnaryOp::kLog,
                 ops::Binary(ops::BinaryOp::kAdd, e, Scalar(1, x.dtype())))));
}

// tf.round: half to even; integers pass through.
Value Round(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  if (x.dtype() != DType::kFloat32 && x.dtype() != DType::kFloat64) {
    if (x.dtype() == DType::kBool) RaiseNotModelled("K.round of bools");
    return T(x);
  }
  const Tensor f = ops::Cast(x, DType::kFloat64);
  Tensor out = Tensor::Zeros(DType::kFloat64, x.shape(), "Round");
  CurrentBudget()->ChargeElements(x.num_elements(), 1, "Round");
  for (int64_t i = 0; i < x.num_elements(); ++i) {
    out.f64()[i] = std::nearbyint(f.f64()[i]);
  }
  return T(x.dtype() == DType::kFloat64 ? out : ops::Cast(out, x.dtype()));
}

// softsign (0): x / (1 + |x|); hard_sigmoid (1): clip(0.2 x + 0.5, 0, 1).
Value Activation(RunContext&, Args a, int64_t which) {
  const Tensor x = ToTensor(a[0]);
  const DType d = x.dtype();
  if (which == 0) {
    return T(ops::Binary(
        ops::BinaryOp::kDiv, x,
        ops::Binary(ops::BinaryOp::kAdd, ops::Unary(ops::UnaryOp::kAbs, x),
                    Scalar(1, d))));
  }
  const Tensor y = ops::Binary(
      ops::BinaryOp::kAdd, ops::Binary(ops::BinaryOp::kMul, x, Scalar(0.2, d)),
      Scalar(0.5, d));
  return T(ops::Binary(ops::BinaryOp::kMinimum,
                       ops::Binary(ops::BinaryOp::kMaximum, y, Scalar(0, d)),
                       Scalar(1, d)));
}

// get_value / eval: x.numpy() for a tensor; other values pass through.
Value GetValue(RunContext&, Args a, int64_t) {
  return a[0].is_tensor() ? np::MakeNdarray(a[0].as_tensor()) : a[0];
}

// K.softmax: a rank-1 (or 0) tensor is refused by Keras itself.
Value Softmax(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  if (x.rank() <= 1) {
    RaiseValueError(
        "Cannot apply softmax to a tensor that is 1D. Received input: " +
        TensorFormat(x));
  }
  if (a[1].kind() != Value::Kind::kInt) RaiseNotModelled("a tuple axis");
  return T(ops::Softmax(x, static_cast<int>(a[1].as_int())));
}

Value Sqrt(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  return T(ops::Unary(
      ops::UnaryOp::kSqrt,
      ops::Binary(ops::BinaryOp::kMaximum, x, Scalar(0, x.dtype()))));
}

Value Squeeze(RunContext&, Args a, int64_t) {
  return T(ops::Squeeze(ToTensor(a[0]), {ToInt(a[1], "axis")}));
}

Value Stack(RunContext&, Args a, int64_t) {
  if (!a[0].is_sequence()) RaiseNotModelled("K.stack of a non-list");
  std::vector<Tensor> parts;
  for (const Value& v : a[0].items()) parts.push_back(ToTensor(v));
  return T(ops::Stack(parts, ToInt(a[1], "axis")));
}

// K.switch with a scalar condition or one of the expressions' rank.
Value Switch(RunContext&, Args a, int64_t) {
  Tensor cond = ToTensor(a[0]);
  if (cond.dtype() != DType::kBool) cond = ops::Cast(cond, DType::kBool);
  Tensor x, y;
  ConvertPair(a[1], a[2], &x, &y);
  if (cond.rank() == 0) return cond.b8()[0] ? a[1] : a[2];
  if (cond.rank() > x.rank()) {
    RaiseValueError(
        "Rank of `condition` should be less than or equal to rank of "
        "`then_expression` and `else_expression`. ndim(condition)=" +
        std::to_string(cond.rank()) +
        ", ndim(then_expression)=" + std::to_string(x.rank()));
  }
  if (cond.rank() > 1 && cond.rank() < x.rank()) {
    RaiseNotModelled("K.switch with a condition of lower rank");
  }
  return T(ops::Where(cond, x, y));
}

Value Tile(RunContext&, Args a, int64_t) {
  return T(ops::Tile(ToTensor(a[0]), ToIntList(a[1], "n")));
}

Value Arange(RunContext&, Args a, int64_t) {
  double start = ToDouble(a[0], "start");
  double limit;
  if (a[1].is_none()) {
    limit = start < 0 ? 0 : start;
    start = 0;
  } else {
    limit = ToDouble(a[1], "stop");
  }
  const bool ints = a[0].kind() == Value::Kind::kInt &&
                    (a[1].is_none() || a[1].kind() == Value::Kind::kInt) &&
                    a[2].kind() == Value::Kind::kInt;
  Tensor r = ops::Range(start, limit, ToDouble(a[2], "step"),
                        ints ? DType::kInt32 : DType::kFloat32);
  const DType dtype = ToDType(a[3]);
  return T(dtype == r.dtype() ? r : ops::Cast(r, dtype));
}

// argmax (0) / argmin (1): int64, as tf.argmax.
Value ArgMax(RunContext&, Args a, int64_t argmin) {
  Tensor x = ToTensor(a[0]);
  if (argmin) {
    if (x.dtype() == DType::kBool) RaiseNotModelled("argmin of bools");
    x = ops::Unary(ops::UnaryOp::kNeg, x);
  }
  return T(
      ops::ArgMax(x, static_cast<int>(ToInt(a[1], "axis")), DType::kInt64));
}

// random_normal (0) / random_uniform (1): the playground's draws.
Value Random(RunContext& ctx, Args a, int64_t uniform) {
  const Shape shape = ToShape(a[0], "shape");
  const DType dtype = a[3].is_none() ? DType::kFloat32 : ToDType(a[3]);
  const double p1 = ToDouble(a[1], "mean"), p2 = ToDouble(a[2], "stddev");
  if (uniform) return T(ops::RandomUniform(shape, p1, p2, dtype, ctx.rng));
  return T(ops::RandomNormal(shape, p1, p2, ctx.rng, dtype));
}

constexpr Reads N = Reads::kNothing;
constexpr int64_t Op(ops::UnaryOp op) { return static_cast<int64_t>(op); }
constexpr int64_t Op(ops::BinaryOp op) { return static_cast<int64_t>(op); }
constexpr int64_t Op(ops::ReduceOp op) { return static_cast<int64_t>(op); }

constexpr char kReduceParams[] = "x,axis=None,keepdims=False";

const Entry kBackend[] = {
    {"abs", "x", Unary, Op(ops::UnaryOp::kAbs), N},
    {"exp", "x", Unary, Op(ops::UnaryOp::kExp), N},
    {"log", "x", Unary, Op(ops::UnaryOp::kLog), N},
    {"tanh", "x", Unary, Op(ops::UnaryOp::kTanh), N},
    {"sigmoid", "x", Unary, Op(ops::UnaryOp::kSigmoid), N},
    {"square", "x", Unary, Op(ops::UnaryOp::kSquare), N},
    {"sqrt", "x", Sqrt, 0, N},
    {"sign", "x", Elementwise, 0, N},
    {"softplus", "x", Elementwise, 1, N},
    {"equal", "x,y", Binary, Op(ops::BinaryOp::kEqual), N},
    {"not_equal", "x,y", Binary, Op(ops::BinaryOp::kNotEqual), N},
    {"greater", "x,y", Binary, Op(ops::BinaryOp::kGreater), N},
    {"greater_equal", "x,y", Binary, Op(ops::BinaryOp::kGreaterEqual), N},
    {"less", "x,y", Binary, Op(ops::BinaryOp::kLess), N},
    {"less_equal", "x,y", Binary, Op(ops::BinaryOp::kLessEqual), N},
    {"maximum", "x,y", Binary, Op(ops::BinaryOp::kMaximum), N},
    {"minimum", "x,y", Binary, Op(ops::BinaryOp::kMinimum), N},
    {"pow", "x,a", Pow, 0, N},
    {"sum", kReduceParams, Reduce, Op(ops::ReduceOp::kSum), N},
    {"max", kReduceParams, Reduce, Op(ops::ReduceOp::kMax), N},
    {"min", kReduceParams, Reduce, Op(ops::ReduceOp::kMin), N},
    {"prod", kReduceParams, Reduce, Op(ops::ReduceOp::kProd), N},
    {"any", kReduceParams, Reduce, Op(ops::ReduceOp::kAny), N},
    {"all", kReduceParams, Reduce, Op(ops::ReduceOp::kAll), N},
    {"mean", kReduceParams, Reduce, Op(ops::ReduceOp::kMean),
     Reads::kBaseDType},
    {"std", kReduceParams, Moments, 1, Reads::kBaseDType},
    {"var", kReduceParams, Moments, 0, Reads::kBaseDType},
    {"epsilon", "", Constant, 0, N},
    {"floatx", "", Constant, 1, N},
    {"backend", "", Constant, 2, N},
    {"image_data_format", "", Constant, 3, N},
    {"is_keras_tensor", "x", IsKerasTensor, 0, Reads::kShape},
    {"int_shape", "x", ShapeOf, 0, Reads::kShape},
    {"ndim", "x", ShapeOf, 1, Reads::kRank},
    {"dtype", "x", ShapeOf, 2, Reads::kBaseDType},
    {"shape", "x", ShapeOf, 3, N},
    {"cast", "x,dtype", Cast, 0, N},
    {"constant", "value,dtype=None,shape=None,name=None", ConstantOp, 0, N},
    {"clip", "x,min_value,max_value", Clip, 0, N},
    {"concatenate", "tensors,axis=-1", Concatenate, 0, N},
    {"cumsum", "x,axis=0", CumSum, 0, N},
    {"dot", "x,y", Dot, 0, Reads::kDot},
    {"batch_dot", "x,y,axes=None", BatchDot, 0, Reads::kBatchDot},
    {"batch_flatten", "x", BatchFlatten, 0, N},
    {"flatten", "x", Flatten, 0, N},
    {"bias_add", "x,bias,data_format=None", BiasAdd, 0, Reads::kRank},
    {"elu", "x,alpha=1.0", Elu, 0, N},
    {"expand_dims", "x,axis=-1", ExpandDims, 0, N},
    {"gather", "reference,indices", Gather, 0, N},
    {"l2_normalize", "x,axis=None", L2Normalize, 0, N},
    {"one_hot", "indices,num_classes", OneHotOp, 0, N},
    {"zeros_like", "x,dtype=None,name=None", FillLike, 0, N},
    {"ones_like", "x,dtype=None,name=None", FillLike, 1, N},
    {"permute_dimensions", "x,pattern", Permute, 0, N},
    {"transpose", "x", Transpose, 0, N},
    {"relu", "x,alpha=0.0,max_value=None,threshold=0.0", Relu, 0, N},
    {"repeat", "x,n", RepeatOp, 0, Reads::kRank},
    {"repeat_elements", "x,rep,axis", RepeatElements, 0, Reads::kAsList},
    {"reshape", "x,shape", Reshape, 0, N},
    {"reverse", "x,axes", Reverse, 0, N},
    {"softmax", "x,axis=-1", Softmax, 0, Reads::kRank},
    {"round", "x", Round, 0, N},
    {"softsign", "x", Activation, 0, N},
    {"hard_sigmoid", "x", Activation, 1, N},
    {"get_value", "x", GetValue, 0, Reads::kShape},
    {"eval", "x", GetValue, 0, Reads::kShape},
    {"squeeze", "x,axis", Squeeze, 0, N},
    {"stack", "x,axis=0", Stack, 0, N},
    {"switch", "condition,then_expression,else_expression", Switch, 0, N},
    {"tile", "x,n", Tile, 0, N},
    {"arange", "start,stop=None,step=1,dtype='int32'", Arange, 0, N},
    {"argmax", "x,axis=-1", ArgMax, 0, N},
    {"argmin", "x,axis=-1", ArgMax, 1, N},
    {"random_normal", "shape,mean=0.0,stddev=1.0,dtype=None,seed=None", Random,
     0, N},
    {"random_uniform", "shape,minval=0.0,maxval=1.0,dtype=None,seed=None",
     Random, 1, N},
};

Value MakeBackend(Profile profile) {
  return Value::FromObject(MakeLegacyBackendModule(profile));
}

// tf.keras under Keras 3 (keras._tf_keras.keras): `keras` with the
// legacy backend (made on first use) in place of Keras 3's keras.backend.
class TfKerasModule : public Module {
 public:
  explicit TfKerasModule(std::shared_ptr<Module> keras)
      : Module("tensorflow.keras"), keras_(std::move(keras)) {}
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name != "backend") return keras_->GetAttr(name);
    if (!backend_) backend_ = MakeBackend(Profile::kKeras3);
    return backend_;
  }

 private:
  std::shared_ptr<Module> keras_;
  mutable std::optional<Value> backend_;
};

}  // namespace

std::shared_ptr<Module> MakeLegacyBackendModule(Profile) {
  auto backend = std::make_shared<Module>("tensorflow.keras.backend");
  backend->SetUnknownIsUnsupported(true);
  for (const Entry& e : kBackend) {
    backend->Set(e.name, Value::FromObject(std::make_shared<LegacyFunction>(
                             backend->name() + "." + e.name, e)));
  }
  for (const char* name : {"variable", "zeros", "ones", "eye"}) {
    backend->SetUnsupported(name, "makes a tf.Variable: not modelled");
  }
  return backend;
}

namespace {

// `import keras; keras.backend` under Keras 3: 14 names, no math
// (keras/api/backend/__init__.py, Keras 3.15); the constants are modelled.
Value MakeKeras3Backend(Profile) {
  auto backend = std::make_shared<Module>("keras.backend");
  backend->SetUnknownIsUnsupported(true);
  for (const Entry& e : kBackend) {
    const std::string_view name = e.name;
    if (name == "epsilon" || name == "floatx" || name == "backend" ||
        name == "image_data_format" || name == "is_keras_tensor") {
      backend->Set(e.name, Value::FromObject(std::make_shared<LegacyFunction>(
                               backend->name() + "." + e.name, e)));
    } else {
      backend->SetAbsent(e.name);  // tf.keras.backend's, not keras.backend's
    }
  }
  return Value::FromObject(backend);
}

}  // namespace

Value WireLegacyKeras(const std::shared_ptr<Module>& keras, Profile profile) {
  keras->SetLazy("utils", MakeKerasUtilsModule, profile);
  keras->SetLazy("preprocessing", MakePreprocessingModule, profile);
  keras->SetLazy("saving", MakeKerasSavingModule, profile);
  if (profile == Profile::kTfKeras) {
    keras->SetLazy("backend", MakeBackend, profile);
    return Value::FromObject(keras);
  }
  keras->SetLazy("backend", MakeKeras3Backend, profile);
  return Value::FromObject(std::make_shared<TfKerasModule>(keras));
}

}  // namespace ap::tf
