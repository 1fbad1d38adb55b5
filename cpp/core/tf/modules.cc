// The TensorFlow / Keras / numpy API surface: module objects whose functions
// call the core ops and layers, and TensorFlowFramework::ImportModule.
#include <cmath>
#include <memory>

#include "../error.h"
#include "../keras/callbacks.h"
#include "../keras/functional.h"
#include "../keras/input_layer.h"
#include "../keras/layer_registry.h"
#include "../keras/metric_objects.h"
#include "../keras/optimizers.h"
#include "../keras/program_layer.h"
#include "../keras/sequential.h"
#include "../keras/stand_ins.h"
#include "../numpy/module.h"
#include "../ops/ops.h"
#include "../python/builtins.h"
#include "../python/exceptions.h"
#include "../python/imports.h"
#include "../repr.h"
#include "convert.h"
#include "data.h"
#include "keras_extras.h"
#include "keras_utils.h"
#include "legacy_backend.h"
#include "native.h"
#include "tensorflow_framework.h"

namespace ap::tf {

namespace {

using Args = const BoundArgs&;
using ModulePtr = std::shared_ptr<Module>;

Value T(Tensor t) { return Value::FromTensor(std::move(t)); }
Param Req(std::string name) { return Param{std::move(name), std::nullopt}; }
Param Opt(std::string name, Value v = Value::None()) {
  return Param{std::move(name), std::move(v)};
}

void DefBody(Module& m, std::string_view name, std::vector<Param> params,
             NativeFunction::Body body) {
  const std::string attr(name);
  m.Set(attr, Value::FromObject(std::make_shared<NativeFunction>(
                  m.name() + "." + attr, std::move(params), std::move(body))));
}
// The parameters as Python would write them, "x,axis=None,name='range'"
// (ParseParams): one string per function instead of code building a
// vector of Params at every call site.
using BodyFn = Value (*)(RunContext&, Args);
void DefFn(Module& m, std::string_view name, const char* params, BodyFn body) {
  DefBody(m, name, ParseParams(params), body);
}
template <typename F>
void Def(Module& m, std::string_view name, const char* params, F&& body) {
  if constexpr (std::is_convertible_v<std::decay_t<F>, BodyFn>) {
    DefFn(m, name, params, body);  // no std::function at the call site
  } else {
    DefBody(m, name, ParseParams(params),
            NativeFunction::Body(std::forward<F>(body)));
  }
}
void DefData(Module& m, std::string_view name, std::vector<Param> params,
             int64_t data, NativeFunction::DataBody body) {
  const std::string attr(name);
  m.Set(attr, Value::FromObject(std::make_shared<NativeFunction>(
                  m.name() + "." + attr, std::move(params), body, data)));
}
void DefData(Module& m, std::string_view name, const char* params, int64_t data,
             NativeFunction::DataBody body) {
  DefData(m, name, ParseParams(params), data, body);
}
template <typename F>
void Def(Module& m, std::string_view name, std::vector<Param> params,
         F&& body) {
  DefBody(m, name, std::move(params),
          MakeFunction<NativeFunction::Body>(std::forward<F>(body)));
}

[[noreturn]] void NotSupported(std::string text) {
  Error e;
  e.cls = ErrorClass::kNotSupportedError;
  e.text = std::move(text);
  Raise(std::move(e));
}

std::optional<DType> OptDType(const Value& v) {
  if (v.is_none()) return std::nullopt;
  return ToDType(v);
}

std::optional<std::vector<int>> OptAxes(const Value& v) {
  if (v.is_none()) return std::nullopt;
  std::vector<int> axes;
  for (int64_t a : ToIntList(v, "axis")) axes.push_back(static_cast<int>(a));
  return axes;
}

// TF's binary functions convert the non-tensor operand with the tensor's
// dtype, like the operators; two tensors reach the op as they are (which
// raises "cannot compute Mul as input #1 ..." on a dtype mismatch).
void ConvertPair(const Value& x, const Value& y, Tensor* a, Tensor* b) {
  if (x.is_tensor() && y.is_tensor()) {
    *a = x.as_tensor();
    *b = y.as_tensor();
  } else if (x.is_tensor()) {
    *a = x.as_tensor();
    *b = ToTensor(y, a->dtype());
  } else if (y.is_tensor()) {
    *b = y.as_tensor();
    *a = ToTensor(x, b->dtype());
  } else {
    *a = ToTensor(x);
    *b = ToTensor(y, a->dtype());
  }
}

// Keras 3 ops promote mixed dtypes (bool < int32 < float32) instead of
// raising, and let Python scalars take the tensor's dtype unless a float
// meets an int tensor.
void PromotePair(const Value& x, const Value& y, Tensor* a, Tensor* b) {
  auto rank = [](DType d) {
    return d == DType::kBool ? 0 : d == DType::kInt32 ? 1 : 2;
  };
  auto natural = [](const Value& v) {
    return v.is_tensor() ? v.as_tensor().dtype()
                         : InferPythonDType(v).value_or(DType::kFloat32);
  };
  const DType dx = natural(x), dy = natural(y);
  const DType target = rank(dx) >= rank(dy) ? dx : dy;
  auto convert = [&](const Value& v) {
    Tensor t = v.is_tensor() ? v.as_tensor() : ToTensor(v, natural(v));
    return t.dtype() == target ? t : ops::Cast(t, target);
  };
  *a = convert(x);
  *b = convert(y);
}

void DefBinary(Module& m, const std::string& name, ops::BinaryOp op,
               bool keras_promotion) {
  const std::string p1 = keras_promotion ? "x1" : "x";
  const std::string p2 = keras_promotion ? "x2" : "y";
  std::vector<Param> params{Req(p1), Req(p2)};
  if (!keras_promotion) params.push_back(Opt("name"));
  DefData(m, name, params, static_cast<int64_t>(op) * 2 + keras_promotion,
          [](RunContext&, Args a, int64_t data) {
            const auto op = static_cast<ops::BinaryOp>(data / 2);
            const bool keras_promotion = data % 2 != 0;
            Tensor x, y;
            if (keras_promotion) {
              PromotePair(a[0], a[1], &x, &y);
            } else {
              ConvertPair(a[0], a[1], &x, &y);
            }
            return T(ops::Binary(op, x, y));
          });
}

void DefUnary(Module& m, const std::string& name, ops::UnaryOp op,
              const std::string& param = "x") {
  DefData(m, name, {Req(param), Opt("name")}, static_cast<int64_t>(op),
          [](RunContext&, Args a, int64_t op) {
            return T(ops::Unary(static_cast<ops::UnaryOp>(op), ToTensor(a[0])));
          });
}

void DefReduce(Module& m, const std::string& name, ops::ReduceOp op,
               bool keras_names) {
  const char* params = keras_names
                           ? "x,axis=None,keepdims=False"
                           : "input_tensor,axis=None,keepdims=False,name=None";
  DefData(m, name, params, static_cast<int64_t>(op),
          [](RunContext&, Args a, int64_t op) {
            return T(ops::Reduce(
                static_cast<ops::ReduceOp>(op), ToTensor(a[0]), OptAxes(a[1]),
                a[2].kind() != Value::Kind::kNone && a[2].as_number() != 0));
          });
}

// ---- tf ---------------------------------------------------------------

void AddCreationFunctions(Module& tf) {
  for (const char* name : {"zeros", "ones"}) {
    const double value = std::string(name) == "ones" ? 1 : 0;
    DefData(tf, name, "shape,dtype=float32,name=None",
            static_cast<int64_t>(value), [](RunContext&, Args a, int64_t one) {
              return T(ops::Fill(ToShape(a[0], one ? "tf.ones" : "tf.zeros"),
                                 static_cast<double>(one), ToDType(a[1])));
            });
  }
  for (const char* name : {"zeros_like", "ones_like"}) {
    const double value = std::string(name) == "ones_like" ? 1 : 0;
    DefData(tf, name, "input,dtype=None,name=None", static_cast<int64_t>(value),
            [](RunContext&, Args a, int64_t one) {
              Tensor t = ToTensor(a[0]);
              return T(ops::Fill(t.shape(), static_cast<double>(one),
                                 OptDType(a[1]).value_or(t.dtype())));
            });
  }
  Def(tf, "fill", "dims,value,name=None", [](RunContext&, Args a) {
    Tensor v = ToTensor(a[1]);
    return T(ops::Fill(ToShape(a[0], "tf.fill"), v));
  });
  Def(tf, "range", "start,limit=None,delta=1,dtype=None,name='range'",
      [](RunContext&, Args a) {
        Value start = a[0], limit = a[1];
        if (limit.is_none()) {
          limit = start;
          start = Value::Int(0);
        }
        const bool any_float = start.kind() == Value::Kind::kFloat ||
                               limit.kind() == Value::Kind::kFloat ||
                               a[2].kind() == Value::Kind::kFloat;
        // math_ops.range (TF 2.21): the widest of the arguments' dtypes
        // (an int beyond int32 is int64); with dtype=, each argument is
        // converted to it (TypeError for 1.5 as an int).
        bool any_int64 = false;
        for (const Value& v : {start, limit, a[2]}) {
          any_int64 = any_int64 || (v.kind() == Value::Kind::kInt &&
                                    InferPythonDType(v) == DType::kInt64);
        }
        const std::optional<DType> given = OptDType(a[3]);
        if (given) {
          for (const Value& v : {start, limit, a[2]}) {
            if (!v.is_tensor()) ToTensor(v, *given);
          }
        }
        DType dtype = given.value_or(any_float   ? DType::kFloat32
                                     : any_int64 ? DType::kInt64
                                                 : DType::kInt32);
        return T(ops::Range(ToDouble(start, "start"), ToDouble(limit, "limit"),
                            ToDouble(a[2], "delta"), dtype));
      });
  auto constant = [](RunContext&, Args a) {
    std::optional<DType> dtype = OptDType(a[1]);
    Tensor t;
    if (a[0].is_tensor()) {
      t = a[0].as_tensor();
      if (dtype && *dtype != t.dtype()) t = ops::Cast(t, *dtype);
    } else {
      t = ToTensor(a[0], dtype);
    }
    if (!a[2].is_none()) {
      const Shape shape = ToShape(a[2], "tf.constant");
      if (t.num_elements() == 1) return T(ops::Fill(shape, t));
      const auto n = CheckedNumElements(shape);
      if (!n || *n != t.num_elements()) {
        RaiseText(
            ErrorClass::kTypeError,
            "Eager execution of tf.constant with unsupported shape. Tensor " +
                NumpyStr(t) + " (converted from " + Repr(a[0]) + ") has " +
                std::to_string(t.num_elements()) +
                " elements, but got `shape` " + ShapeToPyString(shape) +
                " with " + (n ? std::to_string(*n) : std::string("too many")) +
                " elements).");
      }
      return T(ops::Reshape(t, shape));
    }
    return T(t);
  };
  Def(tf, "constant", "value,dtype=None,shape=None,name='Const'", constant);
  Def(tf, "convert_to_tensor", "value,dtype=None,dtype_hint=None,name=None",
      [](RunContext&, Args a) {
        std::optional<DType> dtype = OptDType(a[1]);
        if (!dtype && !a[0].is_tensor()) dtype = OptDType(a[2]);
        // A tensor of the requested dtype comes back as the same object
        // (its Keras mask included).
        if (a[0].is_tensor() &&
            (!dtype || *dtype == a[0].as_tensor().dtype())) {
          return a[0];
        }
        return T(ToTensor(a[0], dtype));
      });
}

void AddShapeFunctions(Module& tf) {
  Def(tf, "reshape", "tensor,shape,name=None", [](RunContext& ctx, Args a) {
    const std::vector<int64_t> shape = ToIntList(a[1], "shape");
    keras::NoteStandInReshape(ctx, shape);
    return T(ops::Reshape(ToTensor(a[0]), shape));
  });
  Def(tf, "expand_dims", "input,axis,name=None", [](RunContext&, Args a) {
    return T(ops::ExpandDims(ToTensor(a[0]), ToInt(a[1], "axis")));
  });
  Def(tf, "squeeze", "input,axis=None,name=None", [](RunContext&, Args a) {
    std::vector<int64_t> axes;
    if (!a[1].is_none()) axes = ToIntList(a[1], "axis");
    return T(ops::Squeeze(ToTensor(a[0]), axes));
  });
  Def(tf, "transpose", "a,perm=None,conjugate=False,name='transpose'",
      [](RunContext&, Args a) {
        std::optional<std::vector<int64_t>> perm;
        if (!a[1].is_none()) perm = ToIntList(a[1], "perm");
        return T(ops::Transpose(ToTensor(a[0]), perm));
      });
  Def(tf, "pad", "tensor,paddings,mode='CONSTANT',constant_values=0,name=None",
      [](RunContext&, Args a) {
        if (a[2].kind() != Value::Kind::kStr ||
            (a[2].as_str() != "CONSTANT" && a[2].as_str() != "constant")) {
          NotSupported("tf.pad mode=" + Repr(a[2]) +
                       " is not modelled by the playground (only CONSTANT)");
        }
        return T(ops::Pad(ToTensor(a[0]), ToTensor(a[1], DType::kInt32),
                          ToDouble(a[3], "constant_values")));
      });
  Def(tf, "concat", "values,axis,name='concat'", [](RunContext&, Args a) {
    if (!a[0].is_sequence()) {
      return T(ToTensor(a[0]));  // TF: a single tensor is returned as is
    }
    std::vector<Tensor> parts;
    for (const Value& v : a[0].items()) parts.push_back(ToTensor(v));
    return T(ops::Concat(parts, ToInt(a[1], "axis")));
  });
  Def(tf, "stack", "values,axis=0,name='stack'", [](RunContext&, Args a) {
    std::vector<Tensor> parts;
    for (const Value& v : a[0].items()) parts.push_back(ToTensor(v));
    return T(ops::Stack(parts, ToInt(a[1], "axis")));
  });
  Def(tf, "tile", "input,multiples,name=None", [](RunContext&, Args a) {
    return T(ops::Tile(ToTensor(a[0]), ToIntList(a[1], "multiples")));
  });
  Def(tf, "shape", "input,out_type=None,name=None", [](RunContext&, Args a) {
    const Shape s = ToTensor(a[0]).shape();
    const DType out_type = OptDType(a[1]).value_or(DType::kInt32);
    if (!IsIntegerDType(out_type)) {
      NotSupported("tf.shape out_type=" + Repr(a[1]) +
                   " (TensorFlow allows int32 and int64 only; its "
                   "attr-list error is not reproduced)");
    }
    Tensor t =
        Tensor::Zeros(out_type, {static_cast<int64_t>(s.size())}, "Shape");
    for (size_t i = 0; i < s.size(); ++i) {
      if (out_type == DType::kInt64) {
        t.i64()[i] = s[i];
      } else {
        t.i32()[i] = static_cast<int32_t>(s[i]);
      }
    }
    return T(t);
  });
  Def(tf, "rank", "input,name=None", [](RunContext&, Args a) {
    return T(Tensor::ScalarI32(ToTensor(a[0]).rank()));
  });
  Def(tf, "size", "input,out_type=None,name=None", [](RunContext&, Args a) {
    const int64_t n = ToTensor(a[0]).num_elements();
    // array_ops.size casts to out_type (any dtype: float64 gives 6.0).
    const DType out_type = OptDType(a[1]).value_or(DType::kInt32);
    return T(ops::Cast(Tensor::ScalarI64(n), out_type));
  });
  Def(tf, "cast", "x,dtype,name=None", [](RunContext&, Args a) {
    // tf.cast to a tensor's own dtype returns the same object.
    if (a[0].is_tensor() && a[0].as_tensor().dtype() == ToDType(a[1])) {
      return a[0];
    }
    return T(ops::Cast(ToTensor(a[0]), ToDType(a[1])));
  });
  Def(tf, "sequence_mask", "lengths,maxlen=None,dtype=bool,name=None",
      [](RunContext&, Args a) {
        std::optional<int64_t> maxlen;
        if (!a[1].is_none()) {
          Tensor m = ToTensor(a[1]);
          if (m.rank() != 0) {
            RaiseText(ErrorClass::kValueError,
                      "Argument `maxlen` must be scalar for sequence_mask, "
                      "received `maxlen` = " +
                          (a[1].is_tensor() ? TensorFormat(m) : Repr(a[1])) +
                          " with shape '" + ShapeToPyString(m.shape()) +
                          "' instead");
          }
          maxlen = static_cast<int64_t>(m.GetAsDouble(0));
        }
        // Lengths keep their own dtype: float lengths are compared as floats.
        Tensor mask = ops::SequenceMask(ToTensor(a[0]), maxlen);
        const DType dtype = ToDType(a[2]);
        return T(dtype == DType::kBool ? mask : ops::Cast(mask, dtype));
      });
  Def(tf, "where", "condition,x=None,y=None,name=None",
      [](RunContext&, Args a) {
        if (a[1].is_none() || a[2].is_none()) {
          NotSupported(
              "tf.where with one argument (returning indices) is not "
              "modelled by the playground");
        }
        Tensor x, y;
        ConvertPair(a[1], a[2], &x, &y);
        return T(ops::Where(ToTensor(a[0]), x, y));
      });
  Def(tf, "argmax", "input,axis=None,output_type=None,name=None",
      [](RunContext&, Args a) {
        // TF's default output_type is int64.
        const DType output_type = OptDType(a[2]).value_or(DType::kInt64);
        if (!IsIntegerDType(output_type)) {
          NotSupported("tf.argmax output_type=" + Repr(a[2]) +
                       " (TensorFlow allows int16, uint16, int32 and int64; "
                       "its attr-list error is not reproduced)");
        }
        return T(ops::ArgMax(
            ToTensor(a[0]),
            a[1].is_none() ? 0 : static_cast<int>(ToInt(a[1], "axis")),
            output_type));
      });
}

void AddMathFunctions(Module& tf, Module& math, Module& nn, Module& linalg) {
  const std::pair<const char*, ops::BinaryOp> binaries[] = {
      {"add", ops::BinaryOp::kAdd},
      {"subtract", ops::BinaryOp::kSub},
      {"multiply", ops::BinaryOp::kMul},
      {"divide", ops::BinaryOp::kDiv},
      {"truediv", ops::BinaryOp::kDiv},
      {"floordiv", ops::BinaryOp::kFloorDiv},
      {"maximum", ops::BinaryOp::kMaximum},
      {"minimum", ops::BinaryOp::kMinimum},
      {"pow", ops::BinaryOp::kPow},
      {"equal", ops::BinaryOp::kEqual},
      {"not_equal", ops::BinaryOp::kNotEqual},
      {"less", ops::BinaryOp::kLess},
      {"less_equal", ops::BinaryOp::kLessEqual},
      {"greater", ops::BinaryOp::kGreater},
      {"greater_equal", ops::BinaryOp::kGreaterEqual},
      {"logical_and", ops::BinaryOp::kLogicalAnd},
      {"logical_or", ops::BinaryOp::kLogicalOr},
      {"squared_difference", ops::BinaryOp::kSquaredDifference},
  };
  for (const auto& [name, op] : binaries) {
    DefBinary(math, name, op, false);
    if (std::string(name) != "squared_difference" &&
        std::string(name) != "truediv") {
      DefBinary(tf, name, op, false);
    }
  }
  const std::pair<const char*, ops::UnaryOp> unaries[] = {
      {"square", ops::UnaryOp::kSquare},
      {"sqrt", ops::UnaryOp::kSqrt},
      {"rsqrt", ops::UnaryOp::kRsqrt},
      {"exp", ops::UnaryOp::kExp},
      {"log", ops::UnaryOp::kLog},
      {"tanh", ops::UnaryOp::kTanh},
      {"sin", ops::UnaryOp::kSin},
      {"cos", ops::UnaryOp::kCos},
      {"abs", ops::UnaryOp::kAbs},
      {"negative", ops::UnaryOp::kNeg},
      {"sigmoid", ops::UnaryOp::kSigmoid},
      {"logical_not", ops::UnaryOp::kLogicalNot},
  };
  for (const auto& [name, op] : unaries) {
    DefUnary(math, name, op);
    if (std::string(name) != "log" && std::string(name) != "rsqrt")
      DefUnary(tf, name, op);
  }
  DefUnary(nn, "relu", ops::UnaryOp::kRelu, "features");
  DefUnary(nn, "sigmoid", ops::UnaryOp::kSigmoid);
  DefUnary(nn, "tanh", ops::UnaryOp::kTanh);
  Def(nn, "softmax", "logits,axis=None,name=None", [](RunContext&, Args a) {
    return T(ops::Softmax(
        ToTensor(a[0]),
        a[1].is_none() ? -1 : static_cast<int>(ToInt(a[1], "axis"))));
  });
  const std::pair<const char*, ops::ReduceOp> reductions[] = {
      {"reduce_sum", ops::ReduceOp::kSum},
      {"reduce_mean", ops::ReduceOp::kMean},
      {"reduce_max", ops::ReduceOp::kMax},
      {"reduce_min", ops::ReduceOp::kMin},
      {"reduce_prod", ops::ReduceOp::kProd},
      {"reduce_any", ops::ReduceOp::kAny},
      {"reduce_all", ops::ReduceOp::kAll},
  };
  for (const auto& [name, op] : reductions) {
    DefReduce(tf, name, op, false);
    DefReduce(math, name, op, false);
  }
  Def(math, "cumsum", "x,axis=0,exclusive=None,reverse=None,name=None",
      [](RunContext&, Args a) {
        if (!a[2].is_none() || !a[3].is_none()) {
          NotSupported(
              "tf.math.cumsum exclusive=/reverse= are not modelled by the "
              "playground");
        }
        return T(
            ops::CumSum(ToTensor(a[0]), static_cast<int>(ToInt(a[1], "axis"))));
      });
  auto matmul = [](RunContext&, Args a) {
    for (size_t i = 4; i < 8; ++i) {
      if (!a[i].is_none() && a[i].as_number() != 0) {
        NotSupported(
            "tf.matmul adjoint/sparse flags are not modelled by the "
            "playground");
      }
    }
    Tensor x = ToTensor(a[0]);
    Tensor y = a[1].is_tensor() ? a[1].as_tensor() : ToTensor(a[1], x.dtype());
    return T(ops::MatMul(x, y, a[2].as_number() != 0, a[3].as_number() != 0));
  };
  const char* matmul_params =
      "a,b,transpose_a=False,transpose_b=False,adjoint_a=None,adjoint_b=None,a_"
      "is_sparse=None,b_is_sparse=None,output_type=None,name=None";
  Def(tf, "matmul", matmul_params, matmul);
  Def(linalg, "matmul", matmul_params, matmul);
  math.Set("argmax", *tf.GetAttr("argmax"));
}

void AddRandom(Module& random) {
  Def(random, "normal",
      "shape,mean=0.0,stddev=1.0,dtype=float32,seed=None,name=None",
      [](RunContext& ctx, Args a) {
        const DType dtype = ToDType(a[3]);
        if (!IsFloatDType(dtype)) {
          // random_ops.py converts mean (0.0) with the dtype first.
          ToTensor(a[1], dtype);
          ToTensor(a[2], dtype);
          NotSupported("tf.random.normal with dtype " + Repr(a[3]) +
                       " is not modelled");
        }
        const Shape shape = ToShape(a[0], "tf.random.normal");
        if (!a[4].is_none()) {
          Random local(static_cast<uint64_t>(ToInt(a[4], "seed")));
          return T(ops::RandomNormal(shape, ToDouble(a[1], "mean"),
                                     ToDouble(a[2], "stddev"), local, dtype));
        }
        return T(ops::RandomNormal(shape, ToDouble(a[1], "mean"),
                                   ToDouble(a[2], "stddev"), ctx.rng, dtype));
      });
  Def(random, "uniform",
      "shape,minval=0,maxval=None,dtype=float32,seed=None,name=None",
      [](RunContext& ctx, Args a) {
        const DType dtype = ToDType(a[3]);
        if (dtype == DType::kBool) {
          RaiseText(ErrorClass::kValueError,
                    "Argument `dtype` got invalid value <dtype: 'bool'>. "
                    "Accepted dtypes are (tf.float16, tf.bfloat16, "
                    "tf.float32, tf.float64, tf.int32, tf.int64).");
        }
        if (IsIntegerDType(dtype) && a[2].is_none()) {
          RaiseText(ErrorClass::kValueError,
                    "Must specify maxval for integer dtype tf." +
                        std::string(DTypeName(dtype)));
        }
        const double maxval = a[2].is_none() ? 1.0 : ToDouble(a[2], "maxval");
        const Shape shape = ToShape(a[0], "tf.random.uniform");
        Random local(
            a[4].is_none() ? 0 : static_cast<uint64_t>(ToInt(a[4], "seed")));
        Random& rng = a[4].is_none() ? ctx.rng : local;
        return T(ops::RandomUniform(shape, ToDouble(a[1], "minval"), maxval,
                                    dtype, rng));
      });
  Def(random, "set_seed", "seed", [](RunContext& ctx, Args a) {
    ctx.rng.Seed(static_cast<uint64_t>(ToInt(a[0], "seed")));
    return Value::None();
  });
}

// tf.eye, tf.linalg.band_part, tf.gather, tf.split, tf.math.reduce_std /
// reduce_variance.
void AddExtraFunctions(Module& tf, Module& math, Module& linalg) {
  auto eye = [](RunContext&, Args a) {
    const int64_t rows = ToInt(a[0], "num_rows");
    const int64_t cols = a[1].is_none() ? rows : ToInt(a[1], "num_columns");
    // A negative size reaches ops::Eye, which fails in TF's first Fill.
    Shape batch;
    if (!a[2].is_none()) {
      for (int64_t d : ToIntList(a[2], "batch_shape")) batch.push_back(d);
    }
    return T(ops::Eye(rows, cols, batch, ToDType(a[3])));
  };
  const char* eye_params =
      "num_rows,num_columns=None,batch_shape=None,dtype=float32,name=None";
  Def(tf, "eye", eye_params, eye);
  Def(linalg, "eye", eye_params, eye);
  Def(linalg, "band_part", "input,num_lower,num_upper,name=None",
      [](RunContext&, Args a) {
        return T(ops::BandPart(ToTensor(a[0]), ToInt(a[1], "num_lower"),
                               ToInt(a[2], "num_upper")));
      });
  Def(tf, "gather",
      "params,indices,validate_indices=None,axis=None,batch_dims=0,name=None",
      [](RunContext&, Args a) {
        if (ToInt(a[4], "batch_dims") != 0) {
          NotSupported("tf.gather with batch_dims is not modelled");
        }
        Tensor indices = ToTensor(a[1]);
        if (!IsIntegerDType(indices.dtype())) {
          NotSupported("tf.gather with non-integer indices is not modelled");
        }
        return T(ops::Gather(ToTensor(a[0]), indices,
                             a[3].is_none() ? 0 : ToInt(a[3], "axis")));
      });
  Def(tf, "split", "value,num_or_size_splits,axis=0,num=None,name='split'",
      [](RunContext&, Args a) {
        Tensor x = ToTensor(a[0]);
        const int64_t axis = ToInt(a[2], "axis");
        std::vector<Tensor> parts;
        if (a[1].kind() == Value::Kind::kInt ||
            (a[1].is_tensor() && a[1].as_tensor().rank() == 0)) {
          parts = ops::Split(x, ToInt(a[1], "num_or_size_splits"), axis);
        } else {
          parts = ops::SplitV(x, ToIntList(a[1], "num_or_size_splits"), axis);
        }
        ValueList out;
        for (Tensor& t : parts) out.push_back(T(std::move(t)));
        return Value::List(std::move(out));
      });
  for (const char* name : {"reduce_variance", "reduce_std"}) {
    const bool std_dev = std::string(name) == "reduce_std";
    DefData(
        math, name, "input_tensor,axis=None,keepdims=False,name=None", std_dev,
        [](RunContext&, Args a, int64_t std_dev) {
          Tensor x = ToTensor(a[0]);
          if (!IsFloatDType(x.dtype())) {
            // math_ops.reduce_variance (TF 2.21) on int32 / int64.
            RaiseText(ErrorClass::kTypeError,
                      "Input must be either real or complex. Received "
                      "integer type <dtype: '" +
                          std::string(DTypeName(x.dtype())) + "'>.");
          }
          const auto axes = OptAxes(a[1]);
          const bool keepdims = !a[2].is_none() && a[2].as_number() != 0;
          const Tensor mean = ops::Reduce(ops::ReduceOp::kMean, x, axes, true);
          const Tensor sq = ops::Unary(
              ops::UnaryOp::kSquare, ops::Binary(ops::BinaryOp::kSub, x, mean));
          Tensor var = ops::Reduce(ops::ReduceOp::kMean, sq, axes, keepdims);
          return T(std_dev ? ops::Unary(ops::UnaryOp::kSqrt, var) : var);
        });
  }
}

// keras.activations: the functions Dense(activation=...) accepts.
void AddActivations(Module& act) {
  const std::pair<const char*, ops::UnaryOp> unaries[] = {
      {"relu", ops::UnaryOp::kRelu},
      {"sigmoid", ops::UnaryOp::kSigmoid},
      {"tanh", ops::UnaryOp::kTanh},
  };
  for (const auto& [name, op] : unaries) {
    DefData(
        act, name, "x", static_cast<int64_t>(op),
        [](RunContext&, Args a, int64_t op) {
          Tensor x = ToTensor(a[0]);
          if (x.dtype() != DType::kFloat32) {
            NotSupported("keras.activations on a tensor that is not float32");
          }
          return T(ops::Unary(static_cast<ops::UnaryOp>(op), x));
        });
  }
  Def(act, "softmax", "x,axis=-1", [](RunContext&, Args a) {
    Tensor x = ToTensor(a[0]);
    if (x.dtype() != DType::kFloat32) {
      NotSupported("keras.activations on a tensor that is not float32");
    }
    return T(ops::Softmax(x, static_cast<int>(ToInt(a[1], "axis"))));
  });
  Def(act, "linear", "x", [](RunContext&, Args a) { return a[0]; });
}

// ---- keras ---------------------------------------------------------------

void AddKerasOps(Module& kops) {
  const std::pair<const char*, ops::BinaryOp> binaries[] = {
      {"add", ops::BinaryOp::kAdd},
      {"subtract", ops::BinaryOp::kSub},
      {"multiply", ops::BinaryOp::kMul},
      {"divide", ops::BinaryOp::kDiv},
      {"maximum", ops::BinaryOp::kMaximum},
      {"minimum", ops::BinaryOp::kMinimum},
      {"equal", ops::BinaryOp::kEqual},
      {"not_equal", ops::BinaryOp::kNotEqual},
      {"less", ops::BinaryOp::kLess},
      {"less_equal", ops::BinaryOp::kLessEqual},
      {"greater", ops::BinaryOp::kGreater},
      {"greater_equal", ops::BinaryOp::kGreaterEqual},
      {"logical_and", ops::BinaryOp::kLogicalAnd},
      {"logical_or", ops::BinaryOp::kLogicalOr},
      {"power", ops::BinaryOp::kPow},
  };
  for (const auto& [name, op] : binaries) {
    if (std::string(name) != "divide") DefBinary(kops, name, op, true);
  }
  // keras.ops.divide / true_divide: result_type(x1, x2, float), so two int32
  // operands give float32 (TF's `/` would give float64).
  for (const char* name : {"divide", "true_divide"}) {
    Def(kops, name, "x1,x2", [](RunContext&, Args a) {
      Tensor x, y;
      PromotePair(a[0], a[1], &x, &y);
      if (x.dtype() != DType::kFloat32) {
        x = ops::Cast(x, DType::kFloat32);
        y = ops::Cast(y, DType::kFloat32);
      }
      return T(ops::Binary(ops::BinaryOp::kDiv, x, y));
    });
  }
  // Unary ops. Keras' TF backend casts int/bool inputs of the float-only
  // functions to result_type(x.dtype, float) = float32; square and abs keep
  // int32 (bool becomes int32 for square); relu keeps the dtype.
  const std::pair<const char*, ops::UnaryOp> float_unaries[] = {
      {"sqrt", ops::UnaryOp::kSqrt},       {"exp", ops::UnaryOp::kExp},
      {"log", ops::UnaryOp::kLog},         {"tanh", ops::UnaryOp::kTanh},
      {"sigmoid", ops::UnaryOp::kSigmoid}, {"sin", ops::UnaryOp::kSin},
      {"cos", ops::UnaryOp::kCos},
  };
  for (const auto& [name, op] : float_unaries) {
    DefData(kops, name, "x", static_cast<int64_t>(op),
            [](RunContext&, Args a, int64_t op) {
              Tensor x = ToTensor(a[0]);
              if (x.dtype() != DType::kFloat32)
                x = ops::Cast(x, DType::kFloat32);
              return T(ops::Unary(static_cast<ops::UnaryOp>(op), x));
            });
  }
  const std::pair<const char*, ops::UnaryOp> unaries[] = {
      {"square", ops::UnaryOp::kSquare},
      {"abs", ops::UnaryOp::kAbs},
      {"negative", ops::UnaryOp::kNeg},
      {"relu", ops::UnaryOp::kRelu},
  };
  for (const auto& [name, op] : unaries) {
    DefData(
        kops, name, "x", static_cast<int64_t>(op),
        [](RunContext&, Args a, int64_t data) {
          const auto op = static_cast<ops::UnaryOp>(data);
          Tensor x = ToTensor(a[0]);
          if (x.dtype() == DType::kBool) {
            if (op != ops::UnaryOp::kSquare) {
              NotSupported(
                  "this keras.ops function on a bool tensor is not modelled by "
                  "the playground");
            }
            x = ops::Cast(x, DType::kInt32);
          }
          return T(ops::Unary(op, x));
        });
  }
  Def(kops, "logical_not", "x", [](RunContext&, Args a) {
    Tensor x = ToTensor(a[0]);
    if (x.dtype() != DType::kBool) x = ops::Cast(x, DType::kBool);
    return T(ops::Unary(ops::UnaryOp::kLogicalNot, x));
  });
  // Reductions: mean of int/bool is float32 (compute_dtype =
  // result_type(x.dtype, "float32")); sum/prod of bool are int32; any/all
  // cast to bool first.
  const std::pair<const char*, ops::ReduceOp> reductions[] = {
      {"sum", ops::ReduceOp::kSum},   {"mean", ops::ReduceOp::kMean},
      {"max", ops::ReduceOp::kMax},   {"min", ops::ReduceOp::kMin},
      {"prod", ops::ReduceOp::kProd}, {"any", ops::ReduceOp::kAny},
      {"all", ops::ReduceOp::kAll},
  };
  for (const auto& [name, op] : reductions) {
    DefData(kops, name, "x,axis=None,keepdims=False", static_cast<int64_t>(op),
            [](RunContext&, Args a, int64_t data) {
              const auto op = static_cast<ops::ReduceOp>(data);
              Tensor x = ToTensor(a[0]);
              switch (op) {
                case ops::ReduceOp::kMean:
                  if (x.dtype() != DType::kFloat32)
                    x = ops::Cast(x, DType::kFloat32);
                  break;
                case ops::ReduceOp::kSum:
                case ops::ReduceOp::kProd:
                  if (x.dtype() == DType::kBool)
                    x = ops::Cast(x, DType::kInt32);
                  break;
                case ops::ReduceOp::kAny:
                case ops::ReduceOp::kAll:
                  if (x.dtype() != DType::kBool) x = ops::Cast(x, DType::kBool);
                  break;
                default:
                  if (x.dtype() == DType::kBool) {
                    NotSupported(
                        "keras.ops.max/min on a bool tensor is not modelled by "
                        "the playground");
                  }
              }
              return T(ops::Reduce(op, x, OptAxes(a[1]),
                                   !a[2].is_none() && a[2].as_number() != 0));
            });
  }
  // keras.ops.argmax/argmin: int32 (the TF backend passes output_type).
  Def(kops, "argmax", "x,axis=None,keepdims=False", [](RunContext&, Args a) {
    Tensor x = ToTensor(a[0]);
    if (!a[2].is_none() && a[2].as_number() != 0) {
      NotSupported("keras.ops.argmax keepdims=True is not modelled");
    }
    if (a[1].is_none()) return T(ops::ArgMax(ops::Reshape(x, {-1}), 0));
    return T(ops::ArgMax(x, static_cast<int>(ToInt(a[1], "axis"))));
  });
  Def(kops, "matmul", "x1,x2", [](RunContext&, Args a) {
    Tensor x, y;
    PromotePair(a[0], a[1], &x, &y);
    return T(ops::MatMul(x, y));
  });
  Def(kops, "softmax", "x,axis=-1", [](RunContext&, Args a) {
    return T(
        ops::Softmax(ToTensor(a[0]), static_cast<int>(ToInt(a[1], "axis"))));
  });
  Def(kops, "expand_dims", "x,axis", [](RunContext&, Args a) {
    Tensor x = ToTensor(a[0]);
    const int64_t axis = ToInt(a[1], "axis");
    const int64_t out_ndim = x.rank() + 1;
    if (axis < -out_ndim || axis >= out_ndim) {
      RaiseText(ErrorClass::kValueError,
                "axis " + std::to_string(axis) +
                    " is out of bounds for an array with dimension " +
                    std::to_string(out_ndim) + ".");
    }
    return T(ops::ExpandDims(x, axis));
  });
  Def(kops, "squeeze", "x,axis=None", [](RunContext&, Args a) {
    std::vector<int64_t> axes;
    if (!a[1].is_none()) axes = ToIntList(a[1], "axis");
    return T(ops::Squeeze(ToTensor(a[0]), axes));
  });
  Def(kops, "reshape", "x,newshape", [](RunContext& ctx, Args a) {
    const std::vector<int64_t> shape = ToIntList(a[1], "newshape");
    keras::NoteStandInReshape(ctx, shape);
    return T(ops::Reshape(ToTensor(a[0]), shape));
  });
  Def(kops, "transpose", "x,axes=None", [](RunContext&, Args a) {
    std::optional<std::vector<int64_t>> perm;
    if (!a[1].is_none()) perm = ToIntList(a[1], "axes");
    return T(ops::Transpose(ToTensor(a[0]), perm));
  });
  Def(kops, "swapaxes", "x,axis1,axis2", [](RunContext&, Args a) {
    Tensor x = ToTensor(a[0]);
    std::vector<int64_t> perm(x.rank());
    for (int i = 0; i < x.rank(); ++i) perm[i] = i;
    auto norm = [&](int64_t axis) { return axis < 0 ? axis + x.rank() : axis; };
    const int64_t i = norm(ToInt(a[1], "axis1")),
                  j = norm(ToInt(a[2], "axis2"));
    if (i < 0 || j < 0 || i >= x.rank() || j >= x.rank()) {
      RaiseText(ErrorClass::kValueError,
                "swapaxes: axis out of range for a rank-" +
                    std::to_string(x.rank()) + " tensor");
    }
    std::swap(perm[i], perm[j]);
    return T(ops::Transpose(x, perm));
  });
  Def(kops, "concatenate", "xs,axis=0", [](RunContext&, Args a) {
    std::vector<Tensor> parts;
    for (const Value& v : a[0].items()) parts.push_back(ToTensor(v));
    return T(ops::Concat(parts, ToInt(a[1], "axis")));
  });
  Def(kops, "stack", "x,axis=0", [](RunContext&, Args a) {
    std::vector<Tensor> parts;
    for (const Value& v : a[0].items()) parts.push_back(ToTensor(v));
    return T(ops::Stack(parts, ToInt(a[1], "axis")));
  });
  Def(kops, "where", "condition,x1=None,x2=None", [](RunContext&, Args a) {
    if (a[1].is_none() || a[2].is_none()) {
      NotSupported(
          "keras.ops.where with one argument is not modelled by the "
          "playground");
    }
    Tensor x, y;
    PromotePair(a[1], a[2], &x, &y);
    Tensor c = ToTensor(a[0]);
    if (c.dtype() != DType::kBool) c = ops::Cast(c, DType::kBool);
    return T(ops::Where(c, x, y));
  });
  for (const char* name : {"zeros", "ones"}) {
    const double value = std::string(name) == "ones" ? 1 : 0;
    DefData(kops, name, "shape,dtype=None", static_cast<int64_t>(value),
            [](RunContext&, Args a, int64_t one) {
              return T(ops::Fill(ToShape(a[0], "keras.ops.ones"),
                                 static_cast<double>(one),
                                 OptDType(a[1]).value_or(DType::kFloat32)));
            });
  }
  Def(kops, "shape", "x", [](RunContext&, Args a) {
    ValueList dims;
    const Tensor x = ToTensor(a[0]);
    for (int64_t d : x.shape()) dims.push_back(Value::Int(d));
    return Value::Tuple(dims);
  });
  Def(kops, "cast", "x,dtype", [](RunContext&, Args a) {
    return T(ops::Cast(ToTensor(a[0]), ToDType(a[1])));
  });
  Def(kops, "convert_to_tensor", "x,dtype=None", [](RunContext&, Args a) {
    Tensor t = ToTensor(a[0], a[0].is_tensor() ? std::nullopt : OptDType(a[1]));
    if (auto d = OptDType(a[1]); d && *d != t.dtype()) t = ops::Cast(t, *d);
    return T(t);
  });
  Def(kops, "cumsum", "x,axis=None", [](RunContext&, Args a) {
    Tensor x = ToTensor(a[0]);
    if (a[1].is_none()) return T(ops::CumSum(ops::Reshape(x, {-1}), 0));
    return T(ops::CumSum(x, static_cast<int>(ToInt(a[1], "axis"))));
  });
  Def(kops, "arange", "start,stop=None,step=1,dtype=None",
      [](RunContext&, Args a) {
        Value start = a[0], stop = a[1];
        if (stop.is_none()) {
          stop = start;
          start = Value::Int(0);
        }
        const bool any_float = start.kind() == Value::Kind::kFloat ||
                               stop.kind() == Value::Kind::kFloat ||
                               a[2].kind() == Value::Kind::kFloat;
        return T(ops::Range(ToDouble(start, "start"), ToDouble(stop, "stop"),
                            ToDouble(a[2], "step"),
                            OptDType(a[3]).value_or(
                                any_float ? DType::kFloat32 : DType::kInt32)));
      });
  Def(kops, "pad", "x,pad_width,mode='constant',constant_values=None",
      [](RunContext&, Args a) {
        if (a[2].kind() != Value::Kind::kStr || a[2].as_str() != "constant") {
          NotSupported("keras.ops.pad mode=" + Repr(a[2]) +
                       " is not modelled by the playground");
        }
        return T(
            ops::Pad(ToTensor(a[0]), ToTensor(a[1], DType::kInt32),
                     a[3].is_none() ? 0 : ToDouble(a[3], "constant_values")));
      });
}

// keras.Input: a function of the raw call (its binding and errors are
// Keras', in keras/input_layer.cc).
class KerasInput : public Callable {
 public:
  std::string TypeName() const override { return "function"; }
  std::string Repr() const override { return "<function Input>"; }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    if (ctx.profile == Profile::kTfKeras) {
      return keras::MakeTfKerasInput(ctx, args);
    }
    return keras::MakeInput(ctx, args);
  }
};

Value KerasInputFunction() {
  static const Value input = Value::FromObject(std::make_shared<KerasInput>());
  return input;
}

Value KerasModelClass() {
  static const Value model = Value::FromObject(std::make_shared<LayerClass>(
      "keras.Model", +[](RunContext& ctx, const CallArgs& args) {
        return std::shared_ptr<Callable>(
            keras::FunctionalModel::Create(ctx, args));
      }));
  return model;
}

Value KerasSequentialClass() {
  static const Value sequential =
      Value::FromObject(std::make_shared<LayerClass>(
          "keras.Sequential", +[](RunContext& ctx, const CallArgs& args) {
            return std::shared_ptr<Callable>(
                keras::SequentialModel::Create(ctx, args));
          }));
  return sequential;
}

// keras.layers.Layer: what a program's own layers derive from
// (keras/program_layer.h); instantiating it directly is not modelled.
Value KerasLayerClass() {
  static const Value layer = Value::FromObject(std::make_shared<LayerClass>(
      "keras.layers.Layer",
      +[](RunContext&, const CallArgs&) -> std::shared_ptr<Callable> {
        RaiseNotModelled("keras.layers.Layer() itself; derive a class from it");
      }));
  return layer;
}

ModulePtr MakeKerasLayersModule(const std::string& name) {
  auto layers = std::make_shared<Module>(name);
  layers->SetUnknownIsUnsupported(true);
  for (const keras::ClassEntry& entry : keras::LayerClasses()) {
    layers->Set(entry.name,
                Value::FromObject(std::make_shared<LayerClass>(
                    std::string("keras.layers.") + entry.name, entry.create)));
  }
  layers->Set("Input", KerasInputFunction());
  layers->Set("Layer", KerasLayerClass());
  layers->SetUnsupported("InputLayer",
                         "is not modelled by the playground yet: use "
                         "keras.Input(shape=...)");
  return layers;
}

ModulePtr MakeKerasLossesModule(const std::string& name) {
  auto losses = std::make_shared<Module>(name);
  losses->SetUnknownIsUnsupported(true);
  for (const keras::ClassEntry& entry : keras::LossClasses()) {
    losses->Set(entry.name,
                Value::FromObject(std::make_shared<LayerClass>(
                    std::string("keras.losses.") + entry.name, entry.create)));
  }
  return losses;
}

struct ApiModules {
  ModulePtr tf, keras, layers, models;
};

// Submodules of keras made on first use (Module::SetLazy): the page's
// first program (`import tensorflow`, keras.layers) never builds them.
Value MakeOps(Profile) {
  auto ops = std::make_shared<Module>("keras.ops");
  ops->SetUnknownIsUnsupported(true);
  AddKerasOps(*ops);
  AddMoreKerasOps(*ops);
  return Value::FromObject(ops);
}

Value MakeLosses(Profile) {
  return Value::FromObject(MakeKerasLossesModule("keras.losses"));
}

Value MakeOptimizers(Profile) {
  auto optimizers = std::make_shared<Module>("keras.optimizers");
  optimizers->SetUnknownIsUnsupported(true);
  for (const keras::OptimizerClass& entry : keras::OptimizerClasses()) {
    optimizers->Set(
        entry.name,
        Value::FromObject(std::make_shared<LayerClass>(
            std::string("keras.optimizers.") + entry.name, entry.create)));
  }
  return Value::FromObject(optimizers);
}

Value MakeActivations(Profile) {
  auto activations = std::make_shared<Module>("keras.activations");
  activations->SetUnknownIsUnsupported(true);
  AddActivations(*activations);
  return Value::FromObject(activations);
}

// A class of keras.callbacks or keras.metrics: calling it makes the object.
class ObjectClass : public Callable {
 public:
  using Create = std::shared_ptr<Object> (*)(std::string_view name,
                                             RunContext& ctx,
                                             const CallArgs& args,
                                             Profile profile);
  ObjectClass(const char* module, const char* name, Create create,
              Profile profile)
      : module_(module), name_(name), create_(create), profile_(profile) {}
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override {
    return "<class '" + std::string(module_) + "." + name_ + "'>";
  }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    return Value::FromObject(create_(name_, ctx, args, profile_));
  }

