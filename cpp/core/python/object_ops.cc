#include "object_ops.h"

#include <cmath>
#include <limits>
#include <unordered_set>

#include "../error.h"
#include "../repr.h"
#include "classes.h"
#include "exceptions.h"
#include "format.h"
#include "framework.h"
#include "iterators.h"
#include "native_array.h"
#include "native_iterable.h"
#include "runtime.h"
#include "slice.h"

namespace ap::py {

namespace {

using VK = Value::Kind;

[[noreturn]] void RaiseOverflow() {
  RaiseText(ErrorClass::kNotSupportedError,
            "integer overflow: the result does not fit in 64 bits (the "
            "playground's ints are 64-bit, Python's are unbounded)");
}

bool IsIntLike(const Value& v) {
  return v.kind() == VK::kInt || v.kind() == VK::kBool;
}

std::string TypeNameOf(const Value& v) { return v.TypeName(); }

[[noreturn]] void Unsupported(std::string_view op, const Value& a,
                              const Value& b) {
  RaiseTypeError("unsupported operand type(s) for " + std::string(op) + ": '" +
                 TypeNameOf(a) + "' and '" + TypeNameOf(b) + "'");
}

double FloorDiv(double a, double b) {
  double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1.0;
  if (div == 0) return std::copysign(0.0, a / b);
  double floordiv = std::floor(div);
  if (div - floordiv > 0.5) floordiv += 1.0;
  return floordiv;
}

double FloatMod(double a, double b) {
  double mod = std::fmod(a, b);
  if (mod != 0) {
    if ((b < 0) != (mod < 0)) mod += b;
  } else {
    mod = std::copysign(0.0, b);
  }
  return mod;
}

Value IntPow(int64_t base, int64_t exp) {
  if (exp < 0) {
    if (base == 0) {
      RaiseText(ErrorClass::kZeroDivisionError,
                "0.0 cannot be raised to a negative power");
    }
    return Value::Float(
        std::pow(static_cast<double>(base), static_cast<double>(exp)));
  }
  int64_t result = 1;
  int64_t b = base;
  while (exp > 0) {
    if (exp & 1) result = CheckedMul(result, b);
    exp >>= 1;
    if (exp > 0) b = CheckedMul(b, b);
  }
  return Value::Int(result);
}

Value Repeat(RunContext& ctx, const Value& seq, int64_t n) {
  if (n < 0) n = 0;
  if (seq.kind() == VK::kStr) {
    const std::string& s = seq.as_str();
    if (!s.empty() && n > 0) {
      RuntimeOf(ctx).CheckLength(CheckedMul(static_cast<int64_t>(s.size()), n),
                                 "string repetition");
    }
    std::string out;
    if (!s.empty()) {
      RuntimeOf(ctx).ChargeWork(static_cast<int64_t>(s.size()) * n);
      out.reserve(s.size() * static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) out += s;
    }
    return Value::Str(std::move(out));
  }
  const ValueList& items = seq.items();
  ValueList out;
  if (!items.empty() && n > 0) {
    RuntimeOf(ctx).CheckLength(
        CheckedMul(static_cast<int64_t>(items.size()), n), "list repetition");
    RuntimeOf(ctx).ChargeWork(static_cast<int64_t>(items.size()) * n);
    out.reserve(items.size() * static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
      out.insert(out.end(), items.begin(), items.end());
  }
  return seq.kind() == VK::kList ? Value::List(std::move(out))
                                 : Value::Tuple(std::move(out));
}

Value Concat(RunContext& ctx, const Value& a, const Value& b) {
  RuntimeOf(ctx).CheckLength(
      static_cast<int64_t>(a.items().size() + b.items().size()),
      "concatenation");
  RuntimeOf(ctx).ChargeWork(
      static_cast<int64_t>(a.items().size() + b.items().size()));
  ValueList out = a.items();
  out.insert(out.end(), b.items().begin(), b.items().end());
  return a.kind() == VK::kList ? Value::List(std::move(out))
                               : Value::Tuple(std::move(out));
}

// CPython's PySlice_AdjustIndices.
int64_t AdjustSlice(int64_t length, int64_t* start, int64_t* stop,
                    int64_t step) {
  if (*start < 0) {
    *start += length;
    if (*start < 0) *start = (step < 0) ? -1 : 0;
  } else if (*start >= length) {
    *start = (step < 0) ? length - 1 : length;
  }
  if (*stop < 0) {
    *stop += length;
    if (*stop < 0) *stop = (step < 0) ? -1 : 0;
  } else if (*stop >= length) {
    *stop = (step < 0) ? length - 1 : length;
  }
  if (step < 0) {
    if (*stop < *start) return (*start - *stop - 1) / (-step) + 1;
  } else if (*start < *stop) {
    return (*stop - *start - 1) / step + 1;
  }
  return 0;
}

int64_t SliceIndex(const Value& v, int64_t dflt) {
  if (v.is_none()) return dflt;
  if (IsIntLike(v)) return v.as_int();
  RaiseTypeError(
      "slice indices must be integers or None or have an __index__ method");
}

// Resolves a slice against `length`: the indices it selects.
std::vector<int64_t> SliceIndices(const SliceObject& s, int64_t length) {
  int64_t step = SliceIndex(s.step, 1);
  if (step == 0) RaiseValueError("slice step cannot be zero");
  if (step < -std::numeric_limits<int64_t>::max())
    step = -std::numeric_limits<int64_t>::max();
  int64_t start =
      SliceIndex(s.start, step < 0 ? std::numeric_limits<int64_t>::max() : 0);
  int64_t stop =
      SliceIndex(s.stop, step < 0 ? std::numeric_limits<int64_t>::min()
                                  : std::numeric_limits<int64_t>::max());
  const int64_t n = AdjustSlice(length, &start, &stop, step);
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out.push_back(start + i * step);
  return out;
}

const SliceObject* AsSlice(const Value& v) {
  if (v.kind() != VK::kObject) return nullptr;
  return dynamic_cast<const SliceObject*>(v.as_object().get());
}

const RangeObject* AsRange(const Value& v) {
  if (v.kind() != VK::kObject) return nullptr;
  return dynamic_cast<const RangeObject*>(v.as_object().get());
}

int64_t NormalizeIndex(int64_t i, int64_t length, const char* what) {
  if (i < 0) i += length;
  if (i < 0 || i >= length) {
    RaiseText(ErrorClass::kIndexError,
              std::string(what) + " index out of range");
  }
  return i;
}

bool IsAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// Lexicographic comparison of sequences for < <= > >=.
bool SequenceLess(RunContext& ctx, std::string_view op, const ValueList& x,
                  const ValueList& y) {
  const size_t n = std::min(x.size(), y.size());
  for (size_t i = 0; i < n; ++i) {
    RuntimeOf(ctx).ChargeWork(1);
    if (!PyEqual(ctx, x[i], y[i])) {
      return IsTrue(ctx, CompareOp(ctx, op, x[i], y[i]));
    }
  }
  const int c = x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  if (op == ">") return c > 0;
  return c >= 0;
}

bool OrderNumbers(std::string_view op, const Value& a, const Value& b) {
  if (IsIntLike(a) && IsIntLike(b)) {
    const int64_t x = a.as_int(), y = b.as_int();
    if (op == "<") return x < y;
    if (op == "<=") return x <= y;
    if (op == ">") return x > y;
    return x >= y;
  }
  const double x = a.as_number(), y = b.as_number();
  if (op == "<") return x < y;
  if (op == "<=") return x <= y;
  if (op == ">") return x > y;
  return x >= y;
}

thread_local int equal_depth = 0;

}  // namespace

std::string RangeObject::Repr() const {
  std::string out =
      "range(" + std::to_string(start) + ", " + std::to_string(stop);
  if (step != 1) out += ", " + std::to_string(step);
  return out + ")";
}

int64_t RangeObject::Length() const {
  if (step > 0 && start < stop) {
    return static_cast<int64_t>(
        (static_cast<unsigned __int128>(stop - start) - 1) / step + 1);
  }
  if (step < 0 && start > stop) {
    return static_cast<int64_t>(
        (static_cast<unsigned __int128>(start - stop) - 1) /
            (-static_cast<__int128>(step)) +
        1);
  }
  return 0;
}

int64_t CheckedAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) RaiseOverflow();
  return r;
}
int64_t CheckedMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) RaiseOverflow();
  return r;
}

