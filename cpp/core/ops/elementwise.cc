// Elementwise ops: binary cwise ops with numpy broadcasting, unary math,
// Cast and SelectV2 (tf.where). Texts: spec §4.2, checked against
// tensorflow/core/kernels/cwise_ops_common.{h,cc} and cwise_op_select.cc.
#include <algorithm>
#include <cmath>
#include <limits>

#include "internal.h"
#include "ops.h"

namespace ap::ops {

using internal::BroadcastStrides;
using internal::Data;
using internal::ForEachBroadcast;
using internal::RaiseDTypeMismatch;
using internal::RaiseNotSupported;
using internal::WrapAdd;
using internal::WrapMul;
using internal::WrapSub;

std::string_view BinaryOpType(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "AddV2";
    case BinaryOp::kSub:
      return "Sub";
    case BinaryOp::kMul:
      return "Mul";
    case BinaryOp::kDiv:
      return "RealDiv";
    case BinaryOp::kFloorDiv:
      return "FloorDiv";
    case BinaryOp::kFloorMod:
      return "FloorMod";
    case BinaryOp::kPow:
      return "Pow";
    case BinaryOp::kMaximum:
      return "Maximum";
    case BinaryOp::kMinimum:
      return "Minimum";
    case BinaryOp::kSquaredDifference:
      return "SquaredDifference";
    case BinaryOp::kEqual:
      return "Equal";
    case BinaryOp::kNotEqual:
      return "NotEqual";
    case BinaryOp::kLess:
      return "Less";
    case BinaryOp::kLessEqual:
      return "LessEqual";
    case BinaryOp::kGreater:
      return "Greater";
    case BinaryOp::kGreaterEqual:
      return "GreaterEqual";
    case BinaryOp::kLogicalAnd:
      return "LogicalAnd";
    case BinaryOp::kLogicalOr:
      return "LogicalOr";
  }
  return "Unknown";
}

std::string_view UnaryOpType(UnaryOp op) {
  switch (op) {
    case UnaryOp::kNeg:
      return "Neg";
    case UnaryOp::kAbs:
      return "Abs";
    case UnaryOp::kSquare:
      return "Square";
    case UnaryOp::kSqrt:
      return "Sqrt";
    case UnaryOp::kRsqrt:
      return "Rsqrt";
    case UnaryOp::kExp:
      return "Exp";
    case UnaryOp::kLog:
      return "Log";
    case UnaryOp::kTanh:
      return "Tanh";
    case UnaryOp::kSigmoid:
      return "Sigmoid";
    case UnaryOp::kRelu:
      return "Relu";
    case UnaryOp::kLogicalNot:
      return "LogicalNot";
  }
  return "Unknown";
}

namespace {

bool IsComparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual:
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual:
      return true;
    default:
      return false;
  }
}

bool IsLogical(BinaryOp op) {
  return op == BinaryOp::kLogicalAnd || op == BinaryOp::kLogicalOr;
}

// Does `small` (non-empty) broadcast to `out` by repeating as a whole along
// leading axes, i.e. are its dims, without leading 1s, out's trailing dims?
bool IsTrailingBlock(const Shape& small, const Shape& out) {
  size_t lead = 0;
  while (lead < small.size() && small[lead] == 1) ++lead;
  const size_t rest = small.size() - lead;
  if (rest > out.size()) return false;
  for (size_t i = 0; i < rest; ++i) {
    if (small[lead + i] != out[out.size() - rest + i]) return false;
  }
  int64_t count = 1;
  for (Dim d : small) count *= d;
  return count > 0;
}

