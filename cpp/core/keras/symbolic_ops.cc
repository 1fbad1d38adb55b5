#include "symbolic_ops.h"

#include <cctype>
#include <utility>

#include "../ops/ops.h"
#include "../python/framework.h"
#include "../python/slice.h"
#include "../repr.h"
#include "common.h"
#include "stand_ins.h"

namespace ap::keras {

namespace {

struct OperatorClass {
  std::string_view token;
  const char* class_name;  // keras.ops' Operation class
};

// KerasTensor.__add__ and friends call these keras.ops functions.
constexpr OperatorClass kBinaryClasses[] = {
    {"+", "Add"},        {"-", "Subtract"},      {"*", "Multiply"},
    {"/", "TrueDivide"}, {"//", "FloorDivide"},  {"%", "Mod"},
    {"**", "Power"},     {"@", "Matmul"},        {"==", "Equal"},
    {"!=", "NotEqual"},  {"<", "Less"},          {"<=", "LessEqual"},
    {">", "Greater"},    {">=", "GreaterEqual"}, {"&", "LogicalAnd"},
    {"|", "LogicalOr"},
};

// An operand's shape and dtype for compute_output_spec: a KerasTensor's, a
// tensor's, or a Python number's (shape [], a "weak" dtype).
struct Operand {
  PartialShape shape;
  std::optional<DType> dtype;  // nullopt: a Python scalar
  bool python_float = false;
};

Operand OperandOf(const Value& v, std::string_view op) {
  if (const auto kt = AsKerasTensor(v)) return {kt->shape(), kt->dtype()};
  if (v.is_tensor()) {
    return {ToPartialShape(v.as_tensor().shape()), v.as_tensor().dtype()};
  }
  if (v.kind() == Value::Kind::kInt || v.kind() == Value::Kind::kBool) {
    return {{}, std::nullopt, false};
  }
  if (v.kind() == Value::Kind::kFloat) return {{}, std::nullopt, true};
  RaiseNotModelled("the operator " + std::string(op) +
                   " between a KerasTensor and " + v.TypeName());
}

bool IsFloat(DType d) { return d == DType::kFloat32; }

// dtypes.result_type with Python scalars as weak types
// (keras/src/backend/common/dtypes.py, Keras 3.15), for float32, int32 and
// bool.
DType ResultType(const Operand& a, const Operand& b) {
  if (a.dtype && b.dtype) {
    if (IsFloat(*a.dtype) || IsFloat(*b.dtype)) return DType::kFloat32;
    if (*a.dtype == DType::kInt32 || *b.dtype == DType::kInt32) {
      return DType::kInt32;
    }
    return DType::kBool;
  }
  const Operand& tensor = a.dtype ? a : b;
  const Operand& scalar = a.dtype ? b : a;
  if (scalar.python_float) return DType::kFloat32;
  return *tensor.dtype == DType::kBool ? DType::kInt32 : *tensor.dtype;
}

std::string DimsList(const PartialShape& s) {
  return ShapeToPyListString(ToShapeWithUnknowns(s));
}

// broadcast_shapes (keras/src/ops/operation_utils.py, Keras 3.15).
PartialShape BroadcastShapes(PartialShape a, PartialShape b) {
  const std::string text =
      "Input shapes are: " + DimsList(a) + " and " + DimsList(b) + ".";
  while (a.size() < b.size()) a.insert(a.begin(), Dim(1));
  while (b.size() < a.size()) b.insert(b.begin(), Dim(1));
  PartialShape out = a;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].Is(1)) {
      out[i] = b[i];
    } else if (!a[i].known()) {
      out[i] = b[i].Is(1) ? Dim() : b[i];
    } else if (!(b[i].Is(1) || !b[i].known() || b[i] == a[i])) {
      RaiseValueError("Cannot broadcast shape, the failure dim has value " +
                      std::to_string(a[i].size()) +
                      ", which cannot be broadcasted to " +
                      std::to_string(b[i].size()) + ". " + text);
    }
  }
  return out;
}