bool IsTrue(RunContext& ctx, const Value& v) {
  return FrameworkOf(ctx).IsTensorOperand(v) ? FrameworkOf(ctx).Truth(v)
                                             : Truthy(v);
}

bool PyEqual(RunContext& ctx, const Value& a, const Value& b) {
  if (FrameworkOf(ctx).IsTensorOperand(a) ||
      FrameworkOf(ctx).IsTensorOperand(b)) {
    return IsTrue(ctx, FrameworkOf(ctx).BinaryOperator("==", a, b, ctx));
  }
  if (a.is_number() && b.is_number()) {
    if (IsIntLike(a) && IsIntLike(b)) return a.as_int() == b.as_int();
    return a.as_number() == b.as_number();
  }
  const bool a_seq = a.is_sequence(), b_seq = b.is_sequence();
  if (a_seq && b_seq) {
    const bool shape = a.kind() == VK::kShape || b.kind() == VK::kShape;
    if (!shape && a.kind() != b.kind()) return false;
    if (a.identity() == b.identity()) return true;
    const ValueList& x = a.items();
    const ValueList& y = b.items();
    if (x.size() != y.size()) return false;
    if (++equal_depth > 200) {
      --equal_depth;
      RaiseText(ErrorClass::kLimitError,
                "maximum recursion depth exceeded in comparison (the "
                "playground allows 200 nested lists and tuples)");
    }
    bool eq = true;
    try {
      for (size_t i = 0; i < x.size() && eq; ++i) {
        RuntimeOf(ctx).ChargeWork(1);
        eq = PyEqual(ctx, x[i], y[i]);
      }
    } catch (...) {
      --equal_depth;
      throw;
    }
    --equal_depth;
    return eq;
  }
  if (a.kind() != b.kind()) {
    for (const auto& [x, y] : {std::pair<const Value&, const Value&>(a, b),
                               std::pair<const Value&, const Value&>(b, a)}) {
      if (std::optional<Value> r = CallSpecialMethod(ctx, x, "__eq__", {y})) {
        return IsTrue(ctx, *r);
      }
    }
    if (a.kind() == VK::kDType && b.kind() == VK::kStr) {
      return DTypeName(a.as_dtype()) == b.as_str();
    }
    if (b.kind() == VK::kDType && a.kind() == VK::kStr) {
      return DTypeName(b.as_dtype()) == a.as_str();
    }
    return false;
  }
  switch (a.kind()) {
    case VK::kNone:
      return true;
    case VK::kStr:
      return a.as_str() == b.as_str();
    case VK::kDType:
      return a.as_dtype() == b.as_dtype();
    case VK::kDict: {
      if (a.identity() == b.identity()) return true;
      const DictItems& x = a.dict_items();
      const DictItems& y = b.dict_items();
      if (x.size() != y.size()) return false;
      for (const auto& [k, v] : x) {
        const int64_t j = DictFind(ctx, b, k);
        if (j < 0 || !PyEqual(ctx, v, y[static_cast<size_t>(j)].second))
          return false;
      }
      return true;
    }
    case VK::kObject: {
      if (a.identity() == b.identity()) return true;
      if (std::optional<Value> r = CallSpecialMethod(ctx, a, "__eq__", {b})) {
        return IsTrue(ctx, *r);
      }
      if (std::optional<Value> r = CallSpecialMethod(ctx, b, "__eq__", {a})) {
        return IsTrue(ctx, *r);
      }
      const RangeObject* ra = AsRange(a);
      const RangeObject* rb = AsRange(b);
      if (ra && rb) {
        return ra->Length() == rb->Length() &&
               (ra->Length() == 0 ||
                (ra->start == rb->start &&
                 (ra->Length() == 1 || ra->step == rb->step)));
      }
      // Type objects compare by name (type(x) == int).
      if (a.as_object()->TypeName() == "type" &&
          b.as_object()->TypeName() == "type") {
        return a.as_object()->Repr() == b.as_object()->Repr();
      }
      return false;
    }
    default:
      return false;
  }
}