// out[i] = f(x[bx], y[by]) over the broadcast shape of `out`.
template <typename T, typename R, typename F>
void ApplyBinary(const Tensor& x, const Tensor& y, Tensor& out, F f) {
  const T* xp = Data<T>(x);
  const T* yp = Data<T>(y);
  R* op = Data<R>(out);
  const int64_t n = out.num_elements();
  if (x.shape() == y.shape()) {
    for (int64_t i = 0; i < n; ++i) op[i] = f(xp[i], yp[i]);
  } else if (y.num_elements() == 1 && x.num_elements() == n) {
    const T b = yp[0];
    for (int64_t i = 0; i < n; ++i) op[i] = f(xp[i], b);
  } else if (x.num_elements() == 1 && y.num_elements() == n) {
    const T a = xp[0];
    for (int64_t i = 0; i < n; ++i) op[i] = f(a, yp[i]);
  } else if (x.num_elements() == n && IsTrailingBlock(y.shape(), out.shape())) {
    // y repeats along the leading axes (a Dense bias, a (Tv,) row): a tight
    // loop instead of the general broadcast walk.
    const int64_t m = y.num_elements();
    for (int64_t i = 0; i < n; i += m) {
      for (int64_t j = 0; j < m; ++j) op[i + j] = f(xp[i + j], yp[j]);
    }
  } else if (y.num_elements() == n && IsTrailingBlock(x.shape(), out.shape())) {
    const int64_t m = x.num_elements();
    for (int64_t i = 0; i < n; i += m) {
      for (int64_t j = 0; j < m; ++j) op[i + j] = f(xp[j], yp[i + j]);
    }
  } else {
    std::array<std::vector<int64_t>, 2> strides = {
        BroadcastStrides(x.shape(), out.shape()),
        BroadcastStrides(y.shape(), out.shape())};
    ForEachBroadcast<2>(out.shape(), strides,
                        [&](int64_t o, const std::array<int64_t, 2>& off) {
                          op[o] = f(xp[off[0]], yp[off[1]]);
                        });
  }
}

// TF's functors for integer floor division / modulo (cwise_ops.h
// google_floor_div / google_floor_fmod), with INT_MIN / -1 wrapping instead
// of trapping.
int32_t IntFloorDiv(int32_t x, int32_t y) {
  if (y == -1) return WrapSub(0, x);
  int32_t q = x / y;
  const int32_t r = x % y;
  if (r != 0 && ((r < 0) != (y < 0))) --q;
  return q;
}

int32_t IntFloorMod(int32_t x, int32_t y) {
  if (y == -1) return 0;
  const int32_t r = x % y;
  return (r != 0 && ((y < 0) != (r < 0))) ? r + y : r;
}

int32_t IntPow(int32_t base, int32_t exp) {
  int32_t result = 1;
  while (exp > 0) {
    if (exp & 1) result = WrapMul(result, base);
    exp >>= 1;
    if (exp) base = WrapMul(base, base);
  }
  return result;
}

void ComputeFloat(BinaryOp op, const Tensor& x, const Tensor& y, Tensor& out) {
  using F = float;
  switch (op) {
    case BinaryOp::kAdd:
      ApplyBinary<F, F>(x, y, out, [](F a, F b) { return a + b; });
      break;
    case BinaryOp::kSub:
      ApplyBinary<F, F>(x, y, out, [](F a, F b) { return a - b; });
      break;
    case BinaryOp::kMul:
      ApplyBinary<F, F>(x, y, out, [](F a, F b) { return a * b; });
      break;
    case BinaryOp::kDiv:
      ApplyBinary<F, F>(x, y, out, [](F a, F b) { return a / b; });
      break;
    case BinaryOp::kFloorDiv:
      ApplyBinary<F, F>(x, y, out, [](F a, F b) { return std::floor(a / b); });
      break;
    case BinaryOp::kFloorMod:
      ApplyBinary<F, F>(x, y, out, [](F a, F b) {
        const F trunc_mod = std::fmod(a, b);
        return (trunc_mod != 0 && ((b < 0) != (trunc_mod < 0))) ? trunc_mod + b
                                                                : trunc_mod;
      });
      break;
    case BinaryOp::kPow:
      ApplyBinary<F, F>(x, y, out, [](F a, F b) { return std::pow(a, b); });
      break;
    case BinaryOp::kMaximum:
      // Eigen's scalar_max propagates NaN from either side like TF on CPU.
      ApplyBinary<F, F>(x, y, out, [](F a, F b) {
        return (std::isnan(a) || std::isnan(b))
                   ? std::numeric_limits<F>::quiet_NaN()
                   : (a < b ? b : a);
      });
      break;
    case BinaryOp::kMinimum:
      ApplyBinary<F, F>(x, y, out, [](F a, F b) {
        return (std::isnan(a) || std::isnan(b))
                   ? std::numeric_limits<F>::quiet_NaN()
                   : (b < a ? b : a);
      });
      break;
    case BinaryOp::kSquaredDifference:
      ApplyBinary<F, F>(x, y, out, [](F a, F b) { return (a - b) * (a - b); });
      break;
    case BinaryOp::kEqual:
      ApplyBinary<F, uint8_t>(x, y, out, [](F a, F b) { return a == b; });
      break;
    case BinaryOp::kNotEqual:
      ApplyBinary<F, uint8_t>(x, y, out, [](F a, F b) { return a != b; });
      break;
    case BinaryOp::kLess:
      ApplyBinary<F, uint8_t>(x, y, out, [](F a, F b) { return a < b; });
      break;
    case BinaryOp::kLessEqual:
      ApplyBinary<F, uint8_t>(x, y, out, [](F a, F b) { return a <= b; });
      break;
    case BinaryOp::kGreater:
      ApplyBinary<F, uint8_t>(x, y, out, [](F a, F b) { return a > b; });
      break;
    case BinaryOp::kGreaterEqual:
      ApplyBinary<F, uint8_t>(x, y, out, [](F a, F b) { return a >= b; });
      break;
    default:
      break;
  }
}

