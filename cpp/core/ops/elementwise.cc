// Elementwise ops: binary cwise ops with numpy broadcasting, unary math,
// Cast and SelectV2 (tf.where). Texts: docs/spec/keras-semantics.md §4.2,
// checked against tensorflow/core/kernels/cwise_ops_common.{h,cc} and
// cwise_op_select.cc.
#include <algorithm>
#include <cmath>
#include <limits>

#include "../kernels/eigen_view.h"
// (After eigen_view.h, which configures Eigen: Eigen's erfc, as
// TensorFlow's Erfc kernel.)
#include <unsupported/Eigen/SpecialFunctions>

#include "internal.h"
#include "ops.h"
#include "shape_inference.h"

namespace ap::ops {

using internal::BroadcastStrides;
using internal::Data;
using internal::ForEachBroadcast;
using internal::RaiseDTypeMismatch;
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
    case UnaryOp::kSin:
      return "Sin";
    case UnaryOp::kCos:
      return "Cos";
    case UnaryOp::kErfc:
      return "Erfc";
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
  for (int64_t d : small) count *= d;
  return count > 0;
}

// The loops of one binary op over n contiguous output elements: both
// operands contiguous, or one of them a single repeated element, computed
// as Eigen array expressions over the storage (F applied coefficient-wise,
// so every element gets exactly F's value). They are the only code
// instantiated per op and dtype (and -O3 vectorises them); the broadcasting
// around them is shared by every op (RunBinary). F is a stateless functor.
template <typename T, typename R, typename F>
struct RowLoops {
  static void BothRows(const void* x, const void* y, void* out, int64_t n) {
    kernels::Flat(static_cast<R*>(out), n) =
        kernels::Flat(static_cast<const T*>(x), n)
            .binaryExpr(kernels::Flat(static_cast<const T*>(y), n), F());
  }
  static void RowScalar(const void* x, const void* y, void* out, int64_t n) {
    kernels::Flat(static_cast<R*>(out), n) =
        kernels::Flat(static_cast<const T*>(x), n)
            .binaryExpr(Repeated(*static_cast<const T*>(y), n), F());
  }
  static void ScalarRow(const void* x, const void* y, void* out, int64_t n) {
    kernels::Flat(static_cast<R*>(out), n) =
        Repeated(*static_cast<const T*>(x), n)
            .binaryExpr(kernels::Flat(static_cast<const T*>(y), n), F());
  }

 private:
  // One element seen as n (an Eigen constant expression: no buffer).
  static auto Repeated(T v, int64_t n) {
    return Eigen::Array<T, Eigen::Dynamic, 1>::Constant(
        static_cast<Eigen::Index>(n), v);
  }
};

using RowFn = void (*)(const void* x, const void* y, void* out, int64_t n);

struct BinaryKernel {
  RowFn both_rows;   // out[i] = f(x[i], y[i])
  RowFn row_scalar;  // out[i] = f(x[i], y[0])
  RowFn scalar_row;  // out[i] = f(x[0], y[i])
  size_t in_size;    // bytes per input element
  size_t out_size;   // bytes per output element
};

template <typename T, typename R, typename F>
constexpr BinaryKernel KernelOf() {
  return {&RowLoops<T, R, F>::BothRows, &RowLoops<T, R, F>::RowScalar,
          &RowLoops<T, R, F>::ScalarRow, sizeof(T), sizeof(R)};
}

// `small` repeats as a whole along the leading axes of a `big` operand of
// out's size (a Dense bias, a (Tv,) row): rows of its length, or, when it is
// short, rows of a copy of it repeated to ~1024 elements so that the loops
// stay long.
void RunTrailingBlock(const BinaryKernel& k, const char* big, const char* small,
                      int64_t m, bool small_is_y, char* op, int64_t n) {
  std::vector<char> tiled;
  int64_t row = m;
  if (m < 256) {
    const int64_t copies = (1024 + m - 1) / m;
    row = std::min(n, m * copies);
    tiled.resize(static_cast<size_t>(row) * k.in_size);
    for (int64_t i = 0; i < row; i += m) {
      std::copy(small, small + m * k.in_size, tiled.data() + i * k.in_size);
    }
    small = tiled.data();
  }
  for (int64_t i = 0; i < n; i += row) {
    const int64_t len = std::min(row, n - i);
    const char* b = big + i * k.in_size;
    if (small_is_y) {
      k.both_rows(b, small, op + i * k.out_size, len);
    } else {
      k.both_rows(small, b, op + i * k.out_size, len);
    }
  }
}