 private:
  const char* module_;
  const char* name_;
  Create create_;
  Profile profile_;
};

Value MakeMetrics(Profile profile) {
  auto metrics = std::make_shared<Module>("keras.metrics");
  metrics->SetUnknownIsUnsupported(true);
  for (const char* name : keras::kMetricClasses) {
    metrics->Set(name,
                 Value::FromObject(std::make_shared<ObjectClass>(
                     "keras.metrics", name, keras::CreateMetric, profile)));
  }
  return Value::FromObject(metrics);
}

Value MakeCallbacks(Profile profile) {
  auto callbacks = std::make_shared<Module>("keras.callbacks");
  callbacks->SetUnknownIsUnsupported(true);
  for (const char* name : keras::kCallbackClasses) {
    callbacks->Set(
        name, Value::FromObject(std::make_shared<ObjectClass>(
                  "keras.callbacks", name, keras::CreateCallback, profile)));
  }
  for (const char* name :
       {"ModelCheckpoint", "TensorBoard", "CSVLogger", "BackupAndRestore"}) {
    callbacks->SetUnsupported(
        name, "is not modelled by the playground (it writes files)");
  }
  return Value::FromObject(callbacks);
}

Value MakeRandom(Profile) { return Value::FromObject(MakeKerasRandomModule()); }

