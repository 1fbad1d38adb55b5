// The ndarray and numpy scalar objects behind ndarray.h (which other parts
// of the core include without depending on numpy's semantics): printing,
// attributes and methods (numpy/_core/arrayprint.py and the ndarray
// methods, NumPy 2.4).
#include <memory>
#include <string>
#include <utility>

#include "../callable.h"
#include "../error.h"
#include "../ops/ops.h"
#include "../python/native_array.h"
#include "../repr.h"
#include "array_ops.h"
#include "indexing.h"
#include "ndarray.h"

namespace ap::np {

// np.float32 and friends: dtypes, and constructors of scalars (or of arrays
// when given one).
class ScalarTypeObject : public Callable {
 public:
  explicit ScalarTypeObject(DType dtype) : dtype_(dtype) {}
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  Value Call(RunContext& ctx, const CallArgs& args) override;
  DType dtype() const { return dtype_; }

 private:
  DType dtype_;
};

Value MakeScalarType(DType dtype) {
  return Value::FromObject(std::make_shared<ScalarTypeObject>(dtype));
}

namespace {

// An ndarray (scalar_ false) or a numpy scalar (scalar_ true, 0-d tensor).
// Item assignment replaces the tensor, so every reference to the object
// sees it, as every name bound to one numpy array does.
class NdarrayObject : public Object, public py::NativeArrayLike {
 public:
  NdarrayObject(Tensor t, bool scalar)
      : tensor_(std::move(t)), scalar_(scalar) {}
  std::string TypeName() const override {
    return scalar_ ? std::string(DTypeName(tensor_.dtype())) : "ndarray";
  }
  std::string Repr() const override;
  std::string Str() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  bool Truth() const override { return TensorTruth(tensor_); }

  bool PyIterable() const override { return !scalar_; }
  Value PyScalar() const override {
    if (tensor_.num_elements() != 1) {
      RaiseTypeError("only length-1 arrays can be converted to Python scalars");
    }
    return Item(tensor_, 0);
  }
  bool PyFormatsAsScalar() const override { return tensor_.rank() == 0; }
  std::string PyModule() const override { return "numpy"; }
  int64_t PyLength() const override {
    if (tensor_.rank() == 0) {
      RaiseTypeError(scalar_ ? "object of type 'numpy." + TypeName() +
                                   "' has no len()"
                             : "len() of unsized object");
    }
    return tensor_.dim(0);
  }
  void PySetItem(const Value& self, const Value& index,
                 const Value& value) override {
    if (scalar_) {
      RaiseTypeError("'numpy." + TypeName() +
                     "' object does not support item assignment");
    }
    SetItem(self, index, value);
  }

  const Tensor& tensor() const { return tensor_; }
  void set_tensor(Tensor t) { tensor_ = std::move(t); }
  bool scalar() const { return scalar_; }

