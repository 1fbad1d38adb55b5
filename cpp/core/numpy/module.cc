// The numpy module (numpy/_core/numeric.py, fromnumeric.py, shape_base.py,
// numpy/random, NumPy 2.4): numpy's argument rules and texts; the compute
// goes through array_ops and ops/ so the run's budgets apply.
#include "module.h"

#include <cmath>
#include <memory>
#include <string>

#include "../error.h"
#include "../ops/ops.h"
#include "../python/builtins.h"
#include "../repr.h"
#include "../tf/native.h"
#include "array_ops.h"
#include "ndarray.h"

namespace ap::np {

namespace {

using Args = const BoundArgs&;
using tf::Module;
using tf::NativeFunction;

void Def(Module& m, const char* name, const char* params,
         Value (*body)(RunContext&, Args)) {
  m.Set(name, Value::FromObject(std::make_shared<NativeFunction>(
                  m.name() + "." + name, ParseParams(params),
                  NativeFunction::Body(body), false)));
}

std::optional<DType> ToNpDType(const Value& v) { return ParseNumpyDType(v); }

DType DTypeOr(const Value& v, DType fallback) {
  return ToNpDType(v).value_or(fallback);
}

Shape ShapeArg(const Value& v) {
  Shape shape = ToShapeArg(v);
  for (int64_t d : shape) {
    if (d < 0) RaiseValueError("negative dimensions are not allowed");
  }
  return shape;
}

Value Filled(const Shape& shape, double value, DType dtype) {
  return MakeNdarray(ops::Fill(shape, value, dtype));
}

// The dtype of a Python fill value on its own.
DType NaturalDType(const Value& v) { return ToArray(v).dtype(); }

std::vector<Tensor> ArrayList(const Value& v) {
  if (!v.is_sequence()) {
    if (IsNdarray(v)) {
      const Tensor& t = NdarrayTensor(v);
      std::vector<Tensor> parts;
      for (int64_t i = 0; i < (t.rank() ? t.dim(0) : 0); ++i) {
        ops::SliceItem item;
        item.index = i;
        parts.push_back(ops::StridedSlice(t, {item}));
      }
      return parts;
    }
    RaiseTypeError("The first input argument needs to be a sequence");
  }
  std::vector<Tensor> out;
  for (const Value& item : v.items()) out.push_back(ToArray(item));
  if (out.empty()) RaiseValueError("need at least one array to concatenate");
  return out;
}

// np.result_type of the parts' dtypes.
DType CommonDType(const std::vector<Tensor>& parts) {
  DType d = parts[0].dtype();
  for (const Tensor& t : parts) d = Promote(d, t.dtype());
  return d;
}

Tensor Concatenate(std::vector<Tensor> parts, const Value& axis_value) {
  if (axis_value.is_none()) {
    for (Tensor& t : parts) t = t.WithShape({t.num_elements()});
  }
  const int rank = parts[0].rank();
  if (rank == 0) {
    RaiseValueError("zero-dimensional arrays cannot be concatenated");
  }
  const int64_t axis =
      axis_value.is_none() ? 0 : NormalizeAxis(ToShapeArg(axis_value)[0], rank);
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].rank() != rank) {
      RaiseValueError(
          "all the input arrays must have same number of dimensions, but the "
          "array at index 0 has " +
          std::to_string(rank) + " dimension(s) and the array at index " +
          std::to_string(i) + " has " + std::to_string(parts[i].rank()) +
          " dimension(s)");
    }
    for (int d = 0; d < rank; ++d) {
      if (d != axis && parts[i].dim(d) != parts[0].dim(d)) {
        RaiseValueError(
            "all the input array dimensions except for the concatenation "
            "axis must match exactly, but along dimension " +
            std::to_string(d) + ", the array at index 0 has size " +
            std::to_string(parts[0].dim(d)) + " and the array at index " +
            std::to_string(i) + " has size " + std::to_string(parts[i].dim(d)));
      }
    }
  }
  const DType d = CommonDType(parts);
  for (Tensor& t : parts) t = AsType(t, d);
  return ops::Concat(parts, axis);
}

Value UnaryMath(Args a, ops::UnaryOp op) {
  Tensor t = ToArray(a[0]);
  if (!IsFloatDType(t.dtype())) t = AsType(t, DType::kFloat64);
  return Wrap(ops::Unary(op, t));
}