// compute_matmul_output_shape (operation_utils.py, Keras 3.15).
PartialShape MatmulShape(PartialShape a, PartialShape b) {
  if (a.empty() || b.empty()) {
    RaiseNotModelled("the @ operator on a scalar KerasTensor operand");
  }
  const bool a_vector = a.size() == 1, b_vector = b.size() == 1;
  if (a_vector) a = {Dim(1), a[0]};
  if (b_vector) b = {b[0], Dim(1)};
  const Dim inner_a = a.back(), inner_b = b[b.size() - 2];
  if (inner_a.known() && inner_b.known() && inner_a != inner_b) {
    RaiseValueError(
        "Inner dimensions (`x1.shape[-1]` and `x2.shape[-2]`) must be equal, "
        "but received `x1.shape=" +
        PartialShapeToPyString(a) +
        "` and `x2.shape=" + PartialShapeToPyString(b) + "`.");
  }
  PartialShape out = BroadcastShapes(PartialShape(a.begin(), a.end() - 2),
                                     PartialShape(b.begin(), b.end() - 2));
  out.push_back(a[a.size() - 2]);
  out.push_back(b.back());
  if (a_vector) out.erase(out.end() - 2);
  if (b_vector) out.pop_back();
  return out;
}

// The operation object and its node for `outputs` computed from `args`.
Value Record(RunContext& ctx, const char* class_name, KerasOperation::Kind kind,
             std::string_view op, CallArgs args, const PartialShape& shape,
             DType dtype) {
  auto operation = std::make_shared<KerasOperation>(
      class_name, ctx.UniqueLayerName(ToSnakeCase(class_name)), kind,
      std::string(op));
  const Value out = Value::FromObject(NewKerasTensor(ctx, shape, dtype));
  operation->RecordNode(args, out);
  return out;
}

std::string KeyText(const Value& key) {
  if (key.kind() == Value::Kind::kTuple) {
    std::string out = "(";
    for (size_t i = 0; i < key.items().size(); ++i) {
      out += (i ? ", " : "") + ap::Repr(key.items()[i]);
    }
    return out + (key.items().size() == 1 ? ",)" : ")");
  }
  return ap::Repr(key);
}

}  // namespace

bool IsSymbolicOperand(const Value& v) { return AsKerasTensor(v) != nullptr; }

std::vector<Param> KerasOperation::CallParams(Profile) const {
  switch (kind_) {
    case Kind::kBinary:
      return ParseParams("x1,x2");
    case Kind::kUnary:
    case Kind::kConvertToTensor:
      return ParseParams("x");
    case Kind::kFunction:
      return params_.empty() ? ParseParams(op_) : params_;
    case Kind::kGetItem:
      return ParseParams("x,key");
  }
  return {};
}

Value KerasOperation::CallBody(RunContext& ctx, LayerCall& call) {
  // The operation's call() on tensors: the backend's operator.
  const py::Framework& framework = *ctx.framework;
  switch (kind_) {
    case Kind::kBinary:
      return framework.BinaryOperator(op_, call[0], call[1], ctx);
    case Kind::kUnary:
      return framework.UnaryOperator(op_, call[0], ctx);
    case Kind::kGetItem:
      return framework.Subscript(call[0], call[1], ctx);
    case Kind::kConvertToTensor:
      return call[0];
    case Kind::kFunction:
      return body_(ctx, call);
  }
  return Value::None();
}

Value SymbolicBinaryOperator(RunContext& ctx, std::string_view op,
                             const Value& lhs, const Value& rhs) {
  const char* class_name = nullptr;
  for (const auto& entry : kBinaryClasses) {
    if (entry.token == op) class_name = entry.class_name;
  }
  if (!class_name) {
    RaiseNotModelled("the operator " + std::string(op) + " on KerasTensors");
  }
  const Operand a = OperandOf(lhs, op), b = OperandOf(rhs, op);
  PartialShape shape;
  DType dtype = ResultType(a, b);
  if (op == "@") {
    shape = MatmulShape(a.shape, b.shape);
  } else {
    shape = BroadcastShapes(a.shape, b.shape);
    if (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" ||
        op == ">=" || op == "&" || op == "|") {
      dtype = DType::kBool;
    } else if (op == "/" && dtype != DType::kFloat32) {
      dtype = DType::kFloat32;  // result_type(x1, x2, float)
    }
  }
  CallArgs args;
  args.positional = {lhs, rhs};
  return Record(ctx, class_name, KerasOperation::Kind::kBinary, op, args, shape,
                dtype);
}

