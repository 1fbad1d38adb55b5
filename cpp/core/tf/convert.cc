#include "convert.h"

#include <cmath>
#include <limits>
#include <string>

#include "../error.h"
#include "../numpy/array_ops.h"
#include "../numpy/ndarray.h"
#include "../ops/ops.h"
#include "../repr.h"

namespace ap::tf {

namespace {

constexpr int kMaxRank = 32;  // deeper nesting is certainly a mistake

// Walks a nested list, checking it is rectangular; fills shape and the
// scalar leaves in row-major order.
void Flatten(const Value& v, int depth, Shape* shape, bool* first_at_depth,
             std::vector<Value>* leaves) {
  if (depth > kMaxRank) {
    RaiseText(ErrorClass::kValueError,
              "Can't convert a Python sequence nested more than " +
                  std::to_string(kMaxRank) + " levels deep to Tensor.");
  }
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    const ValueList& items = v.items();
    const int64_t n = static_cast<int64_t>(items.size());
    if (static_cast<int>(shape->size()) == depth) {
      if (!first_at_depth[depth] && depth > 0) {
        RaiseText(ErrorClass::kValueError,
                  "Can't convert non-rectangular Python sequence to Tensor.");
      }
      shape->push_back(n);
    } else if (static_cast<int>(shape->size()) < depth ||
               (*shape)[depth] != n) {
      RaiseText(ErrorClass::kValueError,
                "Can't convert non-rectangular Python sequence to Tensor.");
    }
    first_at_depth[depth] = false;
    for (const Value& item : items) {
      Flatten(item, depth + 1, shape, first_at_depth, leaves);
    }
    return;
  }
  if (v.kind() == Value::Kind::kShape) {
    Value as_tuple = Value::Tuple(v.items());
    Flatten(as_tuple, depth, shape, first_at_depth, leaves);
    return;
  }
  if (static_cast<int>(shape->size()) > depth) {
    RaiseText(ErrorClass::kValueError,
              "Can't convert non-rectangular Python sequence to Tensor.");
  }
  first_at_depth[depth] = false;
  leaves->push_back(v);
}

std::string DtypeClashText(const Value& v, DType dtype) {
  return "Cannot convert " + Repr(v) + " to EagerTensor of dtype " +
         std::string(DTypeName(dtype));
}

bool FitsInt32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() &&
         v <= std::numeric_limits<int32_t>::max();
}

// The order in which a Python sequence's element types widen the tensor's
// dtype (tensorflow/python/lib/core/py_seq_tensor.cc, TF 2.21): bool, then
// int32, int64 (an int that does not fit int32), then float32.
int WideningRank(DType d) {
  switch (d) {
    case DType::kBool:
      return 0;
    case DType::kInt32:
      return 1;
    case DType::kInt64:
      return 2;
    default:
      return 3;
  }
}

// The element at `i` of an int32 or int64 tensor.
int64_t IntElement(const Tensor& t, int64_t i) {
  return t.dtype() == DType::kInt64 ? t.i64()[i] : t.i32()[i];
}

}  // namespace

std::optional<DType> InferPythonDType(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kBool:
      return DType::kBool;
    case Value::Kind::kInt:
      return FitsInt32(v.as_int()) ? DType::kInt32 : DType::kInt64;
    case Value::Kind::kFloat:
      return DType::kFloat32;
    case Value::Kind::kTensor:
      return v.as_tensor().dtype();
    case Value::Kind::kObject:
      if (np::IsNdarray(v)) return np::NdarrayTensor(v).dtype();
      if (np::IsNumpyScalar(v)) return np::NumpyScalarTensor(v).dtype();
      return std::nullopt;
    case Value::Kind::kList:
    case Value::Kind::kTuple:
    case Value::Kind::kShape: {
      std::optional<DType> out;
      for (const Value& item : v.items()) {
        auto d = InferPythonDType(item);
        if (!d) return std::nullopt;
        if (!out || WideningRank(*d) > WideningRank(*out)) out = d;
      }
      return out ? out : std::optional<DType>(DType::kFloat32);
    }
    default:
      return std::nullopt;
  }
}