Value BinaryOp(RunContext& ctx, std::string_view op, const Value& a,
               const Value& b) {
  if (FrameworkOf(ctx).IsTensorOperand(a) ||
      FrameworkOf(ctx).IsTensorOperand(b)) {
    return FrameworkOf(ctx).BinaryOperator(op, a, b, ctx);
  }
  const std::string ops(op);
  if (a.is_number() && b.is_number()) {
    const bool ints = IsIntLike(a) && IsIntLike(b);
    if (ints) {
      const int64_t x = a.as_int(), y = b.as_int();
      int64_t r = 0;
      if (op == "+") {
        if (__builtin_add_overflow(x, y, &r)) RaiseOverflow();
        return Value::Int(r);
      }
      if (op == "-") {
        if (__builtin_sub_overflow(x, y, &r)) RaiseOverflow();
        return Value::Int(r);
      }
      if (op == "*") return Value::Int(CheckedMul(x, y));
      if (op == "/") {
        if (y == 0)
          RaiseText(ErrorClass::kZeroDivisionError, "division by zero");
        return Value::Float(static_cast<double>(x) / static_cast<double>(y));
      }
      if (op == "//" || op == "%") {
        if (y == 0) {
          RaiseText(ErrorClass::kZeroDivisionError,
                    op == "//" ? "integer division or modulo by zero"
                               : "integer modulo by zero");
        }
        if (x == std::numeric_limits<int64_t>::min() && y == -1) {
          if (op == "%") return Value::Int(0);
          RaiseOverflow();
        }
        int64_t q = x / y, m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) {
          q -= 1;
          m += y;
        }
        return Value::Int(op == "//" ? q : m);
      }
      if (op == "**") return IntPow(x, y);
      const bool both_bool = a.kind() == VK::kBool && b.kind() == VK::kBool;
      if (op == "&") return both_bool ? Value::Bool(x & y) : Value::Int(x & y);
      if (op == "|") return both_bool ? Value::Bool(x | y) : Value::Int(x | y);
      if (op == "^") return both_bool ? Value::Bool(x ^ y) : Value::Int(x ^ y);
      if (op == "<<" || op == ">>") {
        if (y < 0) RaiseValueError("negative shift count");
        if (op == ">>") return Value::Int(y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
        if (x == 0) return Value::Int(0);
        if (y >= 63 ||
            (x > 0 ? x > (std::numeric_limits<int64_t>::max() >> y)
                   : x < (std::numeric_limits<int64_t>::min() >> y))) {
          RaiseOverflow();
        }
        return Value::Int(static_cast<int64_t>(static_cast<uint64_t>(x) << y));
      }
      Unsupported(op, a, b);
    }
    const double x = a.as_number(), y = b.as_number();
    if (op == "+") return Value::Float(x + y);
    if (op == "-") return Value::Float(x - y);
    if (op == "*") return Value::Float(x * y);
    if (op == "/") {
      if (y == 0)
        RaiseText(ErrorClass::kZeroDivisionError, "float division by zero");
      return Value::Float(x / y);
    }
    if (op == "//") {
      if (y == 0)
        RaiseText(ErrorClass::kZeroDivisionError,
                  "float floor division by zero");
      return Value::Float(FloorDiv(x, y));
    }
    if (op == "%") {
      if (y == 0)
        RaiseText(ErrorClass::kZeroDivisionError, "float modulo by zero");
      return Value::Float(FloatMod(x, y));
    }
    if (op == "**") {
      if (x == 0 && y < 0) {
        RaiseText(ErrorClass::kZeroDivisionError,
                  "0.0 cannot be raised to a negative power");
      }
      if (x < 0 && std::isfinite(y) && y != std::floor(y)) {
        RaiseText(ErrorClass::kNotSupportedError,
                  "a negative number to a fractional power gives a complex "
                  "number; complex numbers are not supported by the "
                  "playground");
      }
      const double r = std::pow(x, y);
      if (std::isinf(r) && std::isfinite(x) && std::isfinite(y)) {
        RaiseText(ErrorClass::kNotSupportedError,
                  "float overflow in ** (Python raises OverflowError: "
                  "(34, 'Numerical result out of range'))");
      }
      return Value::Float(r);
    }
    Unsupported(op, a, b);
  }
  const VK ka = a.kind(), kb = b.kind();
  if (op == "+") {
    if (ka == VK::kStr && kb == VK::kStr) {
      RuntimeOf(ctx).CheckLength(
          static_cast<int64_t>(a.as_str().size() + b.as_str().size()),
          "string concatenation");
      RuntimeOf(ctx).ChargeWork(
          static_cast<int64_t>(a.as_str().size() + b.as_str().size()) / 64);
      return Value::Str(a.as_str() + b.as_str());
    }
    if (ka == VK::kList && kb == VK::kList) return Concat(ctx, a, b);
    if (ka == VK::kTuple && kb == VK::kTuple) return Concat(ctx, a, b);
    // as_shape(other) makes each int a Dimension, which must be >= 0.
    // None stays an unknown Dimension.
    auto dimension = [](const Value& d) {
      if (d.is_none()) return d;
      const int64_t n = AsIndex(d);
      if (n < 0) {
        RaiseText(ErrorClass::kValueError,
                  "Dimension " + std::to_string(n) + " must be >= 0");
      }
      return Value::Int(n);
    };
    // TensorShape.__add__ and __radd__: a tuple or list on either side.
    if ((ka == VK::kShape && b.is_sequence()) ||
        (kb == VK::kShape && (ka == VK::kTuple || ka == VK::kList))) {
      RuntimeOf(ctx).ChargeWork(
          static_cast<int64_t>(a.items().size() + b.items().size()));
      ValueList dims;
      for (const Value& d : a.items()) dims.push_back(dimension(d));
      for (const Value& d : b.items()) dims.push_back(dimension(d));
      return Value::TensorShapeOf(std::move(dims));
    }
    if (ka == VK::kStr) {
      RaiseTypeError("can only concatenate str (not \"" + TypeNameOf(b) +
                     "\") to str");
    }
    if (ka == VK::kList) {
      RaiseTypeError("can only concatenate list (not \"" + TypeNameOf(b) +
                     "\") to list");
    }
    if (ka == VK::kTuple) {
      RaiseTypeError("can only concatenate tuple (not \"" + TypeNameOf(b) +
                     "\") to tuple");
    }
  }
  if (op == "*") {
    const bool seq_a = ka == VK::kStr || ka == VK::kList || ka == VK::kTuple;
    const bool seq_b = kb == VK::kStr || kb == VK::kList || kb == VK::kTuple;
    if (seq_a && IsIntLike(b)) return Repeat(ctx, a, b.as_int());
    if (seq_b && IsIntLike(a)) return Repeat(ctx, b, a.as_int());
    if (seq_a || seq_b) {
      const Value& other = seq_a ? b : a;
      RaiseTypeError("can't multiply sequence by non-int of type '" +
                     TypeNameOf(other) + "'");
    }
  }
  if (op == "%" && ka == VK::kStr) {
    return Value::Str(PercentFormat(ctx, a.as_str(), b));
  }
  if (op == "|" && ka == VK::kDict && kb == VK::kDict) {
    Value out = Value::Dict(a.dict_items());
    for (const auto& [k, v] : b.dict_items()) SetItem(ctx, out, k, v);
    return out;
  }
  // A class's operator method, then the other operand's reflected one.
  static const char* const kDunders[][3] = {
      {"+", "__add__", "__radd__"},
      {"-", "__sub__", "__rsub__"},
      {"*", "__mul__", "__rmul__"},
      {"/", "__truediv__", "__rtruediv__"},
      {"//", "__floordiv__", "__rfloordiv__"},
      {"%", "__mod__", "__rmod__"},
      {"**", "__pow__", "__rpow__"},
      {"@", "__matmul__", "__rmatmul__"}};
  for (const auto& row : kDunders) {
    if (op != row[0]) continue;
    if (std::optional<Value> r = CallSpecialMethod(ctx, a, row[1], {b})) {
      return *r;
    }
    if (std::optional<Value> r = CallSpecialMethod(ctx, b, row[2], {a})) {
      return *r;
    }
  }
  Unsupported(op, a, b);
}