Tensor Band(const Tensor& t, int64_t k, bool lower) {
  if (t.rank() < 2) {
    RaiseNotSupported("np.tril / np.triu of a 1-D array is not modelled");
  }
  const int64_t rows = t.dim(t.rank() - 2), cols = t.dim(t.rank() - 1);
  Tensor mask = Tensor::Zeros(DType::kBool, {rows, cols}, "tri");
  CurrentBudget()->ChargeElements(rows * cols, compute_cost::kWrite, "tri");
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < cols; ++j) {
      mask.b8()[i * cols + j] = lower ? (j - i <= k) : (j - i >= k);
    }
  }
  return ops::Where(mask, t, Tensor::Zeros(t.dtype(), {}, "tri"));
}

Value ReduceFn(Args a, Reduction r) {
  return Reduce(r, ToArray(a[0]), a[1], Truthy(a[2]));
}

// The number of elements a size= argument asks for, as a shape.
std::optional<Shape> SizeArg(const Value& v) {
  if (v.is_none()) return std::nullopt;
  return ShapeArg(v);
}

Value RandomResult(Tensor t, bool scalar) {
  return scalar ? Item(t, 0) : MakeNdarray(std::move(t));
}

Value Uniform(Random& rng, double low, double high, const Value& size) {
  const std::optional<Shape> shape = SizeArg(size);
  return RandomResult(ops::RandomUniform(shape.value_or(Shape{}), low, high,
                                         DType::kFloat64, rng),
                      !shape);
}

Value Normal(Random& rng, double loc, double scale, const Value& size) {
  const std::optional<Shape> shape = SizeArg(size);
  return RandomResult(ops::RandomNormal(shape.value_or(Shape{}), loc, scale,
                                        rng, DType::kFloat64),
                      !shape);
}

// Integers in [low, high): numpy's randint / Generator.integers.
Value Integers(Random& rng, const Value& low_v, const Value& high_v,
               const Value& size, const char* fn) {
  int64_t low = ToShapeArg(low_v)[0], high = 0;
  if (high_v.is_none()) {
    high = low;
    low = 0;
  } else {
    high = ToShapeArg(high_v)[0];
  }
  if (low >= high) RaiseValueError("low >= high");
  const std::optional<Shape> shape = SizeArg(size);
  Tensor u = ops::RandomUniform(shape.value_or(Shape{}), 0.0, 1.0,
                                DType::kFloat64, rng);
  Tensor out = Tensor::Zeros(DType::kInt64, u.shape(), fn);
  const double span = static_cast<double>(high - low);
  for (int64_t i = 0; i < u.num_elements(); ++i) {
    out.i64()[i] =
        low + std::min(static_cast<int64_t>(u.f64()[i] * span), high - low - 1);
  }
  return shape ? MakeNdarray(out) : Value::Int(out.i64()[0]);
}

// np.random.default_rng(seed): a Generator with its own stream. Its
// methods are rows of a table bound to the stream (no closure per method).
struct GeneratorRow {
  const char* name;
  const char* params;
};

constexpr GeneratorRow kGeneratorMethods[] = {
    {"normal", "loc=0.0,scale=1.0,size=None"},
    {"standard_normal", "size=None,dtype=None"},
    {"random", "size=None,dtype=None"},
    {"uniform", "low=0.0,high=1.0,size=None"},
    {"integers", "low,high=None,size=None,dtype=None,endpoint=False"},
};

class GeneratorMethod : public Callable {
 public:
  GeneratorMethod(const GeneratorRow& row, std::shared_ptr<Random> rng)
      : row_(row), rng_(std::move(rng)) {}
  std::string TypeName() const override { return "builtin_function_or_method"; }
  std::string Repr() const override {
    return std::string("<built-in method ") + row_.name +
           " of numpy.random._generator.Generator object>";
  }
  Value Call(RunContext&, const CallArgs& args) override {
    const BoundArgs a =
        BindArguments(row_.name, ParseParams(row_.params), args);
    const std::string_view name = row_.name;
    Random& rng = *rng_;
    if (name == "normal") {
      return Normal(rng, a[0].as_number(), a[1].as_number(), a[2]);
    }
    if (name == "standard_normal") return Normal(rng, 0.0, 1.0, a[0]);
    if (name == "random") return Uniform(rng, 0.0, 1.0, a[0]);
    if (name == "uniform") {
      return Uniform(rng, a[0].as_number(), a[1].as_number(), a[2]);
    }
    return Integers(rng, a[0], a[1], a[2], "integers");
  }

 private:
  const GeneratorRow& row_;
  std::shared_ptr<Random> rng_;
};

