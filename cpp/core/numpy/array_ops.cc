// numpy's semantics on ndarrays (numpy/_core, NumPy 2.4): numpy's checks
// and texts first, then the compute through ops/ on tensors of one dtype.
#include "array_ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "../error.h"
#include "../ops/ops.h"
#include "../python/exceptions.h"
#include "../python/format.h"
#include "../python/slice.h"
#include "../repr.h"
#include "ndarray.h"

namespace ap::np {

namespace {

int DTypeRank(DType d) {
  switch (d) {
    case DType::kBool:
      return 0;
    case DType::kInt32:
      return 1;
    case DType::kInt64:
      return 2;
    case DType::kFloat32:
      return 3;
    case DType::kFloat64:
      return 4;
  }
  return 0;
}

// The dtype of a Python scalar on its own (np.asarray(1) is int64).
DType PythonScalarDType(const Value& v) {
  if (v.kind() == Value::Kind::kBool) return DType::kBool;
  if (v.kind() == Value::Kind::kInt) return DType::kInt64;
  return DType::kFloat64;
}

// NEP 50: a Python scalar takes the array's dtype when its kind fits.
DType WithWeakScalar(DType array, const Value& scalar) {
  if (scalar.kind() == Value::Kind::kBool) return array;
  if (scalar.kind() == Value::Kind::kInt) {
    return array == DType::kBool ? DType::kInt64 : array;
  }
  return IsFloatDType(array) ? array : DType::kFloat64;
}

bool IsSequence(const Value& v) {
  return v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple ||
         v.kind() == Value::Kind::kShape;
}

[[noreturn]] void Ragged(const Shape& shape, size_t depth) {
  RaiseValueError(
      "setting an array element with a sequence. The requested array has "
      "an inhomogeneous shape after " +
      std::to_string(depth) + " dimensions. The detected shape was " +
      ShapeToPyString(Shape(shape.begin(), shape.begin() + depth)) +
      " + inhomogeneous part.");
}

// Nested sequences: the shape comes from the first element at each depth;
// every other element must agree (numpy's "inhomogeneous" error).
void CollectLeaves(const Value& v, size_t depth, size_t seq_dims,
                   const Shape& shape, std::vector<Value>* leaves) {
  if (depth < seq_dims) {
    if (!IsSequence(v) ||
        static_cast<int64_t>(v.items().size()) != shape[depth]) {
      Ragged(shape, depth);
    }
    for (const Value& item : v.items()) {
      CollectLeaves(item, depth + 1, seq_dims, shape, leaves);
    }
    return;
  }
  const Shape rest(shape.begin() + depth, shape.end());
  if (IsSequence(v) || (IsArrayLike(v) && ArrayTensorOf(v).shape() != rest) ||
      (!IsArrayLike(v) && !rest.empty())) {
    Ragged(shape, depth);
  }
  leaves->push_back(v);
}

// Writes element `i` of `out` (of its dtype) from a Python number.
void SetElement(Tensor& out, int64_t i, const Value& v) {
  switch (out.dtype()) {
    case DType::kFloat32:
      out.f32()[i] = static_cast<float>(v.as_number());
      break;
    case DType::kFloat64:
      out.f64()[i] = v.as_number();
      break;
    case DType::kInt32:
      out.i32()[i] = static_cast<int32_t>(
          v.kind() == Value::Kind::kFloat ? v.as_float() : v.as_int());
      break;
    case DType::kInt64:
      out.i64()[i] = v.kind() == Value::Kind::kFloat
                         ? static_cast<int64_t>(v.as_float())
                         : v.as_int();
      break;
    case DType::kBool:
      out.b8()[i] = v.as_number() != 0;
      break;
  }
}

}  // namespace

// numpy writes shapes in its errors without spaces: (32,2), (3,), ().
std::string NumpyShapeText(const Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + (shape.size() == 1 ? ",)" : ")");
}

bool IsArrayLike(const Value& v) {
  return IsNdarray(v) || IsNumpyScalar(v) || v.is_tensor();
}

const Tensor& ArrayTensorOf(const Value& v) {
  if (v.is_tensor()) return v.as_tensor();
  return IsNdarray(v) ? NdarrayTensor(v) : NumpyScalarTensor(v);
}

uint8_t* MutableBytes(Tensor& t) {
  switch (t.dtype()) {
    case DType::kFloat32:
      return reinterpret_cast<uint8_t*>(t.f32());
    case DType::kFloat64:
      return reinterpret_cast<uint8_t*>(t.f64());
    case DType::kInt32:
      return reinterpret_cast<uint8_t*>(t.i32());
    case DType::kInt64:
      return reinterpret_cast<uint8_t*>(t.i64());
    case DType::kBool:
      return t.b8();
  }
  return nullptr;
}

// np.broadcast_to for shapes known to broadcast.
Tensor BroadcastTo(const Tensor& t, const Shape& shape) {
  Shape src(shape.size() - t.shape().size(), 1);
  for (int64_t d : t.shape()) src.push_back(d);
  std::vector<int64_t> reps;
  for (size_t i = 0; i < shape.size(); ++i) {
    reps.push_back(src[i] == shape[i] ? 1 : shape[i]);
  }
  return ops::Tile(t.WithShape(src), reps);
}

std::optional<int64_t> IndexInt(const Value& v) {
  if (v.kind() == Value::Kind::kInt) return v.as_int();
  if (IsNumpyScalar(v) && IsIntegerDType(NumpyScalarTensor(v).dtype())) {
    return static_cast<int64_t>(NumpyScalarTensor(v).GetAsDouble(0));
  }
  return std::nullopt;
}

// np.result_type of two array dtypes: an int with float32 needs float64.
DType Promote(DType a, DType b) {
  if (a == b) return a;
  if (IsIntegerDType(a) && b == DType::kFloat32) return DType::kFloat64;
  if (IsIntegerDType(b) && a == DType::kFloat32) return DType::kFloat64;
  return DTypeRank(a) >= DTypeRank(b) ? a : b;
}

Tensor AsType(const Tensor& t, DType dtype) { return ops::Cast(t, dtype); }

Tensor Copy(const Tensor& t) {
  Tensor out = Tensor::Uninitialized(t.dtype(), t.shape(), "copy");
  CurrentBudget()->ChargeElements(t.num_elements(), compute_cost::kWrite,
                                  "copy");
  const size_t bytes = static_cast<size_t>(t.num_elements()) *
                       static_cast<size_t>(DTypeSize(t.dtype()));
  if (bytes > 0) {
    std::memcpy(MutableBytes(out), MutableBytes(const_cast<Tensor&>(t)), bytes);
  }
  return out;
}

std::optional<DType> ParseNumpyDType(const Value& v) {
  if (v.is_none()) return std::nullopt;
  if (std::optional<DType> d = NumpyDTypeOf(v)) return d;
  if (v.kind() == Value::Kind::kDType) return v.as_dtype();
  if (v.kind() == Value::Kind::kStr) {
    if (std::optional<DType> d = ParseDType(v.as_str())) return d;
    if (v.as_str() == "int") return DType::kInt64;
  }
  if (v.kind() == Value::Kind::kObject) {
    // The builtins float, int and bool, as type objects print.
    const std::string text = ap::Repr(v);
    if (text == "<class 'float'>") return DType::kFloat64;
    if (text == "<class 'int'>") return DType::kInt64;
    if (text == "<class 'bool'>") return DType::kBool;
  }
  if (v.kind() != Value::Kind::kStr && v.kind() != Value::Kind::kObject) {
    RaiseTypeError("Cannot interpret '" + ap::Repr(v) + "' as a data type");
  }
  RaiseNotSupported("numpy dtype " + ap::Repr(v) +
                    " is not modelled by the playground (float32, float64, "
                    "int32, int64 and bool are)");
}

Value Wrap(Tensor t) {
  return t.rank() == 0 ? MakeNumpyScalar(std::move(t))
                       : MakeNdarray(std::move(t));
}

Tensor ToArray(const Value& v, std::optional<DType> dtype) {
  if (IsArrayLike(v)) {
    const Tensor& t = ArrayTensorOf(v);
    return dtype && *dtype != t.dtype() ? AsType(t, *dtype) : t;
  }
  if (v.is_number()) {
    const DType d = dtype ? *dtype : PythonScalarDType(v);
    Tensor out = Tensor::Zeros(d, {}, "array");
    SetElement(out, 0, v);
    return out;
  }
  const bool seq = v.kind() == Value::Kind::kList ||
                   v.kind() == Value::Kind::kTuple ||
                   v.kind() == Value::Kind::kShape;
  if (!seq) {
    if (v.is_none() || v.kind() == Value::Kind::kStr ||
        v.kind() == Value::Kind::kDict) {
      RaiseNotSupported("numpy arrays of " + v.TypeName() +
                        " values (dtype=object or str) are not modelled by "
                        "the playground");
    }
    RaiseNotSupported("np.array of a " + v.TypeName() +
                      " is not modelled by the playground");
  }
  Shape shape;
  const Value* first = &v;
  while (IsSequence(*first)) {
    shape.push_back(static_cast<int64_t>(first->items().size()));
    if (shape.size() > 32) {
      RaiseValueError("maximum supported dimension for an ndarray is 64");
    }
    if (first->items().empty()) break;
    first = &first->items()[0];
  }
  const size_t seq_dims = shape.size();
  if (IsArrayLike(*first)) {
    for (int64_t d : ArrayTensorOf(*first).shape()) shape.push_back(d);
  }
  std::vector<Value> leaves;
  CollectLeaves(v, 0, seq_dims, shape, &leaves);
  std::optional<DType> natural;
  for (const Value& leaf : leaves) {
    DType d;
    if (IsArrayLike(leaf)) {
      d = ArrayTensorOf(leaf).dtype();
    } else if (leaf.is_number()) {
      d = PythonScalarDType(leaf);
    } else {
      RaiseNotSupported("numpy arrays of " + leaf.TypeName() +
                        " values (dtype=object or str) are not modelled by "
                        "the playground");
    }
    natural = natural ? Promote(*natural, d) : d;
  }
  const DType out_dtype = dtype ? *dtype : natural.value_or(DType::kFloat64);
  Tensor out = Tensor::Zeros(out_dtype, shape, "array");
  int64_t pos = 0;
  for (const Value& leaf : leaves) {
    if (IsArrayLike(leaf)) {
      Tensor part = AsType(ArrayTensorOf(leaf), out_dtype);
      const int64_t bytes = part.num_elements() * DTypeSize(out_dtype);
      if (bytes > 0) {
        std::memcpy(MutableBytes(out) + pos * DTypeSize(out_dtype),
                    MutableBytes(part), static_cast<size_t>(bytes));
      }
      pos += part.num_elements();
    } else {
      SetElement(out, pos++, leaf);
    }
  }
  return out;
}

namespace {

bool ContainsNumpyValue(const Value& v, int* visits) {
  if (++*visits > 4096) return false;
  if (IsNdarray(v) || IsNumpyScalar(v)) return true;
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    for (const Value& item : v.items()) {
      if (ContainsNumpyValue(item, visits)) return true;
    }
  }
  return false;
}

}  // namespace