// Returns the ErrorKind of a compute error (integer division by zero,
// negative integer power), or kText for none.
ErrorKind ComputeInt(BinaryOp op, const Tensor& x, const Tensor& y,
                     Tensor& out) {
  using I = int32_t;
  bool error = false;
  ErrorKind kind = ErrorKind::kText;
  switch (op) {
    case BinaryOp::kAdd:
      ApplyBinary<I, I>(x, y, out, WrapAdd);
      break;
    case BinaryOp::kSub:
      ApplyBinary<I, I>(x, y, out, WrapSub);
      break;
    case BinaryOp::kMul:
      ApplyBinary<I, I>(x, y, out, WrapMul);
      break;
    case BinaryOp::kFloorDiv:
      ApplyBinary<I, I>(x, y, out, [&](I a, I b) {
        if (b == 0) {
          error = true;
          return I{0};
        }
        return IntFloorDiv(a, b);
      });
      kind = ErrorKind::kIntegerDivisionByZero;
      break;
    case BinaryOp::kFloorMod:
      ApplyBinary<I, I>(x, y, out, [&](I a, I b) {
        if (b == 0) {
          error = true;
          return I{0};
        }
        return IntFloorMod(a, b);
      });
      kind = ErrorKind::kIntegerDivisionByZero;
      break;
    case BinaryOp::kPow:
      ApplyBinary<I, I>(x, y, out, [&](I a, I b) {
        if (b < 0) {
          error = true;
          return I{0};
        }
        return IntPow(a, b);
      });
      kind = ErrorKind::kIntegerNegativePower;
      break;
    case BinaryOp::kMaximum:
      ApplyBinary<I, I>(x, y, out, [](I a, I b) { return a < b ? b : a; });
      break;
    case BinaryOp::kMinimum:
      ApplyBinary<I, I>(x, y, out, [](I a, I b) { return b < a ? b : a; });
      break;
    case BinaryOp::kSquaredDifference:
      ApplyBinary<I, I>(x, y, out, [](I a, I b) {
        const I d = WrapSub(a, b);
        return WrapMul(d, d);
      });
      break;
    case BinaryOp::kEqual:
      ApplyBinary<I, uint8_t>(x, y, out, [](I a, I b) { return a == b; });
      break;
    case BinaryOp::kNotEqual:
      ApplyBinary<I, uint8_t>(x, y, out, [](I a, I b) { return a != b; });
      break;
    case BinaryOp::kLess:
      ApplyBinary<I, uint8_t>(x, y, out, [](I a, I b) { return a < b; });
      break;
    case BinaryOp::kLessEqual:
      ApplyBinary<I, uint8_t>(x, y, out, [](I a, I b) { return a <= b; });
      break;
    case BinaryOp::kGreater:
      ApplyBinary<I, uint8_t>(x, y, out, [](I a, I b) { return a > b; });
      break;
    case BinaryOp::kGreaterEqual:
      ApplyBinary<I, uint8_t>(x, y, out, [](I a, I b) { return a >= b; });
      break;
    default:
      break;
  }
  return error ? kind : ErrorKind::kText;
}