// out = f(x, y) over the broadcast shape of `out`.
AP_NOINLINE void RunBinary(const BinaryKernel& k, const Tensor& x,
                           const Tensor& y, Tensor& out) {
  // b8() is the start of any tensor's buffer, as bytes.
  const char* xp = reinterpret_cast<const char*>(x.b8());
  const char* yp = reinterpret_cast<const char*>(y.b8());
  char* op = reinterpret_cast<char*>(out.b8());
  const int64_t n = out.num_elements();
  if (n == 0) return;
  const int64_t nx = x.num_elements();
  const int64_t ny = y.num_elements();
  if (x.shape() == y.shape()) {
    k.both_rows(xp, yp, op, n);
  } else if (ny == 1 && nx == n) {
    k.row_scalar(xp, yp, op, n);
  } else if (nx == 1 && ny == n) {
    k.scalar_row(xp, yp, op, n);
  } else if (nx == n && IsTrailingBlock(y.shape(), out.shape())) {
    RunTrailingBlock(k, xp, yp, ny, true, op, n);
  } else if (ny == n && IsTrailingBlock(x.shape(), out.shape())) {
    RunTrailingBlock(k, yp, xp, nx, false, op, n);
  } else {
    // General broadcast: drop the output's size-1 axes, merge neighbouring
    // axes both operands walk alike, then one loop per innermost row.
    const std::vector<int64_t> sx = BroadcastStrides(x.shape(), out.shape());
    const std::vector<int64_t> sy = BroadcastStrides(y.shape(), out.shape());
    std::vector<int64_t> dims, stx, sty;
    for (size_t d = 0; d < out.shape().size(); ++d) {
      const int64_t len = out.shape()[d];
      if (len == 1) continue;
      if (!dims.empty()) {
        const bool x_merges = stx.back() == sx[d] * len;
        const bool y_merges = sty.back() == sy[d] * len;
        if (x_merges && y_merges) {
          dims.back() *= len;
          stx.back() = sx[d];
          sty.back() = sy[d];
          continue;
        }
      }
      dims.push_back(len);
      stx.push_back(sx[d]);
      sty.push_back(sy[d]);
    }
    // Every remaining axis has length > 1, so one operand at least walks the
    // innermost one (stride 1); the other walks it too or repeats (0).
    const int rank = static_cast<int>(dims.size());
    const int64_t inner = dims[rank - 1];
    const RowFn row = stx[rank - 1] == 0   ? k.scalar_row
                      : sty[rank - 1] == 0 ? k.row_scalar
                                           : k.both_rows;
    std::vector<int64_t> idx(rank, 0);
    int64_t bx = 0, by = 0;
    for (int64_t o = 0; o < n; o += inner) {
      row(xp + bx * k.in_size, yp + by * k.in_size, op + o * k.out_size, inner);
      for (int d = rank - 2; d >= 0; --d) {
        bx += stx[d];
        by += sty[d];
        if (++idx[d] < dims[d]) break;
        bx -= stx[d] * dims[d];
        by -= sty[d] * dims[d];
        idx[d] = 0;
      }
    }
  }
}

// TF's functors for integer floor division / modulo (cwise_ops.h
// google_floor_div / google_floor_fmod), with INT_MIN / -1 wrapping instead
// of trapping. I is int32_t or int64_t.
template <typename I>
I IntFloorDiv(I x, I y) {
  if (y == -1) return WrapSub(I{0}, x);
  I q = x / y;
  const I r = x % y;
  if (r != 0 && ((r < 0) != (y < 0))) --q;
  return q;
}