bool ContainsNumpyValue(const Value& v) {
  int visits = 0;
  return (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) &&
         ContainsNumpyValue(v, &visits);
}

bool TensorTruth(const Tensor& t) {
  if (t.num_elements() != 1) {
    RaiseValueError(
        t.num_elements() == 0
            ? "The truth value of an empty array is ambiguous. Use "
              "`array.size > 0` to check that an array is not empty."
            : "The truth value of an array with more than one element is "
              "ambiguous. Use a.any() or a.all()");
  }
  return t.GetAsDouble(0) != 0;
}

bool Truth(const Value& x) {
  return IsArrayLike(x) ? TensorTruth(ArrayTensorOf(x)) : true;
}

namespace {

// A numpy dtype or scalar type that is not an array: only == and != apply
// (a.dtype == np.float32, a.dtype == 'float32').
std::optional<bool> DTypeEquality(std::string_view op, const Value& lhs,
                                  const Value& rhs) {
  const std::optional<DType> a = NumpyDTypeOf(lhs);
  const std::optional<DType> b = NumpyDTypeOf(rhs);
  if (!a && !b) return std::nullopt;
  if (op != "==" && op != "!=") {
    RaiseTypeError("'" + std::string(op) +
                   "' not supported between instances of '" + lhs.TypeName() +
                   "' and '" + rhs.TypeName() + "'");
  }
  const Value& other = a ? rhs : lhs;
  std::optional<DType> d;
  if (NumpyDTypeOf(other) || other.kind() == Value::Kind::kDType ||
      (other.kind() == Value::Kind::kStr && ParseDType(other.as_str()))) {
    d = ParseNumpyDType(other);
  }
  const bool equal = d && *d == (a ? *a : *b);
  return op == "==" ? equal : !equal;
}

}  // namespace