 private:
  Tensor tensor_;
  bool scalar_;
};

const NdarrayObject* AsArrayObject(const Value& v) {
  if (v.kind() != Value::Kind::kObject) return nullptr;
  return dynamic_cast<const NdarrayObject*>(v.as_object().get());
}

// numpy prints a scalar's repr as np.float64(1.5), np.True_.
std::string ScalarRepr(const Tensor& t) {
  if (t.dtype() == DType::kBool) return t.b8()[0] ? "np.True_" : "np.False_";
  return "np." + std::string(DTypeName(t.dtype())) + "(" + NumpyStr(t) + ")";
}

std::string NdarrayObject::Repr() const {
  if (scalar_) return ScalarRepr(tensor_);
  if (tensor_.rank() == 0) {
    std::string text = "array(" + NumpyStr(tensor_);
    const DType d = tensor_.dtype();
    if (d == DType::kFloat32 || d == DType::kInt32) {
      text += ", dtype=" + std::string(DTypeName(d));
    }
    return text + ")";
  }
  return NumpyRepr(tensor_);
}

std::string NdarrayObject::Str() const { return NumpyStr(tensor_); }

// The shape of a.reshape(2, 3), a.reshape((2, 3)), a.transpose(1, 0).
std::vector<int64_t> IntsFromArgs(const CallArgs& args) {
  if (args.positional.size() == 1 && !args.positional[0].is_none()) {
    return ToShapeArg(args.positional[0]);
  }
  std::vector<int64_t> out;
  for (const Value& v : args.positional) {
    for (int64_t d : ToShapeArg(v)) out.push_back(d);
  }
  return out;
}

// The methods of an array, one table row each; a bound method is the row
// and the array (a switch, not a closure per method: less code).
enum class MethodKind {
  kReshape,
  kTranspose,
  kAsType,
  kSum,
  kMean,
  kMax,
  kMin,
  kAny,
  kAll,
  kArgMax,
  kArgMin,
  kToList,
  kItem,
  kCopy,
  kFlatten,
  kSqueeze,
  kProd,
  kVar,
  kStd,
  kRound,
  kCumSum,
};

struct MethodRow {
  const char* name;
  MethodKind kind;
};

constexpr MethodRow kMethods[] = {
    {"reshape", MethodKind::kReshape}, {"transpose", MethodKind::kTranspose},
    {"astype", MethodKind::kAsType},   {"sum", MethodKind::kSum},
    {"mean", MethodKind::kMean},       {"max", MethodKind::kMax},
    {"min", MethodKind::kMin},         {"any", MethodKind::kAny},
    {"all", MethodKind::kAll},         {"argmax", MethodKind::kArgMax},
    {"argmin", MethodKind::kArgMin},   {"tolist", MethodKind::kToList},
    {"item", MethodKind::kItem},       {"copy", MethodKind::kCopy},
    {"flatten", MethodKind::kFlatten}, {"ravel", MethodKind::kFlatten},
    {"squeeze", MethodKind::kSqueeze}, {"prod", MethodKind::kProd},
    {"var", MethodKind::kVar},         {"std", MethodKind::kStd},
    {"round", MethodKind::kRound},     {"cumsum", MethodKind::kCumSum},
};

Value Squeezed(const Tensor& t, const Value& axis) {
  std::vector<int64_t> axes;
  if (!axis.is_none()) {
    for (int64_t a : ToShapeArg(axis)) {
      const int64_t n = NormalizeAxis(a, t.rank());
      if (t.dim(static_cast<int>(n)) != 1) {
        RaiseValueError(
            "cannot select an axis to squeeze out which has size not equal "
            "to one");
      }
      axes.push_back(n);
    }
    if (axes.empty()) return Wrap(t);
  }
  return Wrap(ops::Squeeze(t, axes));
}

class ArrayMethod : public Callable {
 public:
  ArrayMethod(const MethodRow& row, Tensor t) : row_(row), t_(std::move(t)) {}
  std::string TypeName() const override { return "builtin_function_or_method"; }
  std::string Repr() const override {
    return std::string("<built-in method ") + row_.name +
           " of numpy.ndarray object>";
  }
  Value Call(RunContext& ctx, const CallArgs& args) override;