Value InPlaceOp(RunContext& ctx, std::string_view op, const Value& a,
                const Value& b) {
  if (op == "+" && a.kind() == VK::kList &&
      !FrameworkOf(ctx).IsTensorOperand(b)) {
    ValueList items = ToList(ctx, b);
    RuntimeOf(ctx).CheckLength(
        static_cast<int64_t>(a.items().size() + items.size()),
        "list extension");
    a.items().insert(a.items().end(), items.begin(), items.end());
    return a;
  }
  return BinaryOp(ctx, op, a, b);
}

Value UnaryOp(RunContext& ctx, std::string_view op, const Value& a) {
  if (op == "not") return Value::Bool(!IsTrue(ctx, a));
  if (FrameworkOf(ctx).IsTensorOperand(a))
    return FrameworkOf(ctx).UnaryOperator(op, a, ctx);
  if (IsIntLike(a)) {
    const int64_t x = a.as_int();
    if (op == "-") {
      if (x == std::numeric_limits<int64_t>::min()) RaiseOverflow();
      return Value::Int(-x);
    }
    if (op == "+") return Value::Int(x);
    if (op == "~") return Value::Int(~x);
  }
  if (a.kind() == VK::kFloat) {
    if (op == "-") return Value::Float(-a.as_float());
    if (op == "+") return a;
  }
  if (op == "-" || op == "+") {
    const char* name = op == "-" ? "__neg__" : "__pos__";
    if (std::optional<Value> r = CallSpecialMethod(ctx, a, name, {})) return *r;
  }
  RaiseTypeError("bad operand type for unary " + std::string(op) + ": '" +
                 TypeNameOf(a) + "'");
}