class GeneratorObject : public Object {
 public:
  explicit GeneratorObject(uint64_t seed)
      : rng_(std::make_shared<Random>(seed)) {}
  std::string TypeName() const override { return "Generator"; }
  std::string Repr() const override { return "Generator(PCG64)"; }
  std::optional<Value> GetAttr(std::string_view name) const override {
    for (const GeneratorRow& row : kGeneratorMethods) {
      if (name == row.name) {
        return Value::FromObject(std::make_shared<GeneratorMethod>(row, rng_));
      }
    }
    return std::nullopt;
  }

 private:
  std::shared_ptr<Random> rng_;
};

// Dims given one by one: np.random.rand(2, 3).
Value DimsThen(const CallArgs& args, Random& rng, bool normal) {
  Shape shape;
  for (const Value& v : args.positional) {
    if (v.kind() != Value::Kind::kInt && !IsNumpyScalar(v)) {
      RaiseTypeError("'" + v.TypeName() +
                     "' object cannot be interpreted as an integer");
    }
    shape.push_back(ShapeArg(v)[0]);
  }
  if (!args.keywords.empty()) {
    RaiseTypeError(std::string(normal ? "randn" : "rand") +
                   "() got an unexpected keyword argument '" +
                   args.keywords[0].first + "'");
  }
  Tensor t = normal ? ops::RandomNormal(shape, 0.0, 1.0, rng, DType::kFloat64)
                    : ops::RandomUniform(shape, 0.0, 1.0, DType::kFloat64, rng);
  return RandomResult(t, args.positional.empty());
}

class DimsFunction : public Callable {
 public:
  explicit DimsFunction(bool normal) : normal_(normal) {}
  std::string TypeName() const override { return "builtin_function_or_method"; }
  std::string Repr() const override {
    return normal_
               ? "<built-in method randn of numpy.random.mtrand.RandomState "
                 "object>"
               : "<built-in method rand of numpy.random.mtrand.RandomState "
                 "object>";
  }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    return DimsThen(args, ctx.rng, normal_);
  }

 private:
  bool normal_;
};

void AddRandom(Module& random) {
  random.Set("rand", Value::FromObject(std::make_shared<DimsFunction>(false)));
  random.Set("randn", Value::FromObject(std::make_shared<DimsFunction>(true)));
  Def(random, "seed", "seed=None", [](RunContext& ctx, Args a) {
    ctx.rng.Seed(a[0].is_none() ? 0
                                : static_cast<uint64_t>(ToShapeArg(a[0])[0]));
    return Value::None();
  });
  Def(random, "random", "size=None",
      [](RunContext& ctx, Args a) { return Uniform(ctx.rng, 0.0, 1.0, a[0]); });
  Def(random, "random_sample", "size=None",
      [](RunContext& ctx, Args a) { return Uniform(ctx.rng, 0.0, 1.0, a[0]); });
  Def(random, "normal", "loc=0.0,scale=1.0,size=None",
      [](RunContext& ctx, Args a) {
        return Normal(ctx.rng, a[0].as_number(), a[1].as_number(), a[2]);
      });
  Def(random, "uniform", "low=0.0,high=1.0,size=None",
      [](RunContext& ctx, Args a) {
        return Uniform(ctx.rng, a[0].as_number(), a[1].as_number(), a[2]);
      });
  Def(random, "randint", "low,high=None,size=None,dtype=None",
      [](RunContext& ctx, Args a) {
        return Integers(ctx.rng, a[0], a[1], a[2], "randint");
      });
  Def(random, "choice", "a,size=None,replace=True,p=None",
      [](RunContext& ctx, Args a) {
        if (!a[3].is_none()) {
          RaiseNotSupported("np.random.choice with p= is not modelled");
        }
        const Tensor pool =
            a[0].kind() == Value::Kind::kInt
                ? ops::Range(0, static_cast<double>(a[0].as_int()), 1,
                             DType::kInt64)
                : ToArray(a[0]);
        if (pool.rank() != 1) RaiseValueError("a must be 1-dimensional");
        if (pool.num_elements() == 0) {
          RaiseValueError("a cannot be empty unless no samples are taken");
        }
        Value picks = Integers(ctx.rng, Value::Int(pool.num_elements()),
                               Value::None(), a[1], "choice");
        if (!IsNdarray(picks)) {
          ops::SliceItem item;
          item.index = picks.as_int();
          return Wrap(ops::StridedSlice(pool, {item}));
        }
        return MakeNdarray(
            ops::Gather(pool, AsType(NdarrayTensor(picks), DType::kInt32), 0));
      });
  Def(random, "default_rng", "seed=None", [](RunContext&, Args a) {
    return Value::FromObject(std::make_shared<GeneratorObject>(
        a[0].is_none() ? 0 : static_cast<uint64_t>(ToShapeArg(a[0])[0])));
  });
}