 private:
  const MethodRow& row_;
  Tensor t_;
};

Value ArrayMethod::Call(RunContext&, const CallArgs& args) {
  const Tensor& t = t_;
  auto bind = [&](const char* params) {
    return BindArguments(row_.name, ParseParams(params), args);
  };
  auto reduce = [&](Reduction r) {
    const BoundArgs b = bind("axis=None,keepdims=False");
    return Reduce(r, t, b[0], Truthy(b[1]));
  };
  switch (row_.kind) {
    case MethodKind::kReshape:
      return MakeNdarray(Reshape(t, IntsFromArgs(args)));
    case MethodKind::kTranspose:
      return Wrap(Transpose(t, IntsFromArgs(args)));
    case MethodKind::kAsType: {
      const BoundArgs b = bind("dtype,copy=True");
      if (b[0].is_none()) return MakeNdarray(AsType(t, DType::kFloat64));
      return MakeNdarray(AsType(t, *ParseNumpyDType(b[0])));
    }
    case MethodKind::kSum:
      return reduce(Reduction::kSum);
    case MethodKind::kMean:
      return reduce(Reduction::kMean);
    case MethodKind::kMax:
      return reduce(Reduction::kMax);
    case MethodKind::kMin:
      return reduce(Reduction::kMin);
    case MethodKind::kAny:
      return reduce(Reduction::kAny);
    case MethodKind::kAll:
      return reduce(Reduction::kAll);
    case MethodKind::kArgMax:
    case MethodKind::kArgMin: {
      const BoundArgs b = bind("axis=None,out=None,keepdims=False");
      return Reduce(row_.kind == MethodKind::kArgMax ? Reduction::kArgMax
                                                     : Reduction::kArgMin,
                    t, b[0], Truthy(b[2]));
    }
    case MethodKind::kToList:
      bind("");
      return ToList(t);
    case MethodKind::kItem:
      bind("");
      if (t.num_elements() != 1) {
        RaiseValueError(
            "can only convert an array of size 1 to a Python scalar");
      }
      return Item(t, 0);
    case MethodKind::kCopy:
      bind("");
      return MakeNdarray(Copy(t));
    case MethodKind::kFlatten:
      bind("");
      return MakeNdarray(Copy(t).WithShape({t.num_elements()}));
    case MethodKind::kSqueeze:
      return Squeezed(t, bind("axis=None")[0]);
    case MethodKind::kProd:
      return reduce(Reduction::kProd);
    case MethodKind::kVar:
      return reduce(Reduction::kVar);
    case MethodKind::kStd:
      return reduce(Reduction::kStd);
    case MethodKind::kRound:
      return Wrap(Round(t, ToShapeArg(bind("decimals=0")[0])[0]));
    case MethodKind::kCumSum:
      return MakeNdarray(CumSum(t, bind("axis=None")[0]));
  }
  return Value::None();
}

}  // namespace

bool IsNdarray(const Value& v) {
  const NdarrayObject* a = AsArrayObject(v);
  return a && !a->scalar();
}

Value MakeNdarray(Tensor t) {
  return Value::FromObject(
      std::make_shared<NdarrayObject>(std::move(t), false));
}

const Tensor& NdarrayTensor(const Value& v) {
  return AsArrayObject(v)->tensor();
}

bool IsNumpyScalar(const Value& v) {
  const NdarrayObject* a = AsArrayObject(v);
  return a && a->scalar();
}

Value MakeNumpyScalar(Tensor t) {
  return Value::FromObject(std::make_shared<NdarrayObject>(
      t.rank() == 0 ? std::move(t) : t.WithShape({}), true));
}

const Tensor& NumpyScalarTensor(const Value& v) {
  return AsArrayObject(v)->tensor();
}

void ReplaceNdarrayTensor(const Value& v, Tensor t) {
  const_cast<NdarrayObject*>(AsArrayObject(v))->set_tensor(std::move(t));
}

std::optional<Value> NdarrayObject::GetAttr(std::string_view name) const {
  const Tensor t = tensor_;
  if (name == "shape") {
    ValueList dims;
    for (int64_t d : t.shape()) dims.push_back(Value::Int(d));
    return Value::Tuple(std::move(dims));
  }
  if (name == "dtype") return MakeNumpyDType(t.dtype());
  if (name == "ndim") return Value::Int(t.rank());
  if (name == "size") return Value::Int(t.num_elements());
  if (name == "itemsize") return Value::Int(DTypeSize(t.dtype()));
  if (name == "nbytes") {
    return Value::Int(t.num_elements() * DTypeSize(t.dtype()));
  }
  if (name == "T") return Wrap(Transpose(t, {}));
  if (name == "real") return Wrap(t);
  for (const MethodRow& row : kMethods) {
    if (name == row.name) {
      return Value::FromObject(std::make_shared<ArrayMethod>(row, t));
    }
  }
  return std::nullopt;
}

namespace {

// numpy's dtype object (numpy.dtypes.Float64DType in NumPy 2).
class NumpyDTypeObject : public Object {
 public:
  explicit NumpyDTypeObject(DType dtype) : dtype_(dtype) {}
  std::string TypeName() const override {
    std::string name(DTypeName(dtype_));
    name[0] = static_cast<char>(name[0] - 'a' + 'A');
    return name + "DType";
  }
  std::string Repr() const override {
    return "dtype('" + std::string(DTypeName(dtype_)) + "')";
  }
  std::string Str() const override { return std::string(DTypeName(dtype_)); }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "name") return Value::Str(std::string(DTypeName(dtype_)));
    if (name == "itemsize") return Value::Int(DTypeSize(dtype_));
    return std::nullopt;
  }
  DType dtype() const { return dtype_; }

 private:
  DType dtype_;
};

}  // namespace

Value MakeNumpyDType(DType dtype) {
  return Value::FromObject(std::make_shared<NumpyDTypeObject>(dtype));
}

std::optional<DType> NumpyDTypeOf(const Value& v) {
  if (v.kind() != Value::Kind::kObject) return std::nullopt;
  if (const auto* d =
          dynamic_cast<const NumpyDTypeObject*>(v.as_object().get())) {
    return d->dtype();
  }
  if (const auto* s =
          dynamic_cast<const ScalarTypeObject*>(v.as_object().get())) {
    return s->dtype();
  }
  return std::nullopt;
}

std::string ScalarTypeObject::Repr() const {
  return "<class 'numpy." + std::string(DTypeName(dtype_)) + "'>";
}

std::optional<Value> ScalarTypeObject::GetAttr(std::string_view name) const {
  if (name == "__name__") return Value::Str(std::string(DTypeName(dtype_)));
  return std::nullopt;
}

Value ScalarTypeObject::Call(RunContext&, const CallArgs& args) {
  const std::string name(DTypeName(dtype_));
  if (args.positional.empty() && args.keywords.empty()) {
    return MakeNumpyScalar(Tensor::Zeros(dtype_, {}, name));
  }
  const BoundArgs b = BindArguments(name, ParseParams("value"), args);
  const Tensor t = AsType(ToArray(b[0]), dtype_);
  return Wrap(t);
}

}  // namespace ap::np