Value CompareOp(RunContext& ctx, std::string_view op, const Value& a,
                const Value& b) {
  if (op == "is" || op == "is not") {
    bool same;
    if (a.kind() != b.kind()) {
      same = false;
    } else if (a.identity() != nullptr || b.identity() != nullptr) {
      same = a.identity() == b.identity();
      // Builtin types are one object per name (type([]) is list).
      if (!same && a.kind() == VK::kObject && b.kind() == VK::kObject &&
          a.as_object()->TypeName() == "type" &&
          b.as_object()->TypeName() == "type") {
        same = a.as_object()->Repr() == b.as_object()->Repr();
      }
    } else {
      switch (a.kind()) {
        case VK::kNone:
          same = true;
          break;
        case VK::kBool:
          same = a.as_bool() == b.as_bool();
          break;
        case VK::kDType:
          same = a.as_dtype() == b.as_dtype();
          break;
        case VK::kInt:
          same =
              a.as_int() == b.as_int() && a.as_int() >= -5 && a.as_int() <= 256;
          break;
        case VK::kStr:
          same = a.as_str() == b.as_str();
          break;
        default:
          same = false;
      }
    }
    return Value::Bool(op == "is" ? same : !same);
  }
  if (op == "in") return Value::Bool(Contains(ctx, b, a));
  if (op == "not in") return Value::Bool(!Contains(ctx, b, a));
  if (FrameworkOf(ctx).IsTensorOperand(a) ||
      FrameworkOf(ctx).IsTensorOperand(b)) {
    return FrameworkOf(ctx).BinaryOperator(op, a, b, ctx);
  }
  if (op == "==") return Value::Bool(PyEqual(ctx, a, b));
  if (op == "!=") return Value::Bool(!PyEqual(ctx, a, b));
  if (a.is_number() && b.is_number())
    return Value::Bool(OrderNumbers(op, a, b));
  if (a.kind() == VK::kStr && b.kind() == VK::kStr) {
    const int c = a.as_str().compare(b.as_str());
    if (op == "<") return Value::Bool(c < 0);
    if (op == "<=") return Value::Bool(c <= 0);
    if (op == ">") return Value::Bool(c > 0);
    return Value::Bool(c >= 0);
  }
  if ((a.kind() == VK::kList && b.kind() == VK::kList) ||
      (a.kind() == VK::kTuple && b.kind() == VK::kTuple)) {
    return Value::Bool(SequenceLess(ctx, op, a.items(), b.items()));
  }
  // A class's rich comparison, then the reflected one of the other operand.
  static const char* const kRich[][3] = {{"<", "__lt__", "__gt__"},
                                         {"<=", "__le__", "__ge__"},
                                         {">", "__gt__", "__lt__"},
                                         {">=", "__ge__", "__le__"}};
  for (const auto& row : kRich) {
    if (op != row[0]) continue;
    if (std::optional<Value> r = CallSpecialMethod(ctx, a, row[1], {b})) {
      return *r;
    }
    if (std::optional<Value> r = CallSpecialMethod(ctx, b, row[2], {a})) {
      return *r;
    }
  }
  RaiseTypeError("'" + std::string(op) +
                 "' not supported between instances of '" + TypeNameOf(a) +
                 "' and '" + TypeNameOf(b) + "'");
}

bool Contains(RunContext& ctx, const Value& container, const Value& item) {
  switch (container.kind()) {
    case VK::kStr:
      if (item.kind() != VK::kStr) {
        RaiseTypeError("'in <string>' requires string as left operand, not " +
                       TypeNameOf(item));
      }
      RuntimeOf(ctx).ChargeWork(
          static_cast<int64_t>(container.as_str().size()) / 64);
      return container.as_str().find(item.as_str()) != std::string::npos;
    case VK::kList:
    case VK::kTuple:
    case VK::kShape: {
      const ValueList& items = container.items();
      for (size_t i = 0; i < items.size(); ++i) {
        RuntimeOf(ctx).ChargeWork(1);
        if (PyEqual(ctx, items[i], item)) return true;
      }
      return false;
    }
    case VK::kDict:
      return DictFind(ctx, container, item) >= 0;
    case VK::kObject:
      if (std::optional<Value> r =
              CallSpecialMethod(ctx, container, "__contains__", {item})) {
        return IsTrue(ctx, *r);
      }
      if ((AsInstance(container) || AsNativeIterable(container)) &&
          IsIterable(container)) {
        bool found = false;
        Iterate(ctx, container, [&](const Value& x) {
          found = PyEqual(ctx, x, item);
          return !found;
        });
        return found;
      }
      if (const RangeObject* r = AsRange(container)) {
        if (!IsIntLike(item)) {
          if (!item.is_number()) return false;
          const double d = item.as_number();
          if (d != std::floor(d)) return false;
        }
        const int64_t x = IsIntLike(item)
                              ? item.as_int()
                              : static_cast<int64_t>(item.as_number());
        const int64_t n = r->Length();
        if (n == 0) return false;
        if (r->step > 0 ? (x < r->start || x >= r->stop)
                        : (x > r->start || x <= r->stop)) {
          return false;
        }
        return (x - r->start) % r->step == 0;
      }
      break;
    case VK::kTensor:
      RaiseText(ErrorClass::kNotSupportedError,
                "`in` on a tensor is not supported by the playground");
    default:
      break;
  }
  RaiseTypeError("argument of type '" + TypeNameOf(container) +
                 "' is not iterable");
}