template <typename I>
I IntFloorMod(I x, I y) {
  if (y == -1) return 0;
  const I r = x % y;
  return (r != 0 && ((y < 0) != (r < 0))) ? r + y : r;
}

template <typename I>
I IntPow(I base, I exp) {
  I result = 1;
  while (exp > 0) {
    if (exp & 1) result = WrapMul(result, base);
    exp >>= 1;
    if (exp) base = WrapMul(base, base);
  }
  return result;
}

// The functors of the binary ops (stateless, so RowLoops can make them).
#define AP_BINARY_FUNCTOR(Name, expr) \
  struct Name {                       \
    template <typename T>             \
    auto operator()(T a, T b) const { \
      return expr;                    \
    }                                 \
  };
AP_BINARY_FUNCTOR(AddF, a + b)
AP_BINARY_FUNCTOR(SubF, a - b)
AP_BINARY_FUNCTOR(MulF, a* b)
AP_BINARY_FUNCTOR(DivF, a / b)
AP_BINARY_FUNCTOR(FloorDivF, std::floor(a / b))
AP_BINARY_FUNCTOR(SquaredDifferenceF, (a - b) * (a - b))
AP_BINARY_FUNCTOR(EqualF, uint8_t(a == b))
AP_BINARY_FUNCTOR(NotEqualF, uint8_t(a != b))
AP_BINARY_FUNCTOR(LessF, uint8_t(a < b))
AP_BINARY_FUNCTOR(LessEqualF, uint8_t(a <= b))
AP_BINARY_FUNCTOR(GreaterF, uint8_t(a > b))
AP_BINARY_FUNCTOR(GreaterEqualF, uint8_t(a >= b))
AP_BINARY_FUNCTOR(IntAddF, WrapAdd(a, b))
AP_BINARY_FUNCTOR(IntSubF, WrapSub(a, b))
AP_BINARY_FUNCTOR(IntMulF, WrapMul(a, b))
// Division by zero and negative powers are found before the loop (every
// element of y takes part when out is not empty) and raise; 0 meanwhile.
AP_BINARY_FUNCTOR(IntFloorDivF, b == 0 ? 0 : IntFloorDiv(a, b))
AP_BINARY_FUNCTOR(IntFloorModF, b == 0 ? 0 : IntFloorMod(a, b))
AP_BINARY_FUNCTOR(IntPowF, b < 0 ? 0 : IntPow(a, b))
AP_BINARY_FUNCTOR(IntMaximumF, a < b ? b : a)
AP_BINARY_FUNCTOR(IntMinimumF, b < a ? b : a)
AP_BINARY_FUNCTOR(IntSquaredDifferenceF, WrapMul(WrapSub(a, b), WrapSub(a, b)))
AP_BINARY_FUNCTOR(LogicalAndF, uint8_t(a&& b))
AP_BINARY_FUNCTOR(LogicalOrF, uint8_t(a || b))
#undef AP_BINARY_FUNCTOR

struct FloatFloorModF {
  template <typename T>
  T operator()(T a, T b) const {
    const T trunc_mod = std::fmod(a, b);
    return (trunc_mod != 0 && ((b < 0) != (trunc_mod < 0))) ? trunc_mod + b
                                                            : trunc_mod;
  }
};
struct FloatPowF {
  template <typename T>
  T operator()(T a, T b) const {
    return std::pow(a, b);
  }
};
// Eigen's scalar_max/min propagate NaN from either side like TF on CPU.
struct FloatMaximumF {
  template <typename T>
  T operator()(T a, T b) const {
    return (std::isnan(a) || std::isnan(b))
               ? std::numeric_limits<T>::quiet_NaN()
               : (a < b ? b : a);
  }
};
struct FloatMinimumF {
  template <typename T>
  T operator()(T a, T b) const {
    return (std::isnan(a) || std::isnan(b))
               ? std::numeric_limits<T>::quiet_NaN()
               : (b < a ? b : a);
  }
};