// ---- Operators -------------------------------------------------------------

namespace {

struct OperatorInfo {
  std::string_view token;
  ops::BinaryOp op;
};

constexpr OperatorInfo kOperators[] = {
    {"+", ops::BinaryOp::kAdd},           {"-", ops::BinaryOp::kSub},
    {"*", ops::BinaryOp::kMul},           {"/", ops::BinaryOp::kDiv},
    {"//", ops::BinaryOp::kFloorDiv},     {"%", ops::BinaryOp::kFloorMod},
    {"**", ops::BinaryOp::kPow},          {"==", ops::BinaryOp::kEqual},
    {"!=", ops::BinaryOp::kNotEqual},     {"<", ops::BinaryOp::kLess},
    {"<=", ops::BinaryOp::kLessEqual},    {">", ops::BinaryOp::kGreater},
    {">=", ops::BinaryOp::kGreaterEqual}, {"&", ops::BinaryOp::kLogicalAnd},
    {"|", ops::BinaryOp::kLogicalOr},     {"maximum", ops::BinaryOp::kMaximum},
    {"minimum", ops::BinaryOp::kMinimum},
};

}  // namespace

Value BinaryOperator(std::string_view op, const Value& lhs, const Value& rhs,
                     RunContext& ctx) {
  if (op == "%" && lhs.kind() == Value::Kind::kStr) {
    return Value::Str(py::PercentFormat(ctx, lhs.as_str(), rhs));
  }
  if (std::optional<bool> eq = DTypeEquality(op, lhs, rhs)) {
    return Value::Bool(*eq);
  }
  const bool lhs_weak = lhs.is_number();
  const bool rhs_weak = rhs.is_number();
  if (!(lhs_weak || IsArrayLike(lhs) || lhs.is_sequence()) ||
      !(rhs_weak || IsArrayLike(rhs) || rhs.is_sequence())) {
    const Value& other = IsArrayLike(lhs) ? rhs : lhs;
    RaiseNotSupported("the operator " + std::string(op) +
                      " between a numpy array and a " + other.TypeName() +
                      " is not modelled by the playground");
  }
  Tensor a = lhs_weak ? Tensor() : ToArray(lhs);
  Tensor b = rhs_weak ? Tensor() : ToArray(rhs);
  DType dtype;
  if (lhs_weak) {
    dtype = WithWeakScalar(b.dtype(), lhs);
  } else if (rhs_weak) {
    dtype = WithWeakScalar(a.dtype(), rhs);
  } else {
    dtype = Promote(a.dtype(), b.dtype());
  }
  if (op == "/" && !IsFloatDType(dtype)) dtype = DType::kFloat64;
  a = lhs_weak ? ToArray(lhs, dtype) : AsType(a, dtype);
  b = rhs_weak ? ToArray(rhs, dtype) : AsType(b, dtype);
  if (op == "@") return Wrap(MatMul(a, b));
  const OperatorInfo* info = nullptr;
  for (const auto& candidate : kOperators) {
    if (candidate.token == op) info = &candidate;
  }
  if (!info || ((op == "&" || op == "|") && dtype != DType::kBool)) {
    RaiseNotSupported("the operator " + std::string(op) + " on " +
                      std::string(DTypeName(dtype)) +
                      " numpy arrays is not modelled by the playground");
  }
  if (!BroadcastShapes(a.shape(), b.shape())) {
    RaiseValueError("operands could not be broadcast together with shapes " +
                    NumpyShapeText(a.shape()) + " " +
                    NumpyShapeText(b.shape()) + " ");
  }
  ops::BinaryOp bop = info->op;
  if (dtype == DType::kBool) {
    // numpy's bool arithmetic is logic: + is or, * is and.
    if (op == "-") {
      RaiseTypeError(
          "numpy boolean subtract, the `-` operator, is not supported, use "
          "the bitwise_xor, the `^` operator, or the logical_xor function "
          "instead.");
    }
    if (op == "+" || op == "maximum") bop = ops::BinaryOp::kLogicalOr;
    if (op == "*" || op == "minimum") bop = ops::BinaryOp::kLogicalAnd;
  }
  return Wrap(ops::Binary(bop, a, b));
}