void AddCreation(Module& np) {
  Def(np, "array", "object,dtype=None,copy=True,ndmin=0",
      [](RunContext&, Args a) {
        Tensor t = ToArray(a[0], ToNpDType(a[1]));
        if (IsNdarray(a[0]) &&
            t.storage_id() == NdarrayTensor(a[0]).storage_id()) {
          t = Copy(t);
        }
        return MakeNdarray(t);
      });
  Def(np, "asarray", "a,dtype=None", [](RunContext&, Args a) {
    if (IsNdarray(a[0]) && a[1].is_none()) return a[0];
    return MakeNdarray(ToArray(a[0], ToNpDType(a[1])));
  });
  Def(np, "zeros", "shape,dtype=None", [](RunContext&, Args a) {
    return Filled(ShapeArg(a[0]), 0, DTypeOr(a[1], DType::kFloat64));
  });
  Def(np, "empty", "shape,dtype=None", [](RunContext&, Args a) {
    return Filled(ShapeArg(a[0]), 0, DTypeOr(a[1], DType::kFloat64));
  });
  Def(np, "ones", "shape,dtype=None", [](RunContext&, Args a) {
    return Filled(ShapeArg(a[0]), 1, DTypeOr(a[1], DType::kFloat64));
  });
  Def(np, "full", "shape,fill_value,dtype=None", [](RunContext&, Args a) {
    const DType d = DTypeOr(a[2], NaturalDType(a[1]));
    return MakeNdarray(ops::Fill(ShapeArg(a[0]), ToArray(a[1], d)));
  });
  Def(np, "zeros_like", "a,dtype=None", [](RunContext&, Args a) {
    const Tensor t = ToArray(a[0]);
    return Filled(t.shape(), 0, DTypeOr(a[1], t.dtype()));
  });
  Def(np, "ones_like", "a,dtype=None", [](RunContext&, Args a) {
    const Tensor t = ToArray(a[0]);
    return Filled(t.shape(), 1, DTypeOr(a[1], t.dtype()));
  });
  Def(np, "full_like", "a,fill_value,dtype=None", [](RunContext&, Args a) {
    const Tensor t = ToArray(a[0]);
    const DType d = DTypeOr(a[2], t.dtype());
    return MakeNdarray(ops::Fill(t.shape(), ToArray(a[1], d)));
  });
  Def(np, "arange", "start,stop=None,step=None,dtype=None",
      [](RunContext&, Args a) {
        const bool any_float = a[0].kind() == Value::Kind::kFloat ||
                               a[1].kind() == Value::Kind::kFloat ||
                               a[2].kind() == Value::Kind::kFloat;
        double start = a[0].as_number(), stop = 0, step = 1;
        if (a[1].is_none()) {
          stop = start;
          start = 0;
        } else {
          stop = a[1].as_number();
        }
        if (!a[2].is_none()) step = a[2].as_number();
        if (step == 0)
          RaiseText(ErrorClass::kZeroDivisionError, "division by zero");
        const double n = std::ceil((stop - start) / step);
        const int64_t count = n > 0 ? static_cast<int64_t>(n) : 0;
        const DType d =
            DTypeOr(a[3], any_float ? DType::kFloat64 : DType::kInt64);
        Tensor t = Tensor::Zeros(DType::kFloat64, {count}, "arange");
        for (int64_t i = 0; i < count; ++i) t.f64()[i] = start + i * step;
        return MakeNdarray(AsType(t, d));
      });
  Def(np, "linspace", "start,stop,num=50,endpoint=True,dtype=None",
      [](RunContext&, Args a) {
        const int64_t num = ToShapeArg(a[2])[0];
        if (num < 0) {
          RaiseValueError("Number of samples, " + std::to_string(num) +
                          ", must be non-negative.");
        }
        const double start = a[0].as_number(), stop = a[1].as_number();
        const bool endpoint = Truthy(a[3]);
        const int64_t div = endpoint ? num - 1 : num;
        Tensor t = Tensor::Zeros(DType::kFloat64, {num}, "linspace");
        const double step = div > 0 ? (stop - start) / div : 0;
        for (int64_t i = 0; i < num; ++i) t.f64()[i] = start + i * step;
        if (endpoint && num > 1) t.f64()[num - 1] = stop;
        return MakeNdarray(AsType(t, DTypeOr(a[4], DType::kFloat64)));
      });
  Def(np, "eye", "N,M=None,k=0,dtype=None", [](RunContext&, Args a) {
    const int64_t n = ShapeArg(a[0])[0];
    const int64_t m = a[1].is_none() ? n : ShapeArg(a[1])[0];
    const Tensor ones = ops::Fill({n, m}, 1, DTypeOr(a[3], DType::kFloat64));
    const int64_t k = ToShapeArg(a[2])[0];
    return MakeNdarray(
        AsType(ops::Binary(ops::BinaryOp::kMul, Band(ones, k, true),
                           Band(ones, k, false)),
               ones.dtype()));
  });
  Def(np, "identity", "n,dtype=None", [](RunContext&, Args a) {
    const int64_t n = ShapeArg(a[0])[0];
    return MakeNdarray(ops::Eye(n, n, {}, DTypeOr(a[1], DType::kFloat64)));
  });
}