// F is float or double.
template <typename F>
const BinaryKernel* FloatKernel(BinaryOp op) {
  using B = uint8_t;
  static constexpr BinaryKernel kAdd = KernelOf<F, F, AddF>();
  static constexpr BinaryKernel kSub = KernelOf<F, F, SubF>();
  static constexpr BinaryKernel kMul = KernelOf<F, F, MulF>();
  static constexpr BinaryKernel kDiv = KernelOf<F, F, DivF>();
  static constexpr BinaryKernel kFloorDiv = KernelOf<F, F, FloorDivF>();
  static constexpr BinaryKernel kFloorMod = KernelOf<F, F, FloatFloorModF>();
  static constexpr BinaryKernel kPow = KernelOf<F, F, FloatPowF>();
  static constexpr BinaryKernel kMaximum = KernelOf<F, F, FloatMaximumF>();
  static constexpr BinaryKernel kMinimum = KernelOf<F, F, FloatMinimumF>();
  static constexpr BinaryKernel kSqDiff = KernelOf<F, F, SquaredDifferenceF>();
  static constexpr BinaryKernel kEqual = KernelOf<F, B, EqualF>();
  static constexpr BinaryKernel kNotEqual = KernelOf<F, B, NotEqualF>();
  static constexpr BinaryKernel kLess = KernelOf<F, B, LessF>();
  static constexpr BinaryKernel kLessEqual = KernelOf<F, B, LessEqualF>();
  static constexpr BinaryKernel kGreater = KernelOf<F, B, GreaterF>();
  static constexpr BinaryKernel kGreaterEqual = KernelOf<F, B, GreaterEqualF>();
  switch (op) {
    case BinaryOp::kAdd:
      return &kAdd;
    case BinaryOp::kSub:
      return &kSub;
    case BinaryOp::kMul:
      return &kMul;
    case BinaryOp::kDiv:
      return &kDiv;
    case BinaryOp::kFloorDiv:
      return &kFloorDiv;
    case BinaryOp::kFloorMod:
      return &kFloorMod;
    case BinaryOp::kPow:
      return &kPow;
    case BinaryOp::kMaximum:
      return &kMaximum;
    case BinaryOp::kMinimum:
      return &kMinimum;
    case BinaryOp::kSquaredDifference:
      return &kSqDiff;
    case BinaryOp::kEqual:
      return &kEqual;
    case BinaryOp::kNotEqual:
      return &kNotEqual;
    case BinaryOp::kLess:
      return &kLess;
    case BinaryOp::kLessEqual:
      return &kLessEqual;
    case BinaryOp::kGreater:
      return &kGreater;
    case BinaryOp::kGreaterEqual:
      return &kGreaterEqual;
    default:
      return nullptr;
  }
}

// I is int32_t or int64_t.
template <typename I>
const BinaryKernel* IntKernel(BinaryOp op) {
  using B = uint8_t;
  static constexpr BinaryKernel kAdd = KernelOf<I, I, IntAddF>();
  static constexpr BinaryKernel kSub = KernelOf<I, I, IntSubF>();
  static constexpr BinaryKernel kMul = KernelOf<I, I, IntMulF>();
  static constexpr BinaryKernel kFloorDiv = KernelOf<I, I, IntFloorDivF>();
  static constexpr BinaryKernel kFloorMod = KernelOf<I, I, IntFloorModF>();
  static constexpr BinaryKernel kPow = KernelOf<I, I, IntPowF>();
  static constexpr BinaryKernel kMaximum = KernelOf<I, I, IntMaximumF>();
  static constexpr BinaryKernel kMinimum = KernelOf<I, I, IntMinimumF>();
  static constexpr BinaryKernel kSqDiff =
      KernelOf<I, I, IntSquaredDifferenceF>();
  static constexpr BinaryKernel kEqual = KernelOf<I, B, EqualF>();
  static constexpr BinaryKernel kNotEqual = KernelOf<I, B, NotEqualF>();
  static constexpr BinaryKernel kLess = KernelOf<I, B, LessF>();
  static constexpr BinaryKernel kLessEqual = KernelOf<I, B, LessEqualF>();
  static constexpr BinaryKernel kGreater = KernelOf<I, B, GreaterF>();
  static constexpr BinaryKernel kGreaterEqual = KernelOf<I, B, GreaterEqualF>();
  switch (op) {
    case BinaryOp::kAdd:
      return &kAdd;
    case BinaryOp::kSub:
      return &kSub;
    case BinaryOp::kMul:
      return &kMul;
    case BinaryOp::kFloorDiv:
      return &kFloorDiv;
    case BinaryOp::kFloorMod:
      return &kFloorMod;
    case BinaryOp::kPow:
      return &kPow;
    case BinaryOp::kMaximum:
      return &kMaximum;
    case BinaryOp::kMinimum:
      return &kMinimum;
    case BinaryOp::kSquaredDifference:
      return &kSqDiff;
    case BinaryOp::kEqual:
      return &kEqual;
    case BinaryOp::kNotEqual:
      return &kNotEqual;
    case BinaryOp::kLess:
      return &kLess;
    case BinaryOp::kLessEqual:
      return &kLessEqual;
    case BinaryOp::kGreater:
      return &kGreater;
    case BinaryOp::kGreaterEqual:
      return &kGreaterEqual;
    default:
      return nullptr;
  }
}