Tensor ToTensor(const Value& v, std::optional<DType> hint) {
  if (np::IsNdarray(v) || np::IsNumpyScalar(v)) {
    // A numpy value converts with its dtype, or is cast to the one asked
    // for (tf.ones(3) + np.ones(3) is float32).
    const Tensor& t =
        np::IsNdarray(v) ? np::NdarrayTensor(v) : np::NumpyScalarTensor(v);
    return hint && *hint != t.dtype() ? ops::Cast(t, *hint) : t;
  }
  if (np::ContainsNumpyValue(v)) {
    const Tensor t = np::ToArray(v);  // np.asarray's dtype, then the hint
    return hint && *hint != t.dtype() ? ops::Cast(t, *hint) : t;
  }
  if (v.is_tensor()) {
    const Tensor& t = v.as_tensor();
    if (hint && *hint != t.dtype()) {
      RaiseText(ErrorClass::kValueError,
                "Tensor conversion requested dtype " +
                    std::string(DTypeName(*hint)) + " for Tensor with dtype " +
                    std::string(DTypeName(t.dtype())) + ": " + TensorRepr(t));
    }
    return t;
  }
  if (v.kind() == Value::Kind::kNone) {
    RaiseText(ErrorClass::kValueError,
              "Attempt to convert a value (None) with an unsupported type "
              "(<class 'NoneType'>) to a Tensor.");
  }
  if (v.kind() == Value::Kind::kStr) {
    Error e;
    e.cls = ErrorClass::kNotSupportedError;
    e.text = "string tensors (tf.string) are not modelled by the playground";
    Raise(e);
  }
  if (v.kind() == Value::Kind::kObject || v.kind() == Value::Kind::kDict ||
      v.kind() == Value::Kind::kDType) {
    RaiseText(ErrorClass::kValueError,
              "Attempt to convert a value (" + Repr(v) +
                  ") with an unsupported type (<class '" + v.TypeName() +
                  "'>) to a Tensor.");
  }
  Shape shape;
  bool first_at_depth[kMaxRank + 2];
  for (bool& b : first_at_depth) b = true;
  std::vector<Value> leaves;
  Flatten(v, 0, &shape, first_at_depth, &leaves);
  // Elements that are tensors (e.g. [t1, t2]) are packed like tf.stack.
  bool any_tensor = false;
  for (const Value& leaf : leaves) any_tensor = any_tensor || leaf.is_tensor();
  if (any_tensor) {
    if (!(v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) ||
        shape.size() != 1) {
      Error e;
      e.cls = ErrorClass::kNotSupportedError;
      e.text =
          "converting a nested list that mixes tensors and numbers is "
          "not modelled by the playground; use tf.stack";
      Raise(e);
    }
    std::vector<Tensor> parts;
    for (const Value& leaf : leaves) parts.push_back(ToTensor(leaf, hint));
    return ops::Stack(parts, 0);
  }
  for (const Value& leaf : leaves) {
    if (!leaf.is_number()) {
      RaiseText(ErrorClass::kValueError,
                "Attempt to convert a value (" + Repr(leaf) +
                    ") with an unsupported type (<class '" + leaf.TypeName() +
                    "'>) to a Tensor.");
    }
  }
  const DType natural = *InferPythonDType(
      v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple ||
              v.kind() == Value::Kind::kShape
          ? v
          : Value::List({v}));
  const DType dtype = hint ? *hint : natural;
  if (hint) {
    // TF refuses lossy conversions of Python numbers.
    for (const Value& leaf : leaves) {
      const bool is_float = leaf.kind() == Value::Kind::kFloat;
      if ((IsIntegerDType(dtype) && is_float) ||
          (dtype == DType::kBool && leaf.kind() != Value::Kind::kBool)) {
        RaiseText(ErrorClass::kTypeError, DtypeClashText(v, dtype));
      }
    }
  }
  Tensor t = Tensor::Zeros(dtype, shape, "Const");
  for (size_t i = 0; i < leaves.size(); ++i) {
    const Value& leaf = leaves[i];
    switch (dtype) {
      case DType::kFloat32:
        t.f32()[i] = static_cast<float>(leaf.as_number());
        break;
      case DType::kInt32:
        // A Python int beyond int32 keeps its low 32 bits when int32 is
        // asked for (tf.constant(2**40, tf.int32) is 0 in TF 2.21).
        t.i32()[i] = static_cast<int32_t>(
            static_cast<uint32_t>(static_cast<uint64_t>(leaf.as_int())));
        break;
      case DType::kBool:
        t.b8()[i] = leaf.as_number() != 0;
        break;
      case DType::kFloat64:
        t.f64()[i] = leaf.as_number();
        break;
      case DType::kInt64:
        t.i64()[i] = leaf.as_int();
        break;
    }
  }
  return t;
}

