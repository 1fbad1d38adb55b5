// TensorFlow 2.21 with Keras (3.15 or tf-keras 2.21, by the run's profile)
// behind the Python runtime's framework seam: modules to import, and the
// operators, subscripts, attributes and truth of tensors.
#pragma once

#include <optional>
#include <string_view>

#include "../python/framework.h"

namespace ap::tf {

class TensorFlowFramework : public py::Framework {
 public:
  // modules.cc
  void Prepare(const py::Program& program, RunContext& ctx) const override;
  std::optional<std::string> AbsentModule(std::string_view dotted_name,
                                          RunContext& ctx) const override;
  std::optional<Value> ImportModule(std::string_view dotted_name,
                                    RunContext& ctx) const override;
  // operators.cc
  bool IsTensorOperand(const Value& v) const override;
  Value BinaryOperator(std::string_view op, const Value& lhs, const Value& rhs,
                       RunContext& ctx) const override;
  Value UnaryOperator(std::string_view op, const Value& x,
                      RunContext& ctx) const override;
  Value Subscript(const Value& x, const Value& index,
                  RunContext& ctx) const override;
  std::optional<Value> Attribute(const Value& x, std::string_view name,
                                 RunContext& ctx) const override;
  bool Truth(const Value& x) const override;
  // modules.cc: keras.layers.Layer and keras.Model
  const py::NativeBase* SubclassableBase(const Value& base) const override;
};

}  // namespace ap::tf
