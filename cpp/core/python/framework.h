// What the evaluator needs from the TensorFlow/Keras world. The evaluator
// (Python semantics) calls these; the API surface (tf_api*.cc) implements
// them. Keeping the seam here lets the Python subset stay free of TF rules
// and the TF rules stay testable without a parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "../run_context.h"
#include "../value.h"

namespace ap::interp {

// A Python slice object `start:stop:step` (each None or int) as the
// evaluator builds it for subscripts.
class SliceObject : public Object {
 public:
  SliceObject(Value start, Value stop, Value step)
      : start(std::move(start)), stop(std::move(stop)), step(std::move(step)) {}
  std::string TypeName() const override { return "slice"; }
  std::string Repr() const override;
  Value start, stop, step;
};

// Python's `...`.
class EllipsisObject : public Object {
 public:
  std::string TypeName() const override { return "ellipsis"; }
  std::string Repr() const override { return "Ellipsis"; }
};

// `import tensorflow as tf`, `from tensorflow.keras import layers`, ...:
// the module object for a dotted name, or nullopt if the playground does not
// model it (the evaluator then raises NotSupportedError naming the module).
std::optional<Value> ImportModule(std::string_view dotted_name,
                                  RunContext& ctx);

// True if the operands of a Python operator must go through TensorFlow:
// at least one is a tensor.
bool IsTensorOperand(const Value& v);

// A Python binary operator with at least one tensor operand. `op` is the
// operator token: + - * / // % ** @ == != < <= > >= & | ^.
Value TensorBinaryOperator(std::string_view op, const Value& lhs,
                           const Value& rhs, RunContext& ctx);

// Unary - + ~ on a tensor.
Value TensorUnaryOperator(std::string_view op, const Value& x, RunContext& ctx);

// x[index] on a tensor. `index` is an int, a SliceObject, None (newaxis), an
// EllipsisObject, or a tuple of those.
Value TensorSubscript(const Value& x, const Value& index, RunContext& ctx);

// Attributes and methods of a tensor (.shape, .dtype, .ndim, .numpy, .T,
// ...). nullopt means AttributeError.
std::optional<Value> TensorAttribute(const Value& x, std::string_view name,
                                     RunContext& ctx);

// bool(tensor): a one-element tensor's truth, else the TF ValueError.
bool TensorTruth(const Value& x);

}  // namespace ap::interp