const BinaryKernel* BoolKernel(BinaryOp op) {
  using B = uint8_t;
  static constexpr BinaryKernel kEqual = KernelOf<B, B, EqualF>();
  static constexpr BinaryKernel kNotEqual = KernelOf<B, B, NotEqualF>();
  static constexpr BinaryKernel kAnd = KernelOf<B, B, LogicalAndF>();
  static constexpr BinaryKernel kOr = KernelOf<B, B, LogicalOrF>();
  switch (op) {
    case BinaryOp::kEqual:
      return &kEqual;
    case BinaryOp::kNotEqual:
      return &kNotEqual;
    case BinaryOp::kLogicalAnd:
      return &kAnd;
    case BinaryOp::kLogicalOr:
      return &kOr;
    default:
      return nullptr;
  }
}

// The compute error of an int32 op (integer division by zero, negative
// integer power), or kText for none. Called only when out is not empty, so
// every element of y takes part.
template <typename I>
ErrorKind IntComputeError(BinaryOp op, const Tensor& y) {
  const I* yp = Data<I>(y);
  const int64_t n = y.num_elements();
  if (op == BinaryOp::kFloorDiv || op == BinaryOp::kFloorMod) {
    for (int64_t i = 0; i < n; ++i) {
      if (yp[i] == 0) return ErrorKind::kIntegerDivisionByZero;
    }
  } else if (op == BinaryOp::kPow) {
    for (int64_t i = 0; i < n; ++i) {
      if (yp[i] < 0) return ErrorKind::kIntegerNegativePower;
    }
  }
  return ErrorKind::kText;
}

// Dtype rules: equal dtypes (checked by the eager executor), then which
// dtypes the op's kernel is registered for.
AP_MINSIZE void CheckBinaryDTypes(BinaryOp op, const Tensor& x, const Tensor& y,
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
  if (t == DType::kBool && op != BinaryOp::kEqual &&
      op != BinaryOp::kNotEqual) {
    internal::RaiseAttrNotAllowed(type, t, name);
  }
}

}  // namespace