Value UnaryOperator(std::string_view op, const Value& x) {
  if (!IsArrayLike(x)) {
    RaiseTypeError("bad operand type for unary " + std::string(op) + ": '" +
                   x.TypeName() + "'");
  }
  const Tensor& t = ArrayTensorOf(x);
  if (op == "+") return Wrap(t);
  if (op == "-" && t.dtype() != DType::kBool) {
    return Wrap(ops::Unary(ops::UnaryOp::kNeg, t));
  }
  if (op == "-") {
    RaiseTypeError(
        "The numpy boolean negative, the `-` operator, is not supported, "
        "use the `~` operator or the logical_not function instead.");
  }
  if (op == "abs") {
    return Wrap(t.dtype() == DType::kBool ? t
                                          : ops::Unary(ops::UnaryOp::kAbs, t));
  }
  if (op == "~" && t.dtype() == DType::kBool) {
    return Wrap(ops::Unary(ops::UnaryOp::kLogicalNot, t));
  }
  RaiseNotSupported("the unary operator " + std::string(op) + " on a " +
                    std::string(DTypeName(t.dtype())) +
                    " numpy array is not modelled by the playground");
}

// ---- Linear algebra --------------------------------------------------------

namespace {

constexpr char kMatmulSignature[] = "(n?,k),(k,m?)->(n?,m?)";

// Integer matmuls go through float64 (exact below 2**53).
Tensor ComputeMatMul(const Tensor& a, const Tensor& b) {
  const DType dtype = Promote(a.dtype(), b.dtype());
  if (IsFloatDType(dtype)) {
    return ops::MatMul(AsType(a, dtype), AsType(b, dtype));
  }
  return AsType(
      ops::MatMul(AsType(a, DType::kFloat64), AsType(b, DType::kFloat64)),
      dtype == DType::kBool ? DType::kBool : dtype);
}

}  // namespace