const ApiModules& Modules(Profile profile);

Value MakeSrc(Profile profile) {
  return Value::FromObject(MakeKerasSrcModule(*Modules(profile).keras));
}

// The modules as the profile's framework has them: under tf_keras,
// `tf.keras` is tf-keras 2.21, which has no `ops`.
ApiModules BuildModules(Profile profile) {
  ApiModules m;
  m.tf = std::make_shared<Module>("tensorflow");
  m.tf->SetUnknownIsUnsupported(true);
  auto math = std::make_shared<Module>("tensorflow.math");
  auto nn = std::make_shared<Module>("tensorflow.nn");
  auto linalg = std::make_shared<Module>("tensorflow.linalg");
  auto random = std::make_shared<Module>("tensorflow.random");
  auto errors = std::make_shared<Module>("tensorflow.errors");
  for (const auto& sub : {math, nn, linalg, random, errors})
    sub->SetUnknownIsUnsupported(true);
  AddCreationFunctions(*m.tf);
  AddShapeFunctions(*m.tf);
  AddMathFunctions(*m.tf, *math, *nn, *linalg);
  AddExtraFunctions(*m.tf, *math, *linalg);
  AddRandom(*random);
  for (const char* cls : {"OpError", "InvalidArgumentError",
                          "ResourceExhaustedError", "UnimplementedError"}) {
    errors->Set(cls, py::ExceptionClassValue(cls));
  }
  m.tf->Set("math", Value::FromObject(math));
  m.tf->Set("nn", Value::FromObject(nn));
  m.tf->Set("linalg", Value::FromObject(linalg));
  m.tf->Set("random", Value::FromObject(random));
  m.tf->Set("errors", Value::FromObject(errors));
  m.tf->SetLazy("data", MakeDataModule, profile);
  m.tf->Set("newaxis", Value::None());
  m.tf->Set("Tensor",
            py::MakeTypeObject(
                "Tensor", +[](const Value& v) { return v.is_tensor(); }));
  m.tf->Set("float32", Value::FromDType(DType::kFloat32));
  m.tf->Set("int32", Value::FromDType(DType::kInt32));
  m.tf->Set("bool", Value::FromDType(DType::kBool));
  m.tf->Set("float64", Value::FromDType(DType::kFloat64));
  m.tf->Set("double", Value::FromDType(DType::kFloat64));
  m.tf->Set("int64", Value::FromDType(DType::kInt64));
  for (const char* dtype :
       {"float16", "bfloat16", "int8", "uint8", "string", "complex64"}) {
    m.tf->SetUnsupported(dtype,
                         "is not modelled by the playground (float32, "
                         "float64, int32, int64 and bool are)");
  }
  m.tf->SetUnsupported(
      "function",
      "(graph mode) is not modelled by the playground: remove the decorator "
      "to see the same code run eagerly");
  m.tf->SetUnsupported(
      "GradientTape",
      "is not modelled by the playground (it shows forward shapes): call "
      "the model, or model.fit, which runs the loss on every batch");
  Def(*m.tf, "one_hot",
      "indices,depth,on_value=None,off_value=None,axis=None,dtype=None,"
      "name=None",
      [](RunContext&, Args a) {
        // tf.one_hot (tensorflow/python/ops/array_ops.py, TF 2.21): float32
        // ones at each index in [0, depth), zeros elsewhere and for indices
        // outside it.
        for (size_t i : {2, 3, 4}) {
          if (!a[i].is_none()) NotSupported("tf.one_hot with this argument");
        }
        if (!a[5].is_none() && ToDType(a[5]) != DType::kFloat32) {
          NotSupported("tf.one_hot with a dtype other than float32");
        }
        return Value::FromTensor(OneHot(ToTensor(a[0]), ToInt(a[1], "depth")));
      });
  Def(*m.tf, "Variable",
      "initial_value=None,trainable=None,validate_shape=True,"
      "caching_device=None,name=None,variable_def=None,dtype=None,"
      "import_scope=None,constraint=None,synchronization=None,"
      "aggregation=None,shape=None",
      [](RunContext&, Args a) {
        // tf.Variable (tensorflow/python/ops/variables.py, TF 2.21): a
        // ResourceVariable, its value a tensor the playground never changes.
        if (a[0].is_none()) {
          RaiseValueError(
              "The `initial_value` arg to `tf.Variable` must be specified "
              "except when you are not providing a `variable_def`. You "
              "provided neither.");
        }
        for (size_t i : {3, 5, 7, 8, 9, 10, 11}) {
          if (!a[i].is_none()) NotSupported("tf.Variable with this argument");
        }
        VariableInfo info;
        info.path =
            a[4].kind() == Value::Kind::kStr ? a[4].as_str() : "Variable";
        info.trainable = a[1].is_none() || Truthy(a[1]);
        info.keras3 = false;
        const std::optional<DType> dtype =
            a[6].is_none() ? std::nullopt : std::optional<DType>(ToDType(a[6]));
        return Value::Variable(ToTensor(a[0], dtype), std::move(info));
      });

  const bool tf_keras = profile == Profile::kTfKeras;
  m.keras = std::make_shared<Module>(tf_keras ? "tensorflow.keras" : "keras");
  m.keras->SetUnknownIsUnsupported(true);
  m.layers = MakeKerasLayersModule("keras.layers");
  m.keras->Set("layers", Value::FromObject(m.layers));
  m.keras->SetLazy("losses", MakeLosses, profile);
  m.keras->SetLazy("optimizers", MakeOptimizers, profile);
  if (tf_keras) {
    m.keras->SetAbsent("ops");
  } else {
    m.keras->SetLazy("ops", MakeOps, profile);
  }
  m.keras->SetLazy("activations", MakeActivations, profile);
  m.keras->SetLazy("callbacks", MakeCallbacks, profile);
  m.keras->SetLazy("metrics", MakeMetrics, profile);
  m.keras->Set("Model", KerasModelClass());
  m.models = std::make_shared<Module>(tf_keras ? "tensorflow.keras.models"
                                               : "keras.models");
  m.models->SetUnknownIsUnsupported(true);
  m.models->Set("Model", KerasModelClass());
  m.models->Set("Sequential", KerasSequentialClass());
  m.keras->Set("models", Value::FromObject(m.models));
  m.keras->Set("Sequential", KerasSequentialClass());
  m.keras->Set("Input", KerasInputFunction());
  AddVersions(*m.tf, *m.keras, profile);
  AddTfEinsum(*m.tf);
  AddLayerHints(*m.layers);
  AddMergeFunctions(*m.layers);
  if (!tf_keras) {
    m.keras->SetLazy("random", MakeRandom, profile);
    m.keras->SetLazy("src", MakeSrc, profile);
  }
  m.tf->Set("keras", WireLegacyKeras(m.keras, profile));
  return m;
}