Value SymbolicUnaryOperator(RunContext& ctx, std::string_view op,
                            const Value& x) {
  const auto kt = AsKerasTensor(x);
  if (op == "+") return x;
  const char* class_name = op == "-"     ? "Negative"
                           : op == "abs" ? "Absolute"
                                         : nullptr;
  if (!class_name) {
    RaiseNotModelled("the operator " + std::string(op) + " on KerasTensors");
  }
  CallArgs args;
  args.positional = {x};
  return Record(ctx, class_name, KerasOperation::Kind::kUnary, op, args,
                kt->shape(), kt->dtype());
}

Value SymbolicConvertToTensor(RunContext& ctx, const Value& x) {
  const auto kt = AsKerasTensor(x);
  CallArgs args;
  args.positional = {x};
  return Record(ctx, "ConvertToTensor", KerasOperation::Kind::kConvertToTensor,
                "", args, kt->shape(), kt->dtype());
}

namespace {

// A kFunction operation's node for `args`, making a bool KerasTensor.
Value RecordFunction(RunContext& ctx, const char* class_name,
                     const char* params, CallArgs args,
                     const PartialShape& shape, KerasOperation::Body body) {
  auto operation = std::make_shared<KerasOperation>(
      class_name, ctx.UniqueLayerName(ToSnakeCase(class_name)), params,
      std::move(body));
  const Value out = Value::FromObject(NewKerasTensor(ctx, shape, DType::kBool));
  operation->RecordNode(args, out);
  return out;
}

CallArgs Positional(ValueList values) {
  CallArgs args;
  args.positional = std::move(values);
  return args;
}

// `axis` of a rank-`rank` shape, counted from the front.
size_t AxisIndex(int axis, size_t rank) {
  const int n = static_cast<int>(rank);
  const int a = axis < 0 ? axis + n : axis;
  if (a < 0 || a >= n) RaiseNotModelled("this axis of a KerasTensor mask");
  return static_cast<size_t>(a);
}

}  // namespace

Value SymbolicAny(RunContext& ctx, const Value& x, int axis) {
  PartialShape shape = AsKerasTensor(x)->shape();
  shape.erase(shape.begin() + AxisIndex(axis, shape.size()));
  return RecordFunction(
      ctx, "Any", "x", Positional({x}), shape,
      [axis](RunContext&, LayerCall& call) {
        return Value::FromTensor(ops::Reduce(ops::ReduceOp::kAny,
                                             AsBoolMask(call[0].as_tensor()),
                                             std::vector<int>{axis}, false));
      });
}

Value SymbolicLogicalOr(RunContext& ctx, const Value& a, const Value& b) {
  return SymbolicBinaryOperator(ctx, "|", a, b);
}

Value SymbolicExpandDims(RunContext& ctx, const Value& x, int axis) {
  PartialShape shape = AsKerasTensor(x)->shape();
  shape.insert(shape.begin() + AxisIndex(axis, shape.size() + 1), Dim(1));
  return RecordFunction(
      ctx, "ExpandDims", "x", Positional({x}), shape,
      [axis](RunContext&, LayerCall& call) {
        return Value::FromTensor(ops::ExpandDims(call[0].as_tensor(), axis));
      });
}

Value SymbolicBoolLike(RunContext& ctx, const Value& x, bool ones) {
  return RecordFunction(
      ctx, ones ? "OnesLike" : "ZerosLike", "x", Positional({x}),
      AsKerasTensor(x)->shape(), [ones](RunContext&, LayerCall& call) {
        return Value::FromTensor(
            ops::Fill(call[0].as_tensor().shape(), ones ? 1 : 0, DType::kBool));
      });
}