Tensor MatMul(const Tensor& a, const Tensor& b) {
  for (int i = 0; i < 2; ++i) {
    const Tensor& t = i == 0 ? a : b;
    if (t.rank() == 0) {
      RaiseValueError("matmul: Input operand " + std::to_string(i) +
                      " does not have enough dimensions (has 0, gufunc core "
                      "with signature " +
                      kMatmulSignature + " requires 1)");
    }
  }
  const Tensor a2 = a.rank() == 1 ? a.WithShape({1, a.dim(0)}) : a;
  const Tensor b2 = b.rank() == 1 ? b.WithShape({b.dim(0), 1}) : b;
  const int64_t ak = a2.dim(a2.rank() - 1), bk = b2.dim(b2.rank() - 2);
  if (ak != bk) {
    RaiseValueError(
        "matmul: Input operand 1 has a mismatch in its core dimension 0, "
        "with gufunc signature " +
        std::string(kMatmulSignature) + " (size " + std::to_string(bk) +
        " is different from " + std::to_string(ak) + ")");
  }
  const Shape batch_a(a2.shape().begin(), a2.shape().end() - 2);
  const Shape batch_b(b2.shape().begin(), b2.shape().end() - 2);
  if (!BroadcastShapes(batch_a, batch_b)) {
    // The gufunc's text: each operand's batch dims, its core dims as
    // newaxis, and the core dims of the output.
    auto remapped = [](const Tensor& t) {
      std::string text = NumpyShapeText(t.shape()) + "->(";
      for (int i = 0; i + 2 < t.rank(); ++i) {
        text += std::to_string(t.dim(i)) + ",";
      }
      return text + "newaxis,newaxis)";
    };
    RaiseValueError(
        "operands could not be broadcast together with remapped shapes "
        "[original->remapped]: " +
        remapped(a2) + " " + remapped(b2) + "  and requested shape (" +
        std::to_string(a2.dim(a2.rank() - 2)) + "," +
        std::to_string(b2.dim(b2.rank() - 1)) + ")");
  }
  Tensor out = ComputeMatMul(a2, b2);
  Shape shape = out.shape();
  if (b.rank() == 1) shape.erase(shape.end() - 1);
  if (a.rank() == 1) shape.erase(shape.end() - (b.rank() == 1 ? 1 : 2));
  return out.WithShape(shape);
}