void CheckHashable(const Value& key) {
  switch (key.kind()) {
    case VK::kList:
    case VK::kDict:
      RaiseTypeError("unhashable type: '" + TypeNameOf(key) + "'");
    case VK::kTensor:
      RaiseTypeError(
          "Tensor is unhashable. Instead, use tensor.ref() as the key.");
    case VK::kTuple:
      for (const Value& v : key.items()) CheckHashable(v);
      return;
    default:
      return;
  }
}

int64_t DictFind(RunContext& ctx, const Value& dict, const Value& key) {
  CheckHashable(key);
  const DictItems& items = dict.dict_items();
  for (size_t i = 0; i < items.size(); ++i) {
    RuntimeOf(ctx).ChargeWork(1);
    if (PyEqual(ctx, items[i].first, key)) return static_cast<int64_t>(i);
  }
  return -1;
}

void CheckNesting(RunContext& ctx, const Value& element) {
  constexpr int kMaxNesting = 200;
  auto is_container = [](const Value& v) {
    return v.kind() == VK::kList || v.kind() == VK::kTuple ||
           v.kind() == VK::kDict;
  };
  if (!is_container(element)) return;
  // Breadth-first by levels; a container seen before is not revisited, so
  // self-containing lists (a.append(a)) terminate.
  std::vector<Value> level{element};
  std::unordered_set<const void*> seen{element.identity()};
  int depth = 1;
  while (!level.empty()) {
    std::vector<Value> next;
    auto visit = [&](const Value& child) {
      RuntimeOf(ctx).ChargeWork(1);
      if (is_container(child) && seen.insert(child.identity()).second) {
        next.push_back(child);
      }
    };
    for (const Value& v : level) {
      if (v.kind() == VK::kDict) {
        for (const auto& [k, x] : v.dict_items()) {
          visit(k);
          visit(x);
        }
      } else {
        for (const Value& x : v.items()) visit(x);
      }
    }
    if (!next.empty() && ++depth >= kMaxNesting) {
      RaiseText(ErrorClass::kLimitError,
                "nesting limit exceeded: lists, tuples and dicts nested more "
                "than " +
                    std::to_string(kMaxNesting) + " levels deep");
    }
    level = std::move(next);
  }
}

int64_t AsIndex(const Value& v) {
  if (IsIntLike(v)) return v.as_int();
  RaiseTypeError("'" + TypeNameOf(v) +
                 "' object cannot be interpreted as an integer");
}

Value GetItem(RunContext& ctx, const Value& c, const Value& index) {
  const VK k = c.kind();
  if (k == VK::kTensor || FrameworkOf(ctx).IsTensorOperand(c)) {
    return FrameworkOf(ctx).Subscript(c, index, ctx);
  }
  if (k == VK::kList || k == VK::kTuple || k == VK::kShape) {
    const ValueList& items = c.items();
    const char* what = k == VK::kList ? "list" : "tuple";
    if (const SliceObject* s = AsSlice(index)) {
      const std::vector<int64_t> idx =
          SliceIndices(*s, static_cast<int64_t>(items.size()));
      RuntimeOf(ctx).ChargeWork(static_cast<int64_t>(idx.size()));
      ValueList out;
      out.reserve(idx.size());
      for (int64_t i : idx) out.push_back(items[static_cast<size_t>(i)]);
      if (k == VK::kShape) {
        Shape s2;
        for (const Value& d : out) s2.push_back(d.as_int());
        return Value::FromShape(s2);
      }
      return k == VK::kList ? Value::List(std::move(out))
                            : Value::Tuple(std::move(out));
    }
    if (!IsIntLike(index)) {
      RaiseTypeError(std::string(k == VK::kShape ? "tuple" : what) +
                     " indices must be integers or slices, not " +
                     TypeNameOf(index));
    }
    const int64_t i = NormalizeIndex(index.as_int(),
                                     static_cast<int64_t>(items.size()), what);
    return items[static_cast<size_t>(i)];
  }
  if (k == VK::kStr) {
    const std::string& s = c.as_str();
    const bool ascii = IsAscii(s);
    if (const SliceObject* sl = AsSlice(index)) {
      if (ascii) {
        const std::vector<int64_t> idx =
            SliceIndices(*sl, static_cast<int64_t>(s.size()));
        std::string out;
        for (int64_t i : idx) out += s[static_cast<size_t>(i)];
        return Value::Str(std::move(out));
      }
      const std::vector<std::string> chars = Utf8Chars(s);
      const std::vector<int64_t> idx =
          SliceIndices(*sl, static_cast<int64_t>(chars.size()));
      std::string out;
      for (int64_t i : idx) out += chars[static_cast<size_t>(i)];
      return Value::Str(std::move(out));
    }
    if (!IsIntLike(index)) {
      RaiseTypeError("string indices must be integers, not '" +
                     TypeNameOf(index) + "'");
    }
    if (ascii) {
      const int64_t i = NormalizeIndex(
          index.as_int(), static_cast<int64_t>(s.size()), "string");
      return Value::Str(std::string(1, s[static_cast<size_t>(i)]));
    }
    const std::vector<std::string> chars = Utf8Chars(s);
    const int64_t i = NormalizeIndex(
        index.as_int(), static_cast<int64_t>(chars.size()), "string");
    return Value::Str(chars[static_cast<size_t>(i)]);
  }
  if (k == VK::kDict) {
    const int64_t i = DictFind(ctx, c, index);
    if (i < 0) RaiseText(ErrorClass::kKeyError, PyRepr(index));
    return c.dict_items()[static_cast<size_t>(i)].second;
  }
  if (const RangeObject* r = AsRange(c)) {
    if (!IsIntLike(index)) {
      RaiseTypeError("range indices must be integers or slices, not " +
                     TypeNameOf(index));
    }
    const int64_t i =
        NormalizeIndex(index.as_int(), r->Length(), "range object");
    return Value::Int(r->At(i));
  }
  if (k == VK::kObject) {
    if (auto getitem = c.as_object()->GetAttr("__getitem__")) {
      CallArgs args;
      args.positional.push_back(index);
      return RuntimeOf(ctx).CallValue(*getitem, args);
    }
  }
  RaiseTypeError("'" + TypeNameOf(c) + "' object is not subscriptable");
}