void ComputeBool(BinaryOp op, const Tensor& x, const Tensor& y, Tensor& out) {
  using B = uint8_t;
  switch (op) {
    case BinaryOp::kEqual:
      ApplyBinary<B, B>(x, y, out, [](B a, B b) { return B(a == b); });
      break;
    case BinaryOp::kNotEqual:
      ApplyBinary<B, B>(x, y, out, [](B a, B b) { return B(a != b); });
      break;
    case BinaryOp::kLogicalAnd:
      ApplyBinary<B, B>(x, y, out, [](B a, B b) { return B(a && b); });
      break;
    case BinaryOp::kLogicalOr:
      ApplyBinary<B, B>(x, y, out, [](B a, B b) { return B(a || b); });
      break;
    default:
      break;
  }
}

// Dtype rules: equal dtypes (checked by the eager executor), then which
// dtypes the op's kernel is registered for.
void CheckBinaryDTypes(BinaryOp op, const Tensor& x, const Tensor& y,
                       std::string_view name) {
  const std::string_view type = BinaryOpType(op);
  if (IsLogical(op)) {
    // LogicalAnd/LogicalOr have fixed bool inputs.
    if (x.dtype() != DType::kBool) {
      RaiseDTypeMismatch(type, 0, DType::kBool, x.dtype(), name);
    }
    if (y.dtype() != DType::kBool) {
      RaiseDTypeMismatch(type, 1, DType::kBool, y.dtype(), name);
    }
    return;
  }
  if (x.dtype() != y.dtype()) {
    RaiseDTypeMismatch(type, 1, x.dtype(), y.dtype(), name);
  }
  const DType t = x.dtype();
  if (op == BinaryOp::kDiv && t == DType::kInt32) {
    RaiseNotSupported(
        "x / y on int32 tensors is true division: TensorFlow casts both "
        "operands to float64 and returns a float64 tensor. The playground "
        "models only float32, int32 and bool; cast to float32 first "
        "(tf.cast(x, tf.float32)) or use // for floor division.");
  }
  if (t == DType::kBool && op != BinaryOp::kEqual &&
      op != BinaryOp::kNotEqual) {
    RaiseNotSupported(
        "TensorFlow has no " + std::string(type) +
        " kernel for bool tensors (it fails with \"Value for attr 'T' of "
        "bool is not in the list of allowed values\"); the playground does "
        "not reproduce that message. Cast to int32 or float32 first.");
  }
}

}  // namespace

Tensor Binary(BinaryOp op, const Tensor& x, const Tensor& y,
              std::string_view name) {
  const std::string type(BinaryOpType(op));
  CheckBinaryDTypes(op, x, y, name);

  int failing_axis = -1;
  const auto out_shape = BroadcastShapes(x.shape(), y.shape(), &failing_axis);
  if (!out_shape) {
    Error e = MakeOpError(ErrorKind::kIncompatibleShapes, type,
                          {x.shape(), y.shape()});
    const int out_rank = std::max(x.rank(), y.rank());
    for (const Tensor* t : {&x, &y}) {
      const int axis = failing_axis - (out_rank - t->rank());
      e.failing_axes.push_back(axis >= 0 ? axis : -1);
    }
    internal::RaiseOp(std::move(e), name);
  }
  const DType out_dtype =
      IsComparison(op) || IsLogical(op) ? DType::kBool : x.dtype();
  Tensor out = Tensor::Uninitialized(out_dtype, *out_shape, type);

  // BinaryOp::Compute: identical shapes and scalar operands take fast paths;
  // otherwise an empty output returns early, and a broadcast that collapses
  // to more than 5 dims is Unimplemented.
  if (x.shape() != y.shape() && x.rank() != 0 && y.rank() != 0 &&
      out.num_elements() > 0 &&
      internal::BCastCollapsedRank({x.shape(), y.shape()}) > 5) {
    Error e = MakeOpError(ErrorKind::kBroadcastNotSupported, type,
                          {x.shape(), y.shape()});
    internal::RaiseOp(std::move(e), name);
  }

  switch (x.dtype()) {
    case DType::kFloat32:
      ComputeFloat(op, x, y, out);
      break;
    case DType::kInt32: {
      const ErrorKind err = ComputeInt(op, x, y, out);
      if (err != ErrorKind::kText) {
        internal::RaiseOp(MakeOpError(err, type, {x.shape(), y.shape()}), name);
      }
      break;
    }
    case DType::kBool:
      ComputeBool(op, x, y, out);
      break;
  }
  return out;
}

