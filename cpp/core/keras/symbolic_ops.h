// Keras 3 operations on KerasTensors: `x + y`, `x @ w`, `-x`, `x[:, 0]`
// in a functional model go through keras.ops (KerasTensor's operators,
// keras/src/backend/common/keras_tensor.py, Keras 3.15), whose
// compute_output_spec infers the result and whose Operation becomes a node
// of the graph (shown by model.summary(), replayed on tensors).
#pragma once

#include <functional>
#include <string_view>

#include "layer.h"

namespace ap::keras {

// A keras.ops operation in a functional graph: "add (Add)". It is not a
// layer (model.layers leaves it out) and has no weights.
class KerasOperation : public Layer {
 public:
  enum class Kind { kBinary, kUnary, kGetItem, kConvertToTensor, kFunction };
  // What a kFunction operation computes on tensors when the graph runs.
  using Body = std::function<Value(RunContext&, LayerCall&)>;
  KerasOperation(std::string class_name, std::string name, Kind kind,
                 std::string op)
      : Layer(std::move(class_name), std::move(name)),
        kind_(kind),
        op_(std::move(op)) {
    built_ = true;
  }
  // A keras.ops function with parameters `params` (ParseParams' syntax).
  KerasOperation(std::string class_name, std::string name, std::string params,
                 Body body)
      : Layer(std::move(class_name), std::move(name)),
        kind_(Kind::kFunction),
        op_(std::move(params)),
        body_(std::move(body)) {
    built_ = true;
  }
  // The same with the parameters already parsed.
  KerasOperation(std::string class_name, std::string name,
                 std::vector<Param> params, Body body)
      : Layer(std::move(class_name), std::move(name)),
        kind_(Kind::kFunction),
        params_(std::move(params)),
        body_(std::move(body)) {
    built_ = true;
  }
  bool IsOperation() const override { return true; }

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  bool SupportsMasking() const override { return false; }

 private:
  Kind kind_;
  std::string op_;  // the Python operator ("+", "@", "[]") or the params
  std::vector<Param> params_;  // kFunction's, when given parsed
  Body body_;
};

// Whether `op` on these operands is a symbolic keras.ops call (one operand
// a KerasTensor).
bool IsSymbolicOperand(const Value& v);

// keras.ops for Python's binary operators, unary - / + / abs, and
// subscripts, on KerasTensors: Keras' output spec (or its ValueError,
// raised unwrapped as symbolic_call raises it) and a node in the graph.
Value SymbolicBinaryOperator(RunContext& ctx, std::string_view op,
                             const Value& lhs, const Value& rhs);
Value SymbolicUnaryOperator(RunContext& ctx, std::string_view op,
                            const Value& x);
Value SymbolicSubscript(RunContext& ctx, const Value& x, const Value& key);
// ops.convert_to_tensor on a KerasTensor: the same spec, through a
// ConvertToTensor operation in the graph (Attention.compute_mask does it).
Value SymbolicConvertToTensor(RunContext& ctx, const Value& x);
// The keras.ops functions that layers' compute_mask calls on KerasTensor
// masks (Masking, the merge layers), each a node of the graph:
// ops.any(x, axis), ops.logical_or(a, b), ops.expand_dims(x, axis),
// ops.zeros_like / ones_like(x, dtype="bool"), ops.concatenate(xs, axis).
Value SymbolicAny(RunContext& ctx, const Value& x, int axis);
Value SymbolicLogicalOr(RunContext& ctx, const Value& a, const Value& b);
Value SymbolicExpandDims(RunContext& ctx, const Value& x, int axis);
Value SymbolicBoolLike(RunContext& ctx, const Value& x, bool ones);
// A keras.ops function (`function`, e.g. "sum") called on KerasTensors
// (Keras 3): its Operation's node in the graph, the output shapes from
// running `invoke` on stand-ins of two sizes (a dim that differs is None).
// Functions whose output shape depends on the values, and calls whose
// stand-in runs raise (Keras' symbolic checks word errors otherwise), are
// refused.
Value SymbolicKerasOpsCall(
    RunContext& ctx, std::string_view function,
    const std::vector<Param>& params, const BoundArgs& bound,
    std::function<Value(RunContext&, const BoundArgs&)> invoke);

// `xs` KerasTensors of equal rank; raises NotSupportedError when their
// shapes do not fit together along `axis`.
Value SymbolicConcatenate(RunContext& ctx, const ValueList& xs, int axis);

}  // namespace ap::keras