Value SymbolicConcatenate(RunContext& ctx, const ValueList& xs, int axis) {
  PartialShape shape = AsKerasTensor(xs[0])->shape();
  const size_t a = AxisIndex(axis, shape.size());
  for (size_t i = 1; i < xs.size(); ++i) {
    const PartialShape& other = AsKerasTensor(xs[i])->shape();
    if (other.size() != shape.size()) {
      RaiseNotModelled("concatenating KerasTensor masks of different ranks");
    }
    shape[a] = shape[a].known() && other[a].known()
                   ? Dim(shape[a].size() + other[a].size())
                   : Dim();
  }
  return RecordFunction(ctx, "Concatenate", "xs", Positional({Value::List(xs)}),
                        shape, [axis](RunContext&, LayerCall& call) {
                          std::vector<Tensor> parts;
                          for (const Value& v : call[0].items())
                            parts.push_back(v.as_tensor());
                          return Value::FromTensor(ops::Concat(parts, axis));
                        });
}

namespace {

// keras.ops' Operation class of a function: its name in CamelCase
// (keras/src/ops/numpy.py, nn.py, core.py, Keras 3.15), except where the
// function is an alias.
std::string OperationClassName(std::string_view function) {
  if (function == "abs") return "Absolute";
  std::string out;
  bool upper = true;
  for (char c : function) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(c)) : c;
    upper = false;
  }
  return out;
}

// keras.ops functions whose output shape depends on the values (or that
// return no tensor of a fixed shape): not inferred from zeros.
bool ShapeDependsOnValues(std::string_view function, const BoundArgs& bound) {
  if (function == "nonzero" || function == "unique" || function == "argwhere") {
    return true;
  }
  // where(condition) alone is nonzero.
  return function == "where" && bound.values.size() > 1 &&
         bound.values[1].is_none();
}

}  // namespace

Value SymbolicKerasOpsCall(
    RunContext& ctx, std::string_view function,
    const std::vector<Param>& params, const BoundArgs& bound,
    std::function<Value(RunContext&, const BoundArgs&)> invoke) {
  const std::string qualified = "keras.ops." + std::string(function);
  if (function == "shape") {
    // ops.shape of a KerasTensor is its shape: ints and None.
    if (const auto kt = AsKerasTensor(bound.values[0])) {
      return ShapeTuple(kt->shape());
    }
  }
  if (ShapeDependsOnValues(function, bound)) {
    RaiseNotModelled(qualified +
                     " on keras.Input tensors (its shape depends on values)");
  }
  Value outs[2];
  for (int w = 0; w < 2; ++w) {
    BoundArgs world = bound;
    for (Value& v : world.values)
      v = StandIn(v, kFunctionStandInSizes[w], false);
    try {
      StandInRunScope scope(ctx);
      outs[w] = invoke(ctx, world);
    } catch (const ErrorException& e) {
      const ErrorClass c = e.error().cls;
      if (c == ErrorClass::kNotSupportedError || c == ErrorClass::kLimitError) {
        throw;
      }
      RaiseNotModelled(
          qualified +
          " on these keras.Input tensors: Keras checks their shapes "
          "symbolically, with texts of its own (on concrete tensors it "
          "raises " +
          std::string(ErrorClassName(c)) + ": " +
          e.error().Message().substr(0, 200) + ")");
    }
  }
  const Value out =
      MergeStandIns(ctx, outs[0], outs[1], std::nullopt, false, qualified);
  const std::string class_name = OperationClassName(function);
  auto operation = std::make_shared<KerasOperation>(
      class_name, ctx.UniqueLayerName(ToSnakeCase(class_name)), params,
      [invoke](RunContext& c, LayerCall& call) {
        return invoke(c, call.bound);
      });
  CallArgs args;
  for (size_t i = 0; i < params.size(); ++i) {
    args.keywords.emplace_back(params[i].name, bound.values[i]);
  }
  operation->RecordNode(args, out);
  return out;
}