Tensor EqualityOperator(const Tensor& x, const Tensor& y, bool not_equal) {
  const BinaryOp op = not_equal ? BinaryOp::kNotEqual : BinaryOp::kEqual;
  if (!BroadcastShapes(x.shape(), y.shape())) {
    CheckBinaryDTypes(op, x, y, "");
    // BinaryOpState with incompatible_shape_error=false: a scalar result.
    Tensor out = Tensor::Zeros(DType::kBool, {}, BinaryOpType(op));
    out.b8()[0] = not_equal ? 1 : 0;
    return out;
  }
  return Binary(op, x, y);
}

Tensor Unary(UnaryOp op, const Tensor& x) {
  const std::string type(UnaryOpType(op));
  if (op == UnaryOp::kLogicalNot) {
    if (x.dtype() != DType::kBool) {
      RaiseDTypeMismatch(type, 0, DType::kBool, x.dtype());
    }
    Tensor out = Tensor::Uninitialized(DType::kBool, x.shape(), type);
    const uint8_t* in = x.b8();
    uint8_t* o = out.b8();
    for (int64_t i = 0; i < x.num_elements(); ++i) o[i] = in[i] ? 0 : 1;
    return out;
  }
  const bool int_ok = op == UnaryOp::kNeg || op == UnaryOp::kAbs ||
                      op == UnaryOp::kSquare || op == UnaryOp::kRelu;
  if (x.dtype() == DType::kBool || (x.dtype() == DType::kInt32 && !int_ok)) {
    RaiseNotSupported("TensorFlow has no " + type + " kernel for " +
                      std::string(DTypeName(x.dtype())) +
                      " tensors (it fails with \"Value for attr 'T' of " +
                      std::string(DTypeName(x.dtype())) +
                      " is not in the list of allowed values\"); the "
                      "playground does not reproduce that message. Cast to "
                      "float32 first.");
  }
  Tensor out = Tensor::Uninitialized(x.dtype(), x.shape(), type);
  const int64_t n = x.num_elements();
  if (x.dtype() == DType::kInt32) {
    const int32_t* in = x.i32();
    int32_t* o = out.i32();
    for (int64_t i = 0; i < n; ++i) {
      const int32_t v = in[i];
      switch (op) {
        case UnaryOp::kNeg:
          o[i] = WrapSub(0, v);
          break;
        case UnaryOp::kAbs:
          o[i] = v < 0 ? WrapSub(0, v) : v;
          break;
        case UnaryOp::kSquare:
          o[i] = WrapMul(v, v);
          break;
        default:  // kRelu
          o[i] = v > 0 ? v : 0;
          break;
      }
    }
    return out;
  }
  const float* in = x.f32();
  float* o = out.f32();
  for (int64_t i = 0; i < n; ++i) {
    const float v = in[i];
    switch (op) {
      case UnaryOp::kNeg:
        o[i] = -v;
        break;
      case UnaryOp::kAbs:
        o[i] = std::fabs(v);
        break;
      case UnaryOp::kSquare:
        o[i] = v * v;
        break;
      case UnaryOp::kSqrt:
        o[i] = std::sqrt(v);
        break;
      case UnaryOp::kRsqrt:
        o[i] = 1.0f / std::sqrt(v);
        break;
      case UnaryOp::kExp:
        o[i] = std::exp(v);
        break;
      case UnaryOp::kLog:
        o[i] = std::log(v);
        break;
      case UnaryOp::kTanh:
        o[i] = std::tanh(v);
        break;
      case UnaryOp::kSigmoid:
        o[i] = 1.0f / (1.0f + std::exp(-v));
        break;
      case UnaryOp::kRelu:
        o[i] = v > 0 ? v : (std::isnan(v) ? v : 0.0f);
        break;
      default:
        break;
    }
  }
  return out;
}

namespace {

// float -> int32 as x86 (cvttss2si) does it, which is what TF's
// static_cast produces on CPU: truncation toward zero, and INT32_MIN for
// NaN and values out of range (in C++ that conversion would be UB).
int32_t FloatToInt32(float v) {
  if (!(v > -2147483649.0f && v < 2147483648.0f)) {
    return std::numeric_limits<int32_t>::min();
  }
  return static_cast<int32_t>(v);
}

}  // namespace