void SetItem(RunContext& ctx, const Value& c, const Value& index,
             const Value& value) {
  const VK k = c.kind();
  if (k == VK::kList) {
    ValueList& items = c.items();
    if (const SliceObject* s = AsSlice(index)) {
      ValueList repl = ToList(ctx, value);
      const int64_t step = SliceIndex(s->step, 1);
      if (step != 1) {
        const std::vector<int64_t> idx =
            SliceIndices(*s, static_cast<int64_t>(items.size()));
        if (idx.size() != repl.size()) {
          RaiseValueError("attempt to assign sequence of size " +
                          std::to_string(repl.size()) +
                          " to extended slice of size " +
                          std::to_string(idx.size()));
        }
        for (size_t i = 0; i < idx.size(); ++i)
          items[static_cast<size_t>(idx[i])] = repl[i];
        return;
      }
      int64_t start = SliceIndex(s->start, 0);
      int64_t stop = SliceIndex(s->stop, std::numeric_limits<int64_t>::max());
      AdjustSlice(static_cast<int64_t>(items.size()), &start, &stop, 1);
      if (stop < start) stop = start;
      RuntimeOf(ctx).CheckLength(
          static_cast<int64_t>(items.size() + repl.size()), "slice assignment");
      items.erase(items.begin() + start, items.begin() + stop);
      items.insert(items.begin() + start, repl.begin(), repl.end());
      return;
    }
    if (!IsIntLike(index)) {
      RaiseTypeError("list indices must be integers or slices, not " +
                     TypeNameOf(index));
    }
    const int64_t i = NormalizeIndex(
        index.as_int(), static_cast<int64_t>(items.size()), "list assignment");
    items[static_cast<size_t>(i)] = value;
    return;
  }
  if (k == VK::kDict) {
    const int64_t i = DictFind(ctx, c, index);
    CheckNesting(ctx, value);
    if (i >= 0) {
      c.dict_items()[static_cast<size_t>(i)].second = value;
    } else {
      RuntimeOf(ctx).CheckLength(
          static_cast<int64_t>(c.dict_items().size()) + 1, "dict");
      c.dict_items().emplace_back(index, value);
    }
    return;
  }
  if (k == VK::kTensor) {
    RaiseTypeError(
        "'tensorflow.python.framework.ops.EagerTensor' object does not "
        "support item assignment");
  }
  if (NativeArrayLike* n = AsNativeArrayLike(c)) {
    n->PySetItem(c, index, value);
    return;
  }
  if (CallSpecialMethod(ctx, c, "__setitem__", {index, value})) return;
  RaiseTypeError("'" + TypeNameOf(c) +
                 "' object does not support item assignment");
}

void DelItem(RunContext& ctx, const Value& c, const Value& index) {
  if (c.kind() == VK::kList) {
    ValueList& items = c.items();
    if (const SliceObject* s = AsSlice(index)) {
      std::vector<int64_t> idx =
          SliceIndices(*s, static_cast<int64_t>(items.size()));
      std::sort(idx.begin(), idx.end());
      for (auto it = idx.rbegin(); it != idx.rend(); ++it) {
        items.erase(items.begin() + *it);
      }
      return;
    }
    const int64_t i = NormalizeIndex(
        AsIndex(index), static_cast<int64_t>(items.size()), "list assignment");
    items.erase(items.begin() + i);
    return;
  }
  if (c.kind() == VK::kDict) {
    const int64_t i = DictFind(ctx, c, index);
    if (i < 0) RaiseText(ErrorClass::kKeyError, PyRepr(index));
    c.dict_items().erase(c.dict_items().begin() + i);
    return;
  }
  RaiseTypeError("'" + TypeNameOf(c) +
                 "' object doesn't support item deletion");
}