void AddShapeFunctions(Module& np) {
  Def(np, "concatenate", "arrays,axis=0", [](RunContext&, Args a) {
    return MakeNdarray(Concatenate(ArrayList(a[0]), a[1]));
  });
  Def(np, "stack", "arrays,axis=0", [](RunContext&, Args a) {
    std::vector<Tensor> parts = ArrayList(a[0]);
    for (const Tensor& t : parts) {
      if (t.shape() != parts[0].shape()) {
        RaiseValueError("all input arrays must have the same shape");
      }
    }
    const int64_t axis =
        NormalizeAxis(ToShapeArg(a[1])[0], parts[0].rank() + 1);
    const DType d = CommonDType(parts);
    for (Tensor& t : parts) t = AsType(t, d);
    return MakeNdarray(ops::Stack(parts, axis));
  });
  Def(np, "vstack", "tup", [](RunContext&, Args a) {
    std::vector<Tensor> parts = ArrayList(a[0]);
    for (Tensor& t : parts) {
      if (t.rank() < 2) t = t.WithShape({1, t.num_elements()});
    }
    return MakeNdarray(Concatenate(parts, Value::Int(0)));
  });
  Def(np, "hstack", "tup", [](RunContext&, Args a) {
    std::vector<Tensor> parts = ArrayList(a[0]);
    for (Tensor& t : parts) {
      if (t.rank() == 0) t = t.WithShape({1});
    }
    return MakeNdarray(
        Concatenate(parts, Value::Int(parts[0].rank() == 1 ? 0 : 1)));
  });
  Def(np, "reshape", "a,shape", [](RunContext&, Args a) {
    return MakeNdarray(Reshape(ToArray(a[0]), ToShapeArg(a[1])));
  });
  Def(np, "transpose", "a,axes=None", [](RunContext&, Args a) {
    return Wrap(Transpose(ToArray(a[0]), a[1].is_none() ? std::vector<int64_t>{}
                                                        : ToShapeArg(a[1])));
  });
  Def(np, "swapaxes", "a,axis1,axis2", [](RunContext&, Args a) {
    const Tensor t = ToArray(a[0]);
    std::vector<int64_t> perm;
    for (int i = 0; i < t.rank(); ++i) perm.push_back(i);
    std::swap(perm[NormalizeAxis(ToShapeArg(a[1])[0], t.rank())],
              perm[NormalizeAxis(ToShapeArg(a[2])[0], t.rank())]);
    return Wrap(Transpose(t, perm));
  });
  Def(np, "expand_dims", "a,axis", [](RunContext&, Args a) {
    const Tensor t = ToArray(a[0]);
    const int64_t axis = NormalizeAxis(ToShapeArg(a[1])[0], t.rank() + 1);
    return MakeNdarray(ops::ExpandDims(t, axis));
  });
  Def(np, "squeeze", "a,axis=None", [](RunContext&, Args a) {
    const Tensor t = ToArray(a[0]);
    std::vector<int64_t> axes;
    if (!a[1].is_none()) {
      for (int64_t x : ToShapeArg(a[1])) {
        const int64_t axis = NormalizeAxis(x, t.rank());
        if (t.dim(static_cast<int>(axis)) != 1) {
          RaiseValueError(
              "cannot select an axis to squeeze out which has size not "
              "equal to one");
        }
        axes.push_back(axis);
      }
      if (axes.empty()) return Wrap(t);
    }
    return Wrap(ops::Squeeze(t, axes));
  });
  Def(np, "tile", "A,reps", [](RunContext&, Args a) {
    Tensor t = ToArray(a[0]);
    std::vector<int64_t> reps = ToShapeArg(a[1]);
    Shape shape = t.shape();
    while (shape.size() < reps.size()) shape.insert(shape.begin(), 1);
    while (reps.size() < shape.size()) reps.insert(reps.begin(), 1);
    return MakeNdarray(ops::Tile(t.WithShape(shape), reps));
  });
  Def(np, "repeat", "a,repeats,axis=None", [](RunContext&, Args a) {
    Tensor t = ToArray(a[0]);
    if (a[2].is_none()) t = t.WithShape({t.num_elements()});
    const int64_t axis =
        a[2].is_none() ? 0 : NormalizeAxis(ToShapeArg(a[2])[0], t.rank());
    const int64_t n = ToShapeArg(a[1])[0];
    if (n < 0) RaiseValueError("repeats may not contain negative values.");
    Tensor e = ops::ExpandDims(t, axis + 1);
    std::vector<int64_t> reps(e.rank(), 1);
    reps[axis + 1] = n;
    Tensor tiled = ops::Tile(e, reps);
    Shape shape = t.shape();
    shape[axis] *= n;
    return MakeNdarray(tiled.WithShape(shape));
  });
  Def(np, "tril", "m,k=0", [](RunContext&, Args a) {
    return MakeNdarray(Band(ToArray(a[0]), ToShapeArg(a[1])[0], true));
  });
  Def(np, "triu", "m,k=0", [](RunContext&, Args a) {
    return MakeNdarray(Band(ToArray(a[0]), ToShapeArg(a[1])[0], false));
  });
  Def(np, "shape", "a", [](RunContext&, Args a) {
    ValueList dims;
    const Tensor t = ToArray(a[0]);
    for (int64_t d : t.shape()) dims.push_back(Value::Int(d));
    return Value::Tuple(std::move(dims));
  });
  Def(np, "ndim", "a",
      [](RunContext&, Args a) { return Value::Int(ToArray(a[0]).rank()); });
  Def(np, "size", "a", [](RunContext&, Args a) {
    return Value::Int(ToArray(a[0]).num_elements());
  });
}