Tensor Cast(const Tensor& x, DType dtype) {
  // tf.cast returns its input unchanged when the dtype already matches.
  if (x.dtype() == dtype) return x;
  Tensor out = Tensor::Uninitialized(dtype, x.shape(), "Cast");
  const int64_t n = x.num_elements();
  for (int64_t i = 0; i < n; ++i) {
    switch (dtype) {
      case DType::kFloat32:
        out.f32()[i] = x.dtype() == DType::kInt32
                           ? static_cast<float>(x.i32()[i])
                           : static_cast<float>(x.b8()[i]);
        break;
      case DType::kInt32:
        out.i32()[i] =
            x.dtype() == DType::kFloat32 ? FloatToInt32(x.f32()[i]) : x.b8()[i];
        break;
      case DType::kBool:
        out.b8()[i] = x.dtype() == DType::kFloat32 ? (x.f32()[i] != 0.0f)
                                                   : (x.i32()[i] != 0);
        break;
    }
  }
  return out;
}

Tensor Where(const Tensor& cond, const Tensor& x, const Tensor& y) {
  const std::string type = "SelectV2";
  if (cond.dtype() != DType::kBool) {
    RaiseDTypeMismatch(type, 0, DType::kBool, cond.dtype());
  }
  if (x.dtype() != y.dtype()) {
    RaiseDTypeMismatch(type, 2, x.dtype(), y.dtype());
  }
  // SelectV2Op::Compute: BCastList<3> over (cond, then, else).
  int fa = -1;
  auto cx = BroadcastShapes(cond.shape(), x.shape(), &fa);
  std::optional<Shape> out_shape;
  if (cx) out_shape = BroadcastShapes(*cx, y.shape(), &fa);
  if (!out_shape) {
    Error e = MakeOpError(ErrorKind::kSelectNotBroadcastable, type,
                          {cond.shape(), x.shape(), y.shape()});
    // Mark, per operand, the first axis (from the right) whose size is
    // neither 1 nor the size the other operands agree on.
    const size_t rank =
        std::max({cond.shape().size(), x.shape().size(), y.shape().size()});
    std::vector<int> axes(3, -1);
    const Shape* shapes[3] = {&cond.shape(), &x.shape(), &y.shape()};
    for (size_t j = 0; j < rank && axes == std::vector<int>(3, -1); ++j) {
      Dim target = 1;
      bool conflict = false;
      for (const Shape* s : shapes) {
        const Dim d = j < s->size() ? (*s)[s->size() - 1 - j] : 1;
        if (d == 1) continue;
        if (target == 1) {
          target = d;
        } else if (d != target) {
          conflict = true;
        }
      }
      if (!conflict) continue;
      for (int k = 0; k < 3; ++k) {
        const Shape& s = *shapes[k];
        if (j < s.size() && s[s.size() - 1 - j] != 1) {
          axes[k] = static_cast<int>(s.size() - 1 - j);
        }
      }
    }
    e.failing_axes = axes;
    Raise(std::move(e));
  }
  Tensor out = Tensor::Uninitialized(x.dtype(), *out_shape, type);
  if (out.num_elements() == 0) return out;
  if (out_shape->size() > 8) {
    // SelectV2 handles up to 8 broadcast dims.
    Raise(MakeOpError(ErrorKind::kBroadcastNotSupported, type,
                      {cond.shape(), x.shape()}));
  }
  std::array<std::vector<int64_t>, 3> strides = {
      BroadcastStrides(cond.shape(), *out_shape),
      BroadcastStrides(x.shape(), *out_shape),
      BroadcastStrides(y.shape(), *out_shape)};
  const uint8_t* c = cond.b8();
  internal::DispatchDType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* xp = Data<T>(x);
    const T* yp = Data<T>(y);
    T* o = Data<T>(out);
    ForEachBroadcast<3>(*out_shape, strides,
                        [&](int64_t i, const std::array<int64_t, 3>& off) {
                          o[i] = c[off[0]] ? xp[off[1]] : yp[off[2]];
                        });
    return 0;
  });
  return out;
}

}  // namespace ap::ops
