#include "tf_keras_node_names.h"

#include <cctype>

namespace ap::keras {

namespace {

// tensorflow/python/framework/ops.py (TF 2.21), _VALID_SCOPE_NAME_REGEX.
bool ValidRootScope(const std::string& name) {
  if (name.empty()) return false;
  auto alnum = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  };
  if (!alnum(name[0]) && name[0] != '.') return false;
  for (const char c : name) {
    if (!alnum(c) && c != '_' && c != '.' && c != '\\' && c != '/' &&
        c != '>' && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string TfKerasTensorName(const std::string& scope, std::string_view op,
                              int index) {
  if (op.empty() || !ValidRootScope(scope)) return "";
  return scope + "/" + std::string(op) + ":" + std::to_string(index);
}

std::string TfKerasActivationOp(const std::string& activation) {
  // Probed on Dense, Conv1D and Activation (ranks 2-4): the op is the same.
  static const std::pair<const char*, const char*> kOps[] = {
      {"relu", "Relu"},
      {"tanh", "Tanh"},
      {"sigmoid", "Sigmoid"},
      {"softmax", "Softmax"},
      {"log_softmax", "LogSoftmax"},
      {"gelu", "Gelu/mul_2"},
      {"elu", "Elu"},
      {"selu", "Selu"},
      {"softplus", "Softplus"},
      {"softsign", "Softsign"},
      // swish / silu are tf.custom_gradient functions.
      {"swish", "IdentityN"},
      {"silu", "IdentityN"},
      {"exponential", "Exp"},
      {"hard_sigmoid", "clip_by_value"},
      {"relu6", "Relu6"},
      {"leaky_relu", "LeakyRelu"},
      {"mish", "mul"},
  };
  for (const auto& [name, op] : kOps) {
    if (activation == name) return op;
  }
  return "";
}

CallFlag TfKerasCallFlag(const LayerCall& call, std::string_view name) {
  const size_t i = call.Index(name);
  if (i >= call.params.size() || i >= call.bound.values.size()) {
    return CallFlag::kUnset;
  }
  const Value& v = call[i];
  if (v.is_none()) return CallFlag::kUnset;
  if (v.kind() == Value::Kind::kBool) {
    return v.as_bool() ? CallFlag::kTrue : CallFlag::kFalse;
  }
  return CallFlag::kOther;
}

bool TfKerasArgumentGiven(const LayerCall& call, std::string_view name) {
  const size_t i = call.Index(name);
  return i < call.params.size() && i < call.bound.values.size() &&
         !call[i].is_none();
}

Value TfKerasCallMask(const LayerCall& call) {
  const size_t i = call.Index("mask");
  if (i >= call.params.size() || i >= call.bound.values.size()) {
    return Value::None();
  }
  if (!call[i].is_none() || call.bound.was_given[i]) return call[i];
  return KerasMasksOf(call[0]);
}

bool TfKerasAnyMask(const Value& masks) {
  if (masks.kind() == Value::Kind::kList ||
      masks.kind() == Value::Kind::kTuple) {
    for (const Value& m : masks.items()) {
      if (!m.is_none()) return true;
    }
    return false;
  }
  return !masks.is_none();
}

int TfKerasRankOf(const LayerCall& call, size_t i) {
  if (i >= call.bound.values.size()) return -1;
  const std::optional<PartialShape> shape = call.ShapeOf(i);
  return shape ? static_cast<int>(shape->size()) : -1;
}

}  // namespace ap::keras