// Each profile's set is built on its first use only: a page that never
// switches to tf_keras never builds it.
const ApiModules& Modules(Profile profile) {
  if (profile == Profile::kTfKeras) {
    static const ApiModules tf_keras = BuildModules(Profile::kTfKeras);
    return tf_keras;
  }
  static const ApiModules keras3 = BuildModules(Profile::kKeras3);
  return keras3;
}

constexpr char kTwoKerases[] =
    "tf.keras is tf-keras 2 under the tf_keras profile, and this program also "
    "imports keras (Keras 3): the playground does not model the two side by "
    "side. Use keras throughout, or the Keras 3 profile";

// `tensorflow` as a program that imports `keras` under the tf_keras profile
// sees it: everything but `keras`, which would be tf-keras.
class TensorFlowBesideKeras3 : public Module {
 public:
  explicit TensorFlowBesideKeras3(ModulePtr tf)
      : Module("tensorflow"), tf_(std::move(tf)) {}
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "keras") RaiseNotSupported(kTwoKerases);
    return tf_->GetAttr(name);
  }

 private:
  ModulePtr tf_;
};

bool IsKerasModule(std::string_view dotted_name) {
  return dotted_name == "keras" || dotted_name.substr(0, 6) == "keras.";
}

bool IsTfKerasModule(std::string_view dotted_name) {
  return dotted_name == "tensorflow.keras" ||
         dotted_name.substr(0, 17) == "tensorflow.keras." ||
         dotted_name == "tf_keras" || dotted_name.substr(0, 9) == "tf_keras.";
}

}  // namespace