Shape ToShape(const Value& v, std::string_view fn) {
  if (v.kind() == Value::Kind::kInt) return Shape{v.as_int()};
  if (v.kind() == Value::Kind::kShape) {
    if (!v.shape_fully_defined()) {
      RaiseValueError("Cannot convert a partially known TensorShape " + Str(v) +
                      " to a Tensor.");
    }
    return v.as_shape();
  }
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    Shape shape;
    for (const Value& item : v.items()) {
      if (item.kind() == Value::Kind::kInt) {
        shape.push_back(item.as_int());
      } else if (item.is_tensor() && item.as_tensor().num_elements() == 1 &&
                 IsIntegerDType(item.as_tensor().dtype())) {
        shape.push_back(IntElement(item.as_tensor(), 0));
      } else {
        RaiseText(ErrorClass::kTypeError,
                  std::string(fn) +
                      "(): expected the shape to be a list of "
                      "ints, but element " +
                      Repr(item) + " is a " + item.TypeName());
      }
    }
    return shape;
  }
  if (v.is_tensor() && IsIntegerDType(v.as_tensor().dtype()) &&
      v.as_tensor().rank() <= 1) {
    const Tensor& t = v.as_tensor();
    Shape shape;
    for (int64_t i = 0; i < t.num_elements(); ++i) {
      shape.push_back(IntElement(t, i));
    }
    return shape;
  }
  RaiseText(ErrorClass::kTypeError, std::string(fn) +
                                        "(): expected a shape (a list or "
                                        "tuple of ints), got " +
                                        Repr(v));
}

int64_t ToInt(const Value& v, std::string_view what) {
  if (v.kind() == Value::Kind::kInt || v.kind() == Value::Kind::kBool) {
    return v.as_int();
  }
  if (v.is_tensor() && v.as_tensor().num_elements() == 1 &&
      IsIntegerDType(v.as_tensor().dtype())) {
    return IntElement(v.as_tensor(), 0);
  }
  RaiseText(ErrorClass::kTypeError,
            std::string(what) + " must be an int, got " + Repr(v));
}

double ToDouble(const Value& v, std::string_view what) {
  if (v.is_number()) return v.as_number();
  if (v.is_tensor() && v.as_tensor().num_elements() == 1) {
    return v.as_tensor().GetAsDouble(0);
  }
  RaiseText(ErrorClass::kTypeError,
            std::string(what) + " must be a number, got " + Repr(v));
}

std::vector<int64_t> ToIntList(const Value& v, std::string_view what) {
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple ||
      v.kind() == Value::Kind::kShape) {
    std::vector<int64_t> out;
    for (const Value& item : v.items()) out.push_back(ToInt(item, what));
    return out;
  }
  if (v.is_tensor() && IsIntegerDType(v.as_tensor().dtype()) &&
      v.as_tensor().rank() == 1) {
    const Tensor& t = v.as_tensor();
    std::vector<int64_t> out;
    for (int64_t i = 0; i < t.num_elements(); ++i) {
      out.push_back(IntElement(t, i));
    }
    return out;
  }
  return {ToInt(v, what)};
}

DType ToDType(const Value& v) {
  if (v.kind() == Value::Kind::kDType) return v.as_dtype();
  if (std::optional<DType> d = np::NumpyDTypeOf(v)) return *d;
  if (v.kind() == Value::Kind::kStr) {
    if (auto d = ParseDType(v.as_str())) return *d;
  }
  if (v.kind() == Value::Kind::kStr || v.kind() == Value::Kind::kDType) {
    Error e;
    e.cls = ErrorClass::kNotSupportedError;
    e.text = "dtype " + Repr(v) +
             " is not modelled by the playground (float32, float64, int32, "
             "int64 and bool are)";
    Raise(e);
  }
  RaiseText(ErrorClass::kTypeError,
            "Cannot convert the argument `type_value`: " + Repr(v) +
                " to a TensorFlow DType.");
}

}  // namespace ap::tf
