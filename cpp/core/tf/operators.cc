// Python operators, subscripts and attributes on tensors (the framework
// seam, python/framework.h), with the
// conversions TensorFlow applies to the other operand.
#include <cmath>

#include "../error.h"
#include "../keras/symbolic_ops.h"
#include "../numpy/array_ops.h"
#include "../numpy/indexing.h"
#include "../numpy/ndarray.h"
#include "../ops/ops.h"
#include "../python/slice.h"
#include "../repr.h"
#include "convert.h"
#include "native.h"
#include "tensorflow_framework.h"

namespace ap::tf {

using py::EllipsisObject;
using py::SliceObject;

namespace {

// numpy arrays and scalars, and numpy dtypes (for a.dtype == np.float32).
bool IsNumpyOperand(const Value& v) {
  return np::IsNdarray(v) || np::IsNumpyScalar(v) ||
         (v.kind() == Value::Kind::kObject && np::NumpyDTypeOf(v));
}

}  // namespace

bool TensorFlowFramework::IsTensorOperand(const Value& v) const {
  return v.is_tensor() || keras::IsSymbolicOperand(v) || IsNumpyOperand(v);
}

namespace {

// A numpy value takes numpy's semantics unless a tf tensor meets it (then
// TF's operator wins, as its __array_priority__ makes it).
bool NumpyOnly(const Value& lhs, const Value& rhs) {
  return !lhs.is_tensor() && !rhs.is_tensor() &&
         (IsNumpyOperand(lhs) || IsNumpyOperand(rhs));
}

}  // namespace

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
    {"|", ops::BinaryOp::kLogicalOr},
};

// The operand that is not a tensor is converted with the tensor's dtype, as
// TF's operator overloads do (tf.ones(3) + 1 adds a float32 1).
void ConvertOperands(const Value& lhs, const Value& rhs, Tensor* a, Tensor* b) {
  if (lhs.is_tensor() && rhs.is_tensor()) {
    *a = lhs.as_tensor();
    *b = rhs.as_tensor();
  } else if (lhs.is_tensor()) {
    *a = lhs.as_tensor();
    *b = ToTensor(rhs, a->dtype());
  } else {
    *b = rhs.as_tensor();
    *a = ToTensor(lhs, b->dtype());
  }
}

std::vector<RoleBinding> OperandRoles(const Tensor& a, const Tensor& b) {
  RoleBinding x{"x", "x", "", "", a.shape(), a.dtype()};
  RoleBinding y{"y", "y", "", "", b.shape(), b.dtype()};
  return {x, y};
}

}  // namespace

Value TensorFlowFramework::BinaryOperator(std::string_view op, const Value& lhs,
                                          const Value& rhs,
                                          RunContext& ctx) const {
  if (keras::IsSymbolicOperand(lhs) || keras::IsSymbolicOperand(rhs)) {
    return keras::SymbolicBinaryOperator(ctx, op, lhs, rhs);
  }
  if (NumpyOnly(lhs, rhs)) return np::BinaryOperator(op, lhs, rhs, ctx);
  Tensor a, b;
  ConvertOperands(lhs, rhs, &a, &b);
  CallEvent event;
  event.kind = "op";
  event.callee = std::string(op);
  event.inputs = OperandRoles(a, b);
  try {
    Tensor out;
    if (op == "@") {
      out = ops::MatMul(a, b);
    } else {
      const OperatorInfo* info = nullptr;
      for (const auto& candidate : kOperators) {
        if (candidate.token == op) info = &candidate;
      }
      if (!info) {
        Error e;
        e.cls = ErrorClass::kNotSupportedError;
        e.text = "the operator " + std::string(op) +
                 " on tensors is not modelled by the playground";
        Raise(e);
      }
      if ((op == "&" || op == "|") && a.dtype() != DType::kBool) {
        Error e;
        e.cls = ErrorClass::kNotSupportedError;
        e.text = "bitwise " + std::string(op) +
                 " on integer tensors is not modelled by the playground";
        Raise(e);
      }
      if (op == "==" || op == "!=") {
        out = ops::EqualityOperator(a, b, op == "!=");
      } else {
        out = ops::Binary(info->op, a, b);
      }
    }
    event.outputs.push_back({"output", "", out});
    ctx.Emit(std::move(event));
    return Value::FromTensor(out);
  } catch (const ErrorException&) {
    event.failed = true;
    ctx.Emit(std::move(event));
    throw;
  }
}

Value TensorFlowFramework::UnaryOperator(std::string_view op, const Value& x,
                                         RunContext& ctx) const {
  if (keras::IsSymbolicOperand(x)) {
    return keras::SymbolicUnaryOperator(ctx, op, x);
  }
  if (IsNumpyOperand(x)) return np::UnaryOperator(op, x);
  const Tensor& t = x.as_tensor();
  if (op == "-") return Value::FromTensor(ops::Unary(ops::UnaryOp::kNeg, t));
  if (op == "+") return x;
  if (op == "abs") return Value::FromTensor(ops::Unary(ops::UnaryOp::kAbs, t));
  if (op == "~" && t.dtype() == DType::kBool) {
    return Value::FromTensor(ops::Unary(ops::UnaryOp::kLogicalNot, t));
  }
  Error e;
  e.cls = ErrorClass::kNotSupportedError;
  e.text = "the unary operator " + std::string(op) + " on a " +
           std::string(DTypeName(t.dtype())) +
           " tensor is not modelled by the playground";
  Raise(e);
}