void TensorFlowFramework::Prepare(const py::Program& program,
                                  RunContext& ctx) const {
  if (ctx.profile != Profile::kTfKeras) return;
  for (const std::string& name : py::ImportedModules(program)) {
    if (IsKerasModule(name)) {
      ctx.profile = Profile::kKeras3;
      ctx.keras3_beside_tf_keras = true;
      return;
    }
  }
}

// Keras 2-era modules that Keras 3.15 no longer has (probed: importing them
// raises ModuleNotFoundError in both profiles, `keras` being Keras 3); under
// the Keras 3 profile tf.keras is Keras 3 and has no layers.experimental.
std::optional<std::string> TensorFlowFramework::AbsentModule(
    std::string_view dotted_name, RunContext& ctx) const {
  static constexpr std::string_view kKeras2Modules[] = {
      "keras.engine",
      "keras.layers.core",
      "keras.layers.merge",
      "keras.layers.recurrent",
      "keras.layers.embeddings",
      "keras.layers.experimental",
      "keras.layers.advanced_activations",
      "keras.layers.convolutional",
      "keras.layers.normalization",
      "keras.utils.np_utils",
      "keras.preprocessing.text",
      "keras.src.engine",
  };
  auto within = [&](std::string_view prefix) {
    return dotted_name == prefix ||
           (dotted_name.size() > prefix.size() &&
            dotted_name.substr(0, prefix.size()) == prefix &&
            dotted_name[prefix.size()] == '.');
  };
  for (std::string_view prefix : kKeras2Modules) {
    if (within(prefix)) return std::string(prefix);
  }
  constexpr std::string_view kTfKerasExperimental =
      "tensorflow.keras.layers.experimental";
  if (ctx.profile == Profile::kKeras3 && !ctx.keras3_beside_tf_keras &&
      within(kTfKerasExperimental)) {
    return std::string(kTfKerasExperimental);
  }
  return std::nullopt;
}