Value SymbolicSubscript(RunContext& ctx, const Value& x, const Value& key) {
  // GetItem.compute_output_spec (keras/src/ops/numpy.py, Keras 3.15).
  const auto kt = AsKerasTensor(x);
  const std::string key_text = KeyText(key);
  ValueList keys;
  if (key.kind() == Value::Kind::kTuple || key.kind() == Value::Kind::kList) {
    keys = key.items();
  } else if (key.kind() == Value::Kind::kInt) {
    keys = {key};
  } else if (key.kind() == Value::Kind::kObject &&
             dynamic_cast<const py::SliceObject*>(key.as_object().get())) {
    RaiseValueError("Unsupported key type for array slice. Received: `" +
                    key_text + "`");
  } else {
    RaiseNotModelled("this subscript of a KerasTensor");
  }
  auto is_ellipsis = [](const Value& v) {
    return v.kind() == Value::Kind::kObject &&
           dynamic_cast<const py::EllipsisObject*>(v.as_object().get());
  };
  int ellipses = 0;
  for (const Value& k : keys) ellipses += is_ellipsis(k) ? 1 : 0;
  if (ellipses > 1) {
    RaiseValueError("Slice should only have one ellipsis. Received: `" +
                    key_text + "`");
  }
  if (ellipses == 0)
    keys.push_back(Value::FromObject(std::make_shared<py::EllipsisObject>()));
  PartialShape remaining = kt->shape(), out;
  for (size_t i = 0; i < keys.size(); ++i) {
    const Value& k = keys[i];
    if (is_ellipsis(k)) {
      int needed = 0;
      for (size_t j = i + 1; j < keys.size(); ++j) needed += !keys[j].is_none();
      const int consumed = static_cast<int>(remaining.size()) - needed;
      if (consumed > 0) {
        out.insert(out.end(), remaining.begin(), remaining.begin() + consumed);
        remaining.erase(remaining.begin(), remaining.begin() + consumed);
      }
      continue;
    }
    if (k.is_none()) {
      out.push_back(Dim(1));
      continue;
    }
    if (remaining.empty()) {
      RaiseValueError("Array has shape " + PartialShapeToPyString(kt->shape()) +
                      " but slice has to many indices. Received: `" + key_text +
                      "`");
    }
    const Dim length = remaining.front();
    remaining.erase(remaining.begin());
    if (k.kind() == Value::Kind::kInt) {
      if (length.known()) {
        const int64_t index =
            k.as_int() >= 0 ? k.as_int() : k.as_int() + length.size();
        if (index < 0 || index >= length.size()) {
          RaiseValueError(
              "Array has shape " + PartialShapeToPyString(kt->shape()) +
              " but out-of-bounds index " + key_text + " was requested.");
        }
      }
    } else if (const auto* s = k.kind() == Value::Kind::kObject
                                   ? dynamic_cast<const py::SliceObject*>(
                                         k.as_object().get())
                                   : nullptr) {
      if (!length.known()) {
        out.push_back(length);
        continue;
      }
      // len(range(*slice.indices(length))).
      auto as_int = [](const Value& v, int64_t fallback) {
        return v.is_none() ? fallback : v.as_int();
      };
      if ((!s->start.is_none() && s->start.kind() != Value::Kind::kInt) ||
          (!s->stop.is_none() && s->stop.kind() != Value::Kind::kInt) ||
          (!s->step.is_none() && s->step.kind() != Value::Kind::kInt)) {
        RaiseNotModelled("a KerasTensor slice whose bounds are not ints");
      }
      const int64_t n = length.size();
      const int64_t step = as_int(s->step, 1);
      if (step == 0) RaiseValueError("slice step cannot be zero");
      auto clamp = [&](int64_t v, int64_t lo, int64_t hi) {
        if (v < 0) v += n;
        return v < lo ? lo : v > hi ? hi : v;
      };
      int64_t start, stop;
      if (step > 0) {
        start = s->start.is_none() ? 0 : clamp(s->start.as_int(), 0, n);
        stop = s->stop.is_none() ? n : clamp(s->stop.as_int(), 0, n);
        out.push_back(Dim(stop > start ? (stop - start + step - 1) / step : 0));
      } else {
        start =
            s->start.is_none() ? n - 1 : clamp(s->start.as_int(), -1, n - 1);
        stop = s->stop.is_none() ? -1 : clamp(s->stop.as_int(), -1, n - 1);
        out.push_back(
            Dim(start > stop ? (start - stop + (-step) - 1) / (-step) : 0));
      }
    } else {
      RaiseValueError("Unsupported key type for array slice. Received: `" +
                      key_text + "`");
    }
  }
  CallArgs args;
  args.positional = {x, key};
  return Record(ctx, "GetItem", KerasOperation::Kind::kGetItem, "[]", args, out,
                kt->dtype());
}

}  // namespace ap::keras
