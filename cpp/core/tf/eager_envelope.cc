#include "eager_envelope.h"

#include <array>

namespace ap::tf {
namespace {

// Wrappers that call their op without the caller's name: the message ends
// in " name: " (tensorflow/python/ops/math_ops.py add, truediv, matmul, ...).
constexpr std::array<std::string_view, 25> kNameNotForwarded = {
    "add",
    "math.add",
    "divide",
    "truediv",
    "math.divide",
    "math.truediv",
    "floordiv",
    "math.floordiv",
    "pow",
    "math.pow",
    "matmul",
    "linalg.matmul",
    "transpose",
    "cumsum",
    "math.cumsum",
    "zeros",
    "ones",
    "eye",
    "linalg.eye",
    "range",
    "sequence_mask",
    "math.reduce_variance",
    "random.normal",
    "random.uniform",
    "random.truncated_normal",
};

// Wrappers that convert Python sequences to tensors before the op runs, so
// a list argument still takes the fast path; the op decides the rest.
constexpr std::array<std::string_view, 15> kConvertsSequences = {
    "add",
    "math.add",
    "matmul",
    "linalg.matmul",
    "zeros",
    "ones",
    "split",
    "eye",
    "linalg.eye",
    "range",
    "sequence_mask",
    "random.normal",
    "random.uniform",
    "random.truncated_normal",
    "random.stateless_normal",
};

// Parameters that are op attributes, not inputs: a list there is no input.
constexpr std::array<std::pair<std::string_view, std::string_view>, 1>
    kAttrParams = {{{"squeeze", "axis"}}};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& table,
              std::string_view name) {
  for (std::string_view entry : table) {
    if (entry == name) return true;
  }
  return false;
}

// A Python list or tuple that is not a list of tensors (a shape, an axis
// list, nested numbers, an empty list): the fast path cannot take it as an
// input.
bool IsPythonSequenceInput(const Value& v) {
  if (v.kind() != Value::Kind::kList && v.kind() != Value::Kind::kTuple) {
    return false;
  }
  if (v.items().empty()) return true;
  for (const Value& item : v.items()) {
    if (!item.is_tensor()) return true;
  }
  return false;
}

bool IsAttrParam(std::string_view function, std::string_view param) {
  for (const auto& [f, p] : kAttrParams) {
    if (f == function && p == param) return true;
  }
  return false;
}

}  // namespace

void ApplyEagerEnvelope(Error& e, std::string_view qualified_name,
                        const std::vector<Param>& params,
                        const BoundArgs& bound) {
  constexpr std::string_view kPrefix = "tensorflow.";
  if (e.op.empty() || qualified_name.substr(0, kPrefix.size()) != kPrefix) {
    return;
  }
  const std::string_view function = qualified_name.substr(kPrefix.size());
  const bool forwards_name = !Contains(kNameNotForwarded, function);
  bool sequence_input = false;
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == "name") {
      const Value& name = bound[i];
      if (forwards_name && name.kind() == Value::Kind::kStr) {
        e.op_name = name.as_str();
      }
    } else if (!IsAttrParam(function, params[i].name) &&
               IsPythonSequenceInput(bound[i])) {
      sequence_input = true;
    }
  }
  if (!Contains(kConvertsSequences, function)) e.fast_path = !sequence_input;
}

}  // namespace ap::tf