namespace {

ops::SliceItem ToSliceItem(const Value& v) {
  ops::SliceItem item;
  if (v.kind() == Value::Kind::kNone) {
    item.kind = ops::SliceItem::Kind::kNewAxis;
    return item;
  }
  if (v.kind() == Value::Kind::kObject) {
    if (dynamic_cast<const EllipsisObject*>(v.as_object().get())) {
      item.kind = ops::SliceItem::Kind::kEllipsis;
      return item;
    }
    if (const auto* s = dynamic_cast<const SliceObject*>(v.as_object().get())) {
      item.kind = ops::SliceItem::Kind::kRange;
      if (!s->start.is_none()) item.start = ToInt(s->start, "slice start");
      if (!s->stop.is_none()) item.stop = ToInt(s->stop, "slice stop");
      if (!s->step.is_none()) item.step = ToInt(s->step, "slice step");
      return item;
    }
  }
  if (v.kind() == Value::Kind::kInt || v.kind() == Value::Kind::kBool ||
      (v.is_tensor() && v.as_tensor().rank() == 0 &&
       IsIntegerDType(v.as_tensor().dtype()))) {
    item.kind = ops::SliceItem::Kind::kIndex;
    item.index = ToInt(v, "index");
    return item;
  }
  if (v.is_tensor() || v.kind() == Value::Kind::kList) {
    Error e;
    e.cls = ErrorClass::kNotSupportedError;
    e.text =
        "indexing a tensor with a list or tensor (gather / boolean "
        "masking) is not modelled by the playground; use tf.gather or "
        "tf.boolean_mask in real TensorFlow";
    Raise(e);
  }
  RaiseText(ErrorClass::kTypeError,
            "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis "
            "(`None`) and scalar tf.int32/tf.int64 tensors are valid indices, "
            "got " +
                Repr(v));
}

}  // namespace

Value TensorFlowFramework::Subscript(const Value& x, const Value& index,
                                     RunContext& ctx) const {
  if (keras::IsSymbolicOperand(x))
    return keras::SymbolicSubscript(ctx, x, index);
  if (IsNumpyOperand(x)) return np::Subscript(x, index);
  std::vector<ops::SliceItem> items;
  if (index.kind() == Value::Kind::kTuple) {
    for (const Value& v : index.items()) items.push_back(ToSliceItem(v));
  } else {
    items.push_back(ToSliceItem(index));
  }
  Tensor out = ops::StridedSlice(x.as_tensor(), items);
  CallEvent event;
  event.kind = "op";
  event.callee = "[]";
  event.inputs.push_back(
      {"x", "x", "", "", x.as_tensor().shape(), x.as_tensor().dtype()});
  event.outputs.push_back({"output", "", out});
  ctx.Emit(std::move(event));
  return Value::FromTensor(out);
}

std::optional<Value> TensorFlowFramework::Attribute(const Value& x,
                                                    std::string_view name,
                                                    RunContext& ctx) const {
  (void)ctx;
  const Tensor t = x.as_tensor();
  if (const VariableInfo* var = x.variable()) {
    // A layer weight (Value::Variable): Keras 3's TensorFlow Variable gives
    // its dtype as a string (its shape is a TensorShape, as a tensor's);
    // tf-keras' is TF's ResourceVariable.
    if (name == "name") return Value::Str(var->Name());
    if (name == "trainable") return Value::Bool(var->trainable);
    if (var->keras3 && name == "path") return Value::Str(var->path);
    if (var->keras3 && name == "value") return Value::FromTensor(t);
    if (var->keras3 && name == "dtype") {
      return Value::Str(std::string(DTypeName(t.dtype())));
    }
    if (name.rfind("assign", 0) == 0) {
      RaiseNotModelled(
          "assigning to a layer weight (the playground does not train or "
          "change weights)");
    }
  }
  if (name == "shape") return Value::FromShape(t.shape());
  if (name == "dtype") return Value::FromDType(t.dtype());
  if (name == "ndim") return Value::Int(t.rank());
  if (name == "_keras_mask" && x.has_keras_mask_attribute()) {
    // Set by a Keras layer call on its outputs (see Value::keras_mask).
    const Tensor* mask = x.keras_mask();
    return mask ? Value::FromTensor(*mask) : Value::None();
  }
  auto method = [&](std::string qualified, std::vector<Param> params,
                    NativeFunction::Body body) {
    return Value::FromObject(std::make_shared<NativeFunction>(
        std::move(qualified), std::move(params), std::move(body), false));
  };
  if (name == "numpy") {
    // A 0-d tensor gives a numpy scalar, others an ndarray (same dtype).
    return method("EagerTensor.numpy", {}, [t](RunContext&, const BoundArgs&) {
      return t.rank() == 0 ? np::MakeNumpyScalar(t) : np::MakeNdarray(t);
    });
  }
  if (name == "get_shape") {
    return method("EagerTensor.get_shape", {},
                  [t](RunContext&, const BoundArgs&) {
                    return Value::FromShape(t.shape());
                  });
  }
  return std::nullopt;
}

bool TensorFlowFramework::Truth(const Value& x) const {
  if (keras::IsSymbolicOperand(x)) {
    // KerasTensor.__bool__ (keras/src/backend/common/keras_tensor.py).
    RaiseText(ErrorClass::kTypeError,
              "A symbolic KerasTensor cannot be used as a boolean.");
  }
  if (IsNumpyOperand(x)) return np::Truth(x);
  const Tensor& t = x.as_tensor();
  if (t.num_elements() != 1) {
    RaiseText(ErrorClass::kValueError,
              "The truth value of an array with more than one element is "
              "ambiguous. Use a.any() or a.all()");
  }
  return t.GetAsDouble(0) != 0;
}

}  // namespace ap::tf