AP_MINSIZE Tensor Binary(BinaryOp op, const Tensor& x, const Tensor& y,
                         std::string_view name) {
  const std::string type(BinaryOpType(op));
  if (op == BinaryOp::kDiv && x.dtype() != y.dtype()) {
    // x / y is math_ops._truediv_python3 (TF 2.21), which checks the
    // dtypes in Python before any op runs.
    RaiseText(ErrorClass::kTypeError,
              "`x` and `y` must have the same dtype, got tf." +
                  std::string(DTypeName(x.dtype())) + " != tf." +
                  std::string(DTypeName(y.dtype())) + ".");
  }
  CheckBinaryDTypes(op, x, y, name);
  if (op == BinaryOp::kDiv && IsIntegerDType(x.dtype())) {
    // x / y on integers is Python's true division: math_ops._truediv_python3
    // (TF 2.21) casts int32 and int64 operands to float64, then RealDiv.
    return Binary(op, Cast(x, DType::kFloat64), Cast(y, DType::kFloat64), name);
  }

  const Shape out_shape = Concrete(InferBinaryShape(
      op, ToPartialShape(x.shape()), ToPartialShape(y.shape()), name));
  const DType out_dtype =
      IsComparison(op) || IsLogical(op) ? DType::kBool : x.dtype();
  Tensor out = Tensor::Uninitialized(out_dtype, out_shape, type);

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

  const BinaryKernel* kernel = nullptr;
  auto int_kernel = [&](auto tag) {
    using I = decltype(tag);
    if (out.num_elements() > 0) {
      const ErrorKind err = IntComputeError<I>(op, y);
      if (err != ErrorKind::kText) {
        internal::RaiseOp(MakeOpError(err, type, {x.shape(), y.shape()}), name);
      }
    }
    return IntKernel<I>(op);
  };
  switch (x.dtype()) {
    case DType::kFloat32:
      kernel = FloatKernel<float>(op);
      break;
    case DType::kFloat64:
      kernel = FloatKernel<double>(op);
      break;
    case DType::kInt32:
      kernel = int_kernel(int32_t{});
      break;
    case DType::kInt64:
      kernel = int_kernel(int64_t{});
      break;
    case DType::kBool:
      kernel = BoolKernel(op);
      break;
  }
  if (kernel != nullptr) RunBinary(*kernel, x, y, out);
  return out;
}

AP_MINSIZE Tensor EqualityOperator(const Tensor& x, const Tensor& y,
                                   bool not_equal) {
  const BinaryOp op = not_equal ? BinaryOp::kNotEqual : BinaryOp::kEqual;
  if (!BroadcastShapes(x.shape(), y.shape())) {
    CheckBinaryDTypes(op, x, y, "");
    // BinaryOpState with incompatible_shape_error=false: a scalar result.
    const Shape out_shape = Concrete(InferEqualityShape(
        ToPartialShape(x.shape()), ToPartialShape(y.shape())));
    Tensor out = Tensor::Zeros(DType::kBool, out_shape, BinaryOpType(op));
    out.b8()[0] = not_equal ? 1 : 0;
    return out;
  }
  return Binary(op, x, y);
}

namespace {

// Integer Neg, Abs, Square and Relu, wrapping like TF on CPU: as unsigned
// (modular) arithmetic, where C++'s signed overflow would be UB. I is
// int32_t or int64_t.
template <typename I>
AP_NOINLINE void UnaryInt(UnaryOp op, const I* in, I* o, int64_t n) {
  using U = std::make_unsigned_t<I>;
  constexpr int kSignBit = sizeof(I) * 8 - 1;
  const auto x = kernels::Flat(reinterpret_cast<const U*>(in), n);
  auto y = kernels::Flat(reinterpret_cast<U*>(o), n);
  switch (op) {
    case UnaryOp::kNeg:
      y = U{0} - x;
      break;
    case UnaryOp::kAbs:  // INT_MIN stays INT_MIN
      y = x.unaryExpr([](U v) { return v >> kSignBit ? U{0} - v : v; });
      break;
    case UnaryOp::kSquare:
      y = x * x;
      break;
    default:  // kRelu
      kernels::Flat(o, n) = kernels::Flat(in, n).max(I{0});
      break;
  }
}

// Float unary math through Eigen. The transcendental ones call the C
// library's functions per element, not Eigen's vectorised exp/log/tanh:
// those exist natively (SSE) but not in the WASM build (Eigen 3.4 has no
// SIMD128 backend, so it calls std::exp there), and the two builds must print
// the same digits. Neg, Abs, Square, Sqrt and the reciprocal are exact
// either way (EIGEN_FAST_MATH is 0: kernels/eigen_view.h).
template <typename F>
AP_NOINLINE void UnaryFloat(UnaryOp op, const F* in, F* o, int64_t n) {
  const auto x = kernels::Flat(in, n);
  auto y = kernels::Flat(o, n);
  switch (op) {
    case UnaryOp::kNeg:
      y = -x;
      break;
    case UnaryOp::kAbs:
      y = x.abs();
      break;
    case UnaryOp::kSquare:
      y = x.square();
      break;
    case UnaryOp::kSqrt:
      y = x.sqrt();
      break;
    case UnaryOp::kRsqrt:
      y = x.sqrt().inverse();
      break;
    case UnaryOp::kExp:
      y = x.unaryExpr([](F v) { return std::exp(v); });
      break;
    case UnaryOp::kLog:
      y = x.unaryExpr([](F v) { return std::log(v); });
      break;
    case UnaryOp::kTanh:
      y = x.unaryExpr([](F v) { return std::tanh(v); });
      break;
    case UnaryOp::kSin:
      y = x.unaryExpr([](F v) { return std::sin(v); });
      break;
    case UnaryOp::kCos:
      y = x.unaryExpr([](F v) { return std::cos(v); });
      break;
    case UnaryOp::kErfc:
      // Eigen's erfc, as TensorFlow's Erfc kernel computes it.
      y = x.erfc();
      break;
    case UnaryOp::kSigmoid:
      y = x.unaryExpr([](F v) { return F{1} / (F{1} + std::exp(-v)); });
      break;
    case UnaryOp::kRelu:  // NaN stays NaN
      y = x.unaryExpr(
          [](F v) { return v > 0 ? v : (std::isnan(v) ? v : F{0}); });
      break;
    default:
      break;
  }
}

}  // namespace