void Iterate(RunContext& ctx, const Value& v,
             FunctionRef<bool(const Value&)> fn) {
  switch (v.kind()) {
    case VK::kList: {
      // Live iteration, as Python does: appending during the loop extends it.
      const ValueList& items = v.items();
      for (size_t i = 0; i < items.size(); ++i) {
        RuntimeOf(ctx).ChargeWork(1);
        Value item = items[i];
        if (!fn(item)) return;
      }
      return;
    }
    case VK::kTuple:
    case VK::kShape: {
      const ValueList items = v.items();
      for (const Value& item : items) {
        RuntimeOf(ctx).ChargeWork(1);
        if (!fn(item)) return;
      }
      return;
    }
    case VK::kStr: {
      for (const std::string& ch : Utf8Chars(v.as_str())) {
        RuntimeOf(ctx).ChargeWork(1);
        if (!fn(Value::Str(ch))) return;
      }
      return;
    }
    case VK::kDict: {
      const DictItems& items = v.dict_items();
      const size_t n = items.size();
      for (size_t i = 0; i < n; ++i) {
        if (items.size() != n) {
          RaiseText(ErrorClass::kRuntimeError,
                    "dictionary changed size during iteration");
        }
        RuntimeOf(ctx).ChargeWork(1);
        Value key = items[i].first;
        if (!fn(key)) return;
      }
      if (items.size() != n) {
        RaiseText(ErrorClass::kRuntimeError,
                  "dictionary changed size during iteration");
      }
      return;
    }
    case VK::kTensor: {
      const Tensor& t = v.as_tensor();
      if (t.rank() == 0) RaiseTypeError("Cannot iterate over a scalar tensor.");
      const int64_t n = t.dim(0);
      for (int64_t i = 0; i < n; ++i) {
        RuntimeOf(ctx).ChargeWork(1);
        if (!fn(FrameworkOf(ctx).Subscript(v, Value::Int(i), ctx))) return;
      }
      return;
    }
    case VK::kObject:
      if (const NativeArrayLike* c = AsNativeArrayLike(v)) {
        const int64_t n = c->PyLength();
        for (int64_t i = 0; i < n; ++i) {
          RuntimeOf(ctx).ChargeWork(1);
          if (!fn(FrameworkOf(ctx).Subscript(v, Value::Int(i), ctx))) return;
        }
        return;
      }
      if (const RangeObject* r = AsRange(v)) {
        const int64_t n = r->Length();
        for (int64_t i = 0; i < n; ++i) {
          RuntimeOf(ctx).ChargeWork(1);
          if (!fn(Value::Int(r->At(i)))) return;
        }
        return;
      }
      if (IsIterator(v)) {
        while (std::optional<Value> item = NextItem(ctx, v)) {
          RuntimeOf(ctx).ChargeWork(1);
          if (!fn(*item)) return;
        }
        return;
      }
      if (const NativeIterable* n = AsNativeIterable(v)) {
        const Value it = n->PyIter(ctx, v);
        while (std::optional<Value> item = NextItem(ctx, it)) {
          RuntimeOf(ctx).ChargeWork(1);
          if (!fn(*item)) return;
        }
        return;
      }
      if (AsInstance(v)) {
        // __iter__ gives what the loop runs over (an iterator or an
        // iterable); an instance it returns is an iterator (__next__ until
        // StopIteration).
        std::optional<Value> it = CallSpecialMethod(ctx, v, "__iter__", {});
        if (!it) break;
        if (AsInstance(*it)) {
          if (!FindProgramAttribute(*it, "__next__")) {
            RaiseTypeError("iter() returned non-iterator of type '" +
                           it->TypeName() + "'");
          }
          while (true) {
            RuntimeOf(ctx).Step();
            Value item;
            try {
              item = *CallSpecialMethod(ctx, *it, "__next__", {});
            } catch (const PyException& e) {
              if (e.exception().class_name() == "StopIteration") return;
              throw;
            }
            if (!fn(item)) return;
          }
        }
        Iterate(ctx, *it, fn);
        return;
      }
      break;
    default:
      break;
  }
  RaiseTypeError("'" + TypeNameOf(v) + "' object is not iterable");
}

ValueList ToList(RunContext& ctx, const Value& v) {
  if (const RangeObject* r = AsRange(v))
    RuntimeOf(ctx).CheckLength(r->Length(), "list");
  ValueList out;
  Iterate(ctx, v, [&](const Value& item) {
    if (static_cast<int64_t>(out.size()) >=
        RuntimeOf(ctx).limits().max_sequence_length) {
      RuntimeOf(ctx).CheckLength(static_cast<int64_t>(out.size()) + 1, "list");
    }
    out.push_back(item);
    return true;
  });
  return out;
}

bool IsIterable(const Value& v) {
  switch (v.kind()) {
    case VK::kList:
    case VK::kTuple:
    case VK::kShape:
    case VK::kStr:
    case VK::kDict:
    case VK::kTensor:
      return true;
    case VK::kObject:
      if (AsRange(v) || IsIterator(v) || AsNativeIterable(v)) return true;
      if (const NativeArrayLike* c = AsNativeArrayLike(v)) {
        return c->PyIterable();
      }
      if (const InstanceObject* inst = AsInstance(v)) {
        return inst->cls()->LookupRaw("__iter__").has_value();
      }
      return false;
    default:
      return false;
  }
}

int64_t Length(const Value& v) {
  switch (v.kind()) {
    case VK::kStr:
      return Utf8Length(v.as_str());
    case VK::kList:
    case VK::kTuple:
    case VK::kShape:
      return static_cast<int64_t>(v.items().size());
    case VK::kDict:
      return static_cast<int64_t>(v.dict_items().size());
    case VK::kTensor: {
      const Tensor& t = v.as_tensor();
      if (t.rank() == 0) {
        RaiseTypeError("len() of unsized object");
      }
      return t.dim(0);
    }
    case VK::kObject:
      if (const RangeObject* r = AsRange(v)) return r->Length();
      if (const NativeArrayLike* c = AsNativeArrayLike(v)) return c->PyLength();
      if (const NativeIterable* n = AsNativeIterable(v)) return n->PyLength();
      if (const InstanceObject* inst = AsInstance(v)) {
        const RunHandle& run = inst->cls()->run();
        if (!run.Alive()) break;
        std::optional<Value> n = CallSpecialMethod(*run.ctx, v, "__len__", {});
        if (!n) break;
        if (n->kind() != VK::kInt && n->kind() != VK::kBool) {
          RaiseTypeError("'" + n->TypeName() +
                         "' object cannot be interpreted as an integer");
        }
        if (n->as_int() < 0) RaiseValueError("__len__() should return >= 0");
        return n->as_int();
      }
      break;
    default:
      break;
  }
  RaiseTypeError("object of type '" + TypeNameOf(v) + "' has no len()");
}

}  // namespace ap::py