const py::NativeBase* TensorFlowFramework::SubclassableBase(
    const Value& base) const {
  if (base.identity() && base.identity() == KerasLayerClass().identity()) {
    return &keras::ProgramLayerBase(false);
  }
  if (base.identity() && base.identity() == KerasModelClass().identity()) {
    return &keras::ProgramLayerBase(true);
  }
  return nullptr;
}

std::optional<Value> TensorFlowFramework::ImportModule(
    std::string_view dotted_name, RunContext& ctx) const {
  const ApiModules& m = Modules(ctx.profile);
  const bool tf_keras = ctx.profile == Profile::kTfKeras;
  auto v = [](const ModulePtr& p) { return Value::FromObject(p); };
  if (ctx.keras3_beside_tf_keras) {
    if (IsTfKerasModule(dotted_name)) RaiseNotSupported(kTwoKerases);
    if (dotted_name == "tensorflow") {
      static const Value tf_beside =
          Value::FromObject(std::make_shared<TensorFlowBesideKeras3>(m.tf));
      return tf_beside;
    }
  }
  if (dotted_name == "tensorflow") return v(m.tf);
  if (dotted_name == "tensorflow.keras" || dotted_name == "tf_keras") {
    return *m.tf->GetAttr("keras");
  }
  // Under Keras 3, tf.keras's backend is the legacy one (legacy_backend.h).
  if (dotted_name == "tensorflow.keras.backend" ||
      dotted_name == "tensorflow.keras.utils" ||
      dotted_name.substr(0, 30) == "tensorflow.keras.preprocessing") {
    const Value tf_keras_module = *m.tf->GetAttr("keras");
    return ImportKerasSubmodule(
        static_cast<const Module&>(*tf_keras_module.as_object()),
        dotted_name.substr(17));
  }
  // `import keras` is Keras 3 even beside tf-keras: a mix not modelled.
  if (dotted_name.substr(0, 5) == "keras" && tf_keras) return std::nullopt;
  if (dotted_name == "keras") return v(m.keras);
  // keras.src.*, keras.random: module attributes of keras.
  if (dotted_name.substr(0, 6) == "keras.") {
    if (auto sub = ImportKerasSubmodule(*m.keras, dotted_name.substr(6))) {
      return sub;
    }
  }
  if (dotted_name == "tensorflow.keras.layers" ||
      dotted_name == "keras.layers") {
    return v(m.layers);
  }
  if (dotted_name == "tensorflow.keras.losses" ||
      dotted_name == "keras.losses") {
    return *m.keras->GetAttr("losses");
  }
  if (dotted_name == "tensorflow.keras.models" ||
      dotted_name == "keras.models") {
    return v(m.models);
  }
  if (dotted_name == "keras.ops" ||
      (dotted_name == "tensorflow.keras.ops" && !tf_keras)) {
    return *m.keras->GetAttr("ops");
  }
  if (dotted_name == "keras.activations" ||
      dotted_name == "tensorflow.keras.activations") {
    return *m.keras->GetAttr("activations");
  }
  if (dotted_name == "tensorflow.linalg") return *m.tf->GetAttr("linalg");
  if (dotted_name == "numpy") return np::NumpyModule();
  if (dotted_name == "tensorflow.math") return *m.tf->GetAttr("math");
  if (dotted_name == "tensorflow.nn") return *m.tf->GetAttr("nn");
  if (dotted_name == "tensorflow.random") return *m.tf->GetAttr("random");
  if (dotted_name == "tensorflow.data") return *m.tf->GetAttr("data");
  return std::nullopt;
}

}  // namespace ap::tf