Tensor Unary(UnaryOp op, const Tensor& x) {
  const std::string type(UnaryOpType(op));
  if (op == UnaryOp::kLogicalNot) {
    if (x.dtype() != DType::kBool) {
      RaiseDTypeMismatch(type, 0, DType::kBool, x.dtype());
    }
    Tensor out = Tensor::Uninitialized(DType::kBool, x.shape(), type);
    const int64_t n = x.num_elements();
    kernels::Flat(out.b8(), n) =
        (kernels::Flat(x.b8(), n) == uint8_t{0}).cast<uint8_t>();
    return out;
  }
  const bool int_ok = op == UnaryOp::kNeg || op == UnaryOp::kAbs ||
                      op == UnaryOp::kSquare || op == UnaryOp::kRelu;
  if (x.dtype() == DType::kBool || (IsIntegerDType(x.dtype()) && !int_ok)) {
    internal::RaiseAttrNotAllowed(type, x.dtype());
  }
  // InferUnaryShape: the operand's shape (taken directly: this path runs
  // in the first verdict, and the conversion costs first-load bytes).
  Tensor out = Tensor::Uninitialized(x.dtype(), x.shape(), type);
  if (op == UnaryOp::kExp || op == UnaryOp::kLog || op == UnaryOp::kTanh ||
      op == UnaryOp::kSigmoid || op == UnaryOp::kSin || op == UnaryOp::kCos ||
      op == UnaryOp::kErfc) {
    CurrentBudget()->ChargeElements(x.num_elements(),
                                    compute_cost::kTranscendental, type);
  }
  const int64_t n = x.num_elements();
  switch (x.dtype()) {
    case DType::kInt32:
      UnaryInt(op, x.i32(), out.i32(), n);
      break;
    case DType::kInt64:
      UnaryInt(op, x.i64(), out.i64(), n);
      break;
    case DType::kFloat64:
      UnaryFloat(op, x.f64(), out.f64(), n);
      break;
    default:
      UnaryFloat(op, x.f32(), out.f32(), n);
      break;
  }
  return out;
}

