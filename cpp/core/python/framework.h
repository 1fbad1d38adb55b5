// The seam between Python semantics and a tensor framework. The evaluator,
// builtins and object operations call a Framework for everything that
// involves a tensor or a framework module; tf/ implements it for
// TensorFlow/Keras (tf/tensorflow_framework.h), and another front end would
// be a second implementation. Reached through RunContext::framework.
#pragma once

#include <optional>
#include <string_view>

#include "../run_context.h"
#include "../value.h"

namespace ap::py {

class Framework {
 public:
  virtual ~Framework() = default;

  // `import tensorflow as tf`, `from tensorflow.keras import layers`, ...:
  // the module object for a dotted name, or nullopt if the playground does
  // not model it (the evaluator then raises NotSupportedError naming it).
  virtual std::optional<Value> ImportModule(std::string_view dotted_name,
                                            RunContext& ctx) const = 0;

  // True if a Python operator on `v` must go through the framework (it is
  // a tensor).
  virtual bool IsTensorOperand(const Value& v) const = 0;

  // A Python binary operator with at least one tensor operand. `op` is the
  // operator token: + - * / // % ** @ == != < <= > >= & | ^.
  virtual Value BinaryOperator(std::string_view op, const Value& lhs,
                               const Value& rhs, RunContext& ctx) const = 0;

  // Unary - + ~ on a tensor.
  virtual Value UnaryOperator(std::string_view op, const Value& x,
                              RunContext& ctx) const = 0;

  // x[index] on a tensor. `index` is an int, a SliceObject, None (newaxis),
  // an EllipsisObject, or a tuple of those (python/slice.h).
  virtual Value Subscript(const Value& x, const Value& index,
                          RunContext& ctx) const = 0;

  // Attributes and methods of a tensor (.shape, .dtype, .ndim, .numpy, .T,
  // ...). nullopt means AttributeError.
  virtual std::optional<Value> Attribute(const Value& x, std::string_view name,
                                         RunContext& ctx) const = 0;

  // bool(tensor): a one-element tensor's truth, else the framework's error.
  virtual bool Truth(const Value& x) const = 0;
};

// The framework of the run `ctx` belongs to (set by the run driver).
const Framework& FrameworkOf(const RunContext& ctx);

}  // namespace ap::py
