// Keras 3 operations on KerasTensors: `x + y`, `x @ w`, `-x`, `x[:, 0]`
// in a functional model go through keras.ops (KerasTensor's operators,
// keras/src/backend/common/keras_tensor.py, Keras 3.15), whose
// compute_output_spec infers the result and whose Operation becomes a node
// of the graph (shown by model.summary(), replayed on tensors).
#pragma once

#include <string_view>

#include "layer.h"

namespace ap::keras {

// A keras.ops operation in a functional graph: "add (Add)". It is not a
// layer (model.layers leaves it out) and has no weights.
class KerasOperation : public Layer {
 public:
  enum class Kind { kBinary, kUnary, kGetItem, kConvertToTensor, kAnyLast };
  KerasOperation(std::string class_name, std::string name, Kind kind,
                 std::string op)
      : Layer(std::move(class_name), std::move(name)),
        kind_(kind),
        op_(std::move(op)) {
    built_ = true;
  }
  bool IsOperation() const override { return true; }

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  bool SupportsMasking() const override { return false; }

 private:
  Kind kind_;
  std::string op_;  // the Python operator: "+", "@", "-", "[]"
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
// ops.any(x, axis=-1) on a KerasTensor: bool, the last axis gone
// (Masking.compute_mask does it).
Value SymbolicAnyLastAxis(RunContext& ctx, const Value& x);

}  // namespace ap::keras