namespace {

// float/double -> int32/int64 as x86 (cvttss2si, cvttsd2si) does it, which
// is what TF's static_cast produces on CPU: truncation toward zero, and the
// most negative integer for NaN and values out of range (in C++ that
// conversion would be UB).
template <typename I, typename F>
I FloatToInt(F v) {
  constexpr F kLimit = static_cast<F>(-static_cast<double>(
      std::numeric_limits<I>::min()));  // 2**31 or 2**63, exact
  if (!(v >= -kLimit && v < kLimit)) return std::numeric_limits<I>::min();
  return static_cast<I>(v);
}

// out = x's elements converted to To (the dtypes differ).
template <typename From, typename To>
void CastElements(const From* in, To* out, int64_t n) {
  const auto x = kernels::Flat(in, n);
  auto y = kernels::Flat(out, n);
  if constexpr (std::is_same_v<To, uint8_t>) {
    y = (x != From{0}).template cast<uint8_t>();
  } else if constexpr (std::is_floating_point_v<From> &&
                       std::is_integral_v<To>) {
    y = x.unaryExpr([](From v) { return FloatToInt<To>(v); });
  } else if constexpr (std::is_integral_v<From> && std::is_integral_v<To> &&
                       sizeof(To) < sizeof(From)) {
    // int64 -> int32 keeps the low 32 bits (modular, like TF on CPU).
    y = x.unaryExpr([](From v) {
      return static_cast<To>(static_cast<std::make_unsigned_t<To>>(v));
    });
  } else {
    y = x.template cast<To>();
  }
}

}  // namespace

Tensor Cast(const Tensor& x, DType dtype) {
  // tf.cast returns its input unchanged when the dtype already matches.
  if (x.dtype() == dtype) return x;
  // InferUnaryShape: the operand's shape.
  Tensor out = Tensor::Uninitialized(dtype, x.shape(), "Cast");
  const int64_t n = x.num_elements();
  internal::DispatchDType(x.dtype(), [&](auto from_tag) {
    using From = decltype(from_tag);
    internal::DispatchDType(dtype, [&](auto to_tag) {
      using To = decltype(to_tag);
      if constexpr (!std::is_same_v<From, To>) {
        CastElements(Data<From>(x), Data<To>(out), n);
      }
      return 0;
    });
    return 0;
  });
  return out;
}

namespace {

// Where's select loop: -O3 (Where around it is compiled for size).
template <typename T>
AP_NOINLINE void SelectCopy(
    const uint8_t* c, const T* xp, const T* yp, T* o, const Shape& out_shape,
    const std::array<std::vector<int64_t>, 3>& strides) {
  ForEachBroadcast<3>(out_shape, strides,
                      [&](int64_t i, const std::array<int64_t, 3>& off) {
                        o[i] = c[off[0]] ? xp[off[1]] : yp[off[2]];
                      });
}

}  // namespace

AP_MINSIZE Tensor Where(const Tensor& cond, const Tensor& x, const Tensor& y) {
  const std::string type = "SelectV2";
  if (cond.dtype() != DType::kBool) {
    RaiseDTypeMismatch(type, 0, DType::kBool, cond.dtype());
  }
  if (x.dtype() != y.dtype()) {
    RaiseDTypeMismatch(type, 2, x.dtype(), y.dtype());
  }
  const Shape out_shape = Concrete(InferWhereShape(ToPartialShape(cond.shape()),
                                                   ToPartialShape(x.shape()),
                                                   ToPartialShape(y.shape())));
  Tensor out = Tensor::Uninitialized(x.dtype(), out_shape, type);
  if (out.num_elements() == 0) return out;
  if (out_shape.size() > 8) {
    // SelectV2 handles up to 8 broadcast dims.
    RaiseOpError(ErrorKind::kBroadcastNotSupported, type,
                 {cond.shape(), x.shape()});
  }
  std::array<std::vector<int64_t>, 3> strides = {
      BroadcastStrides(cond.shape(), out_shape),
      BroadcastStrides(x.shape(), out_shape),
      BroadcastStrides(y.shape(), out_shape)};
  const uint8_t* c = cond.b8();
  internal::DispatchElementSize(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    SelectCopy(c, internal::Raw<T>(x), internal::Raw<T>(y),
               internal::Raw<T>(out), out_shape, strides);
    return 0;
  });
  return out;
}

}  // namespace ap::ops