Tensor Dot(const Tensor& a, const Tensor& b) {
  if (a.rank() == 0 || b.rank() == 0) {
    const DType d = Promote(a.dtype(), b.dtype());
    return ops::Binary(ops::BinaryOp::kMul, AsType(a, d), AsType(b, d));
  }
  if (a.rank() > 2 || b.rank() > 2) {
    RaiseNotSupported(
        "np.dot of arrays of rank above 2 is not modelled by the playground; "
        "use np.matmul");
  }
  const int b_axis = b.rank() == 1 ? 0 : b.rank() - 2;
  if (a.dim(a.rank() - 1) != b.dim(b_axis)) {
    RaiseValueError("shapes " + NumpyShapeText(a.shape()) + " and " +
                    NumpyShapeText(b.shape()) +
                    " not aligned: " + std::to_string(a.dim(a.rank() - 1)) +
                    " (dim " + std::to_string(a.rank() - 1) +
                    ") != " + std::to_string(b.dim(b_axis)) + " (dim " +
                    std::to_string(b_axis) + ")");
  }
  return MatMul(a, b);
}

// ---- Shapes and reductions -------------------------------------------------

namespace {

// numpy.exceptions.AxisError, a ValueError (numpy also makes it an
// IndexError; the playground's classes have one base).
[[noreturn]] void RaiseAxisError(std::string text) {
  static const std::shared_ptr<py::ExceptionClass> cls =
      std::make_shared<py::ExceptionClass>("AxisError",
                                           py::FindExceptionClass("ValueError"),
                                           std::nullopt, "numpy.exceptions");
  Error e;
  e.cls = ErrorClass::kValueError;
  e.text = text;
  throw py::PyException(
      Value::FromObject(std::make_shared<py::ExceptionObject>(
          std::move(e), cls.get(), ValueList{Value::Str(std::move(text))})),
      0, 0);
}

}  // namespace

int64_t NormalizeAxis(int64_t axis, int64_t ndim) {
  if (axis < -ndim || axis >= ndim) {
    RaiseAxisError("axis " + std::to_string(axis) +
                   " is out of bounds for array of dimension " +
                   std::to_string(ndim));
  }
  return axis < 0 ? axis + ndim : axis;
}

std::vector<int64_t> ToShapeArg(const Value& v) {
  if (std::optional<int64_t> i = IndexInt(v)) return {*i};
  if (v.is_sequence()) {
    std::vector<int64_t> out;
    for (const Value& item : v.items()) {
      std::optional<int64_t> i = IndexInt(item);
      if (!i) {
        RaiseTypeError("'" + item.TypeName() +
                       "' object cannot be interpreted as an integer");
      }
      out.push_back(*i);
    }
    return out;
  }
  RaiseTypeError("'" + v.TypeName() +
                 "' object cannot be interpreted as an integer");
}