Value BinaryFn(RunContext& ctx, Args a, const char* op) {
  const Value x = a[0].is_sequence() ? MakeNdarray(ToArray(a[0])) : a[0];
  const Value y = a[1].is_sequence() ? MakeNdarray(ToArray(a[1])) : a[1];
  if (x.is_number() && y.is_number()) {
    return BinaryOperator(op, MakeNumpyScalar(ToArray(x)), y, ctx);
  }
  return BinaryOperator(op,
                        IsNdarray(x) || IsNumpyScalar(x) || x.is_number()
                            ? x
                            : MakeNdarray(ToArray(x)),
                        IsNdarray(y) || IsNumpyScalar(y) || y.is_number()
                            ? y
                            : MakeNdarray(ToArray(y)),
                        ctx);
}

void AddMath(Module& np) {
  Def(np, "sum", "a,axis=None,keepdims=False",
      [](RunContext&, Args a) { return ReduceFn(a, Reduction::kSum); });
  Def(np, "mean", "a,axis=None,keepdims=False",
      [](RunContext&, Args a) { return ReduceFn(a, Reduction::kMean); });
  for (const char* name : {"max", "amax"}) {
    Def(np, name, "a,axis=None,keepdims=False",
        [](RunContext&, Args a) { return ReduceFn(a, Reduction::kMax); });
  }
  for (const char* name : {"min", "amin"}) {
    Def(np, name, "a,axis=None,keepdims=False",
        [](RunContext&, Args a) { return ReduceFn(a, Reduction::kMin); });
  }
  Def(np, "prod", "a,axis=None,keepdims=False",
      [](RunContext&, Args a) { return ReduceFn(a, Reduction::kProd); });
  Def(np, "var", "a,axis=None,keepdims=False",
      [](RunContext&, Args a) { return ReduceFn(a, Reduction::kVar); });
  Def(np, "std", "a,axis=None,keepdims=False",
      [](RunContext&, Args a) { return ReduceFn(a, Reduction::kStd); });
  for (const char* name : {"round", "around"}) {
    Def(np, name, "a,decimals=0", [](RunContext&, Args a) {
      return Wrap(Round(ToArray(a[0]), ToShapeArg(a[1])[0]));
    });
  }
  // np.bincount (numpy/_core/src/multiarray/compiled_base.c, NumPy 2.4):
  // the count of each value 0..max of a 1-D array of non-negative ints.
  Def(np, "bincount", "x,weights=None,minlength=0", [](RunContext&, Args a) {
    if (!a[1].is_none())
      RaiseNotSupported("np.bincount with weights is not modelled");
    if (a[2].kind() != Value::Kind::kInt) {
      RaiseNotSupported(
          "np.bincount with a minlength that is not an int is not modelled");
    }
    if (a[2].as_int() < 0) RaiseValueError("'minlength' must not be negative");
    const Tensor x = ToArray(a[0]);
    if (x.rank() == 0) {
      RaiseValueError("object of too small depth for desired array");
    }
    if (x.rank() > 1)
      RaiseNotSupported("np.bincount of an array of rank > 1 is not modelled");
    if (IsFloatDType(x.dtype())) {
      if (!IsNdarray(a[0]))
        RaiseNotSupported("np.bincount of a list of floats is not modelled");
      RaiseTypeError("Cannot cast array data from dtype('" +
                     std::string(DTypeName(x.dtype())) +
                     "') to dtype('int64') according to the rule 'safe'");
    }
    int64_t length = a[2].as_int();
    std::vector<int64_t> values(static_cast<size_t>(x.num_elements()));
    for (int64_t i = 0; i < x.num_elements(); ++i) {
      values[i] = static_cast<int64_t>(x.GetAsDouble(i));
      if (values[i] < 0) {
        RaiseValueError("'list' argument must have no negative elements");
      }
      length = std::max(length, values[i] + 1);
    }
    Tensor counts = Tensor::Zeros(DType::kInt64, {length}, "bincount");
    for (int64_t v : values) counts.i64()[v] += 1;
    return MakeNdarray(std::move(counts));
  });
  Def(np, "cumsum", "a,axis=None", [](RunContext&, Args a) {
    return MakeNdarray(CumSum(ToArray(a[0]), a[1]));
  });
  Def(np, "power", "x1,x2",
      [](RunContext& ctx, Args a) { return BinaryFn(ctx, a, "**"); });
  Def(np, "any", "a,axis=None,keepdims=False",
      [](RunContext&, Args a) { return ReduceFn(a, Reduction::kAny); });
  Def(np, "all", "a,axis=None,keepdims=False",
      [](RunContext&, Args a) { return ReduceFn(a, Reduction::kAll); });
  Def(np, "argmax", "a,axis=None,out=None,keepdims=False",
      [](RunContext&, Args a) {
        return Reduce(Reduction::kArgMax, ToArray(a[0]), a[1], Truthy(a[3]));
      });
  Def(np, "argmin", "a,axis=None,out=None,keepdims=False",
      [](RunContext&, Args a) {
        return Reduce(Reduction::kArgMin, ToArray(a[0]), a[1], Truthy(a[3]));
      });
  Def(np, "exp", "x",
      [](RunContext&, Args a) { return UnaryMath(a, ops::UnaryOp::kExp); });
  Def(np, "log", "x",
      [](RunContext&, Args a) { return UnaryMath(a, ops::UnaryOp::kLog); });
  Def(np, "sqrt", "x",
      [](RunContext&, Args a) { return UnaryMath(a, ops::UnaryOp::kSqrt); });
  Def(np, "tanh", "x",
      [](RunContext&, Args a) { return UnaryMath(a, ops::UnaryOp::kTanh); });
  Def(np, "sin", "x",
      [](RunContext&, Args a) { return UnaryMath(a, ops::UnaryOp::kSin); });
  Def(np, "cos", "x",
      [](RunContext&, Args a) { return UnaryMath(a, ops::UnaryOp::kCos); });
  for (const char* name : {"abs", "absolute"}) {
    Def(np, name, "x", [](RunContext&, Args a) {
      return UnaryOperator("abs", Wrap(ToArray(a[0])));
    });
  }
  Def(np, "square", "x", [](RunContext&, Args a) {
    return Wrap(ops::Unary(ops::UnaryOp::kSquare, ToArray(a[0])));
  });
  Def(np, "maximum", "x1,x2",
      [](RunContext& ctx, Args a) { return BinaryFn(ctx, a, "maximum"); });
  Def(np, "minimum", "x1,x2",
      [](RunContext& ctx, Args a) { return BinaryFn(ctx, a, "minimum"); });
  Def(np, "add", "x1,x2",
      [](RunContext& ctx, Args a) { return BinaryFn(ctx, a, "+"); });
  Def(np, "subtract", "x1,x2",
      [](RunContext& ctx, Args a) { return BinaryFn(ctx, a, "-"); });
  Def(np, "multiply", "x1,x2",
      [](RunContext& ctx, Args a) { return BinaryFn(ctx, a, "*"); });
  Def(np, "divide", "x1,x2",
      [](RunContext& ctx, Args a) { return BinaryFn(ctx, a, "/"); });
  Def(np, "matmul", "x1,x2", [](RunContext&, Args a) {
    return Wrap(MatMul(ToArray(a[0]), ToArray(a[1])));
  });
  Def(np, "dot", "a,b", [](RunContext&, Args a) {
    return Wrap(Dot(ToArray(a[0]), ToArray(a[1])));
  });
  Def(np, "clip", "a,a_min,a_max", [](RunContext& ctx, Args a) {
    Value x = Wrap(ToArray(a[0]));
    if (!a[1].is_none()) x = BinaryOperator("maximum", x, a[1], ctx);
    if (!a[2].is_none()) x = BinaryOperator("minimum", x, a[2], ctx);
    return x;
  });
  Def(np, "where", "condition,x=None,y=None", [](RunContext&, Args a) {
    if (a[1].is_none() || a[2].is_none()) {
      RaiseNotSupported("np.where with one argument is not modelled");
    }
    const Tensor c = ToArray(a[0], DType::kBool);
    Tensor x = ToArray(a[1]), y = ToArray(a[2]);
    const DType d = CommonDType({x, y});
    x = AsType(x, d);
    y = AsType(y, d);
    std::optional<Shape> s = BroadcastShapes(c.shape(), x.shape());
    if (s) s = BroadcastShapes(*s, y.shape());
    if (!s) {
      std::string text;
      for (const Tensor* t : {&c, static_cast<const Tensor*>(&x),
                              static_cast<const Tensor*>(&y)}) {
        std::string shape = "(";
        for (int i = 0; i < t->rank(); ++i) {
          shape += (i ? "," : "") + std::to_string(t->dim(i));
        }
        text += shape + (t->rank() == 1 ? ",) " : ") ");
      }
      RaiseValueError("operands could not be broadcast together with shapes " +
                      text);
    }
    return Wrap(ops::Where(c, x, y));
  });
  Def(np, "allclose", "a,b,rtol=1e-05,atol=1e-08", [](RunContext& ctx, Args a) {
    const Value x = Wrap(ToArray(a[0], DType::kFloat64));
    const Value y = Wrap(ToArray(a[1], DType::kFloat64));
    const Value diff = UnaryOperator("abs", BinaryOperator("-", x, y, ctx));
    const Value tol = BinaryOperator(
        "+", a[3], BinaryOperator("*", a[2], UnaryOperator("abs", y), ctx),
        ctx);
    const Tensor ok = ToArray(BinaryOperator("<=", diff, tol, ctx));
    for (int64_t i = 0; i < ok.num_elements(); ++i) {
      if (!ok.b8()[i]) return Value::Bool(false);
    }
    return Value::Bool(true);
  });
  Def(np, "array_equal", "a1,a2", [](RunContext&, Args a) {
    const Tensor x = ToArray(a[0]), y = ToArray(a[1]);
    if (x.shape() != y.shape()) return Value::Bool(false);
    for (int64_t i = 0; i < x.num_elements(); ++i) {
      if (x.GetAsDouble(i) != y.GetAsDouble(i)) return Value::Bool(false);
    }
    return Value::Bool(true);
  });
}