Tensor Transpose(const Tensor& t, const std::vector<int64_t>& axes) {
  if (axes.empty()) return ops::Transpose(t, std::nullopt);
  if (static_cast<int>(axes.size()) != t.rank()) {
    RaiseValueError("axes don't match array");
  }
  std::vector<int64_t> perm;
  std::vector<bool> used(t.rank(), false);
  for (int64_t a : axes) {
    const int64_t axis = NormalizeAxis(a, t.rank());
    if (used[axis]) RaiseValueError("repeated axis in transpose");
    used[axis] = true;
    perm.push_back(axis);
  }
  return ops::Transpose(t, perm);
}

Tensor Reshape(const Tensor& t, std::vector<int64_t> shape) {
  int unknown = -1;
  int64_t known = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (unknown >= 0) {
        RaiseValueError("can only specify one unknown dimension");
      }
      unknown = static_cast<int>(i);
    } else if (shape[i] < 0) {
      RaiseValueError("negative dimensions not allowed");
    } else {
      known *= shape[i];
    }
  }
  const int64_t n = t.num_elements();
  const bool fits = unknown >= 0 ? (known != 0 && n % known == 0) : known == n;
  if (!fits) {
    std::string text = "(";
    for (size_t i = 0; i < shape.size(); ++i) {
      text += (i ? "," : "") +
              (shape[i] == -1 ? "newaxis" : std::to_string(shape[i]));
    }
    text += shape.size() == 1 ? ",)" : ")";
    RaiseValueError("cannot reshape array of size " + std::to_string(n) +
                    " into shape " + text);
  }
  if (unknown >= 0) shape[unknown] = n / known;
  return t.WithShape(shape);
}

Value Reduce(Reduction r, const Tensor& t, const Value& axis, bool keepdims) {
  std::optional<std::vector<int>> axes;
  if (!axis.is_none()) {
    std::vector<int> list;
    for (int64_t a : ToShapeArg(axis)) {
      list.push_back(static_cast<int>(NormalizeAxis(a, t.rank())));
    }
    axes = list;
  }
  if (r == Reduction::kVar || r == Reduction::kStd) {
    // mean(abs(x - x.mean())**2), numpy's _var (numpy/_core/_methods.py).
    const Tensor x = IsFloatDType(t.dtype()) ? t : AsType(t, DType::kFloat64);
    const Tensor mean = ops::Reduce(ops::ReduceOp::kMean, x, axes, true);
    const Tensor d = ops::Binary(ops::BinaryOp::kSub, x, mean);
    Tensor var =
        ops::Reduce(ops::ReduceOp::kMean,
                    ops::Binary(ops::BinaryOp::kMul, d, d), axes, keepdims);
    if (r == Reduction::kStd) var = ops::Unary(ops::UnaryOp::kSqrt, var);
    return Wrap(var);
  }
  if (r == Reduction::kArgMax || r == Reduction::kArgMin) {
    if (axes && axes->size() != 1) {
      RaiseTypeError("'tuple' object cannot be interpreted as an integer");
    }
    if (t.num_elements() == 0) {
      RaiseValueError(std::string("attempt to get ") +
                      (r == Reduction::kArgMax ? "argmax" : "argmin") +
                      " of an empty sequence");
    }
    Tensor x = IsFloatDType(t.dtype()) ? t : AsType(t, DType::kFloat64);
    if (r == Reduction::kArgMin) x = ops::Unary(ops::UnaryOp::kNeg, x);
    const int a = axes ? (*axes)[0] : 0;
    if (!axes) x = x.WithShape({x.num_elements()});
    Tensor out = ops::ArgMax(x, a, DType::kInt64);
    if (keepdims) {
      if (axes) {
        out = ops::ExpandDims(out, a);
      } else {
        out = out.WithShape(Shape(t.rank(), 1));
      }
    }
    return Wrap(out);
  }
  if ((r == Reduction::kMax || r == Reduction::kMin) && t.num_elements() == 0) {
    RaiseValueError(std::string("zero-size array to reduction operation ") +
                    (r == Reduction::kMax ? "maximum" : "minimum") +
                    " which has no identity");
  }
  Tensor x = t;
  ops::ReduceOp op = ops::ReduceOp::kSum;
  switch (r) {
    case Reduction::kSum:
      if (!IsFloatDType(t.dtype())) x = AsType(t, DType::kInt64);
      break;
    case Reduction::kMean:
      op = ops::ReduceOp::kMean;
      if (!IsFloatDType(t.dtype())) x = AsType(t, DType::kFloat64);
      break;
    case Reduction::kMax:
    case Reduction::kMin:
      op = r == Reduction::kMax ? ops::ReduceOp::kMax : ops::ReduceOp::kMin;
      if (t.dtype() == DType::kBool) x = AsType(t, DType::kInt32);
      break;
    case Reduction::kAny:
    case Reduction::kAll:
      op = r == Reduction::kAny ? ops::ReduceOp::kAny : ops::ReduceOp::kAll;
      x = AsType(t, DType::kBool);
      break;
    case Reduction::kProd:
      op = ops::ReduceOp::kProd;
      if (!IsFloatDType(t.dtype())) x = AsType(t, DType::kInt64);
      break;
    default:
      break;
  }
  Tensor out = ops::Reduce(op, x, axes, keepdims);
  if (x.dtype() != t.dtype() && t.dtype() == DType::kBool &&
      (r == Reduction::kMax || r == Reduction::kMin)) {
    out = AsType(out, DType::kBool);
  }
  return Wrap(out);
}