std::shared_ptr<Module> BuildModule() {
  auto np = std::make_shared<Module>("numpy");
  np->SetUnknownIsUnsupported(true);
  AddCreation(*np);
  AddShapeFunctions(*np);
  AddMath(*np);
  auto random = std::make_shared<Module>("numpy.random");
  random->SetUnknownIsUnsupported(true);
  AddRandom(*random);
  np->Set("random", Value::FromObject(random));
  const std::pair<const char*, DType> types[] = {
      {"float32", DType::kFloat32}, {"float64", DType::kFloat64},
      {"int32", DType::kInt32},     {"int64", DType::kInt64},
      {"bool_", DType::kBool},      {"bool", DType::kBool},
      {"int_", DType::kInt64},      {"double", DType::kFloat64}};
  for (const auto& [name, dtype] : types) np->Set(name, MakeScalarType(dtype));
  np->Set("ndarray", py::MakeTypeObject("ndarray", [](const Value& v) {
            return IsNdarray(v);
          }));
  np->Set("newaxis", Value::None());
  np->Set("pi", Value::Float(M_PI));
  np->Set("e", Value::Float(M_E));
  np->Set("inf", Value::Float(INFINITY));
  np->Set("nan", Value::Float(NAN));
  return np;
}

}  // namespace

Value NumpyModule() {
  static const std::shared_ptr<Module> module = BuildModule();
  return Value::FromObject(module);
}

}  // namespace ap::np