Tensor Round(const Tensor& t, int64_t decimals) {
  Tensor out = Copy(t);
  if (!IsFloatDType(t.dtype())) return out;
  CurrentBudget()->ChargeElements(out.num_elements(),
                                  compute_cost::kTranscendental, "round");
  const double scale =
      std::pow(10.0, static_cast<double>(decimals < 0 ? -decimals : decimals));
  for (int64_t i = 0; i < out.num_elements(); ++i) {
    if (out.dtype() == DType::kFloat32) {
      const float s = static_cast<float>(scale);
      float& v = out.f32()[i];
      v = decimals >= 0 ? std::nearbyint(v * s) / s : std::nearbyint(v / s) * s;
    } else {
      double& v = out.f64()[i];
      v = decimals >= 0 ? std::nearbyint(v * scale) / scale
                        : std::nearbyint(v / scale) * scale;
    }
  }
  return out;
}

Tensor CumSum(const Tensor& t, const Value& axis) {
  Tensor x = t;
  if (x.dtype() == DType::kBool || x.dtype() == DType::kInt32) {
    x = AsType(x, DType::kInt64);
  }
  if (axis.is_none()) return ops::CumSum(x.WithShape({x.num_elements()}), 0);
  return ops::CumSum(
      x, static_cast<int>(NormalizeAxis(ToShapeArg(axis)[0], x.rank())));
}

Value Item(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kFloat32:
      return Value::Float(static_cast<double>(t.f32()[i]));
    case DType::kFloat64:
      return Value::Float(t.f64()[i]);
    case DType::kInt32:
      return Value::Int(t.i32()[i]);
    case DType::kInt64:
      return Value::Int(t.i64()[i]);
    case DType::kBool:
      return Value::Bool(t.b8()[i] != 0);
  }
  return Value::None();
}

namespace {

Value ListAt(const Tensor& t, int axis, int64_t* pos) {
  if (axis == t.rank()) return Item(t, (*pos)++);
  ValueList items;
  for (int64_t i = 0; i < t.dim(axis); ++i) {
    items.push_back(ListAt(t, axis + 1, pos));
  }
  return Value::List(std::move(items));
}

}  // namespace

Value ToList(const Tensor& t) {
  CurrentBudget()->ChargeElements(t.num_elements(), compute_cost::kTensorObject,
                                  "tolist");
  int64_t pos = 0;
  return ListAt(t, 0, &pos);
}

}  // namespace ap::np
