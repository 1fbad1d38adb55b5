#include "layer_arguments.h"

#include <algorithm>

#include "../error.h"
#include "../ops/ops.h"
#include "../repr.h"

namespace ap::keras {

std::string TupleStr(const std::vector<int64_t>& values) {
  std::string s = "(";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(values[i]);
  }
  return s + (values.size() == 1 ? ",)" : ")");
}

std::vector<int64_t> StandardizeTuple(Profile profile, const Value& value,
                                      int n, const std::string& name,
                                      bool allow_zero) {
  const bool k3 = profile == Profile::kKeras3;
  const std::string prefix = "The `" + name + "` argument must be a tuple of " +
                             std::to_string(n) + " integers. Received" +
                             (k3 ? " " + name + "=" : ": ") + ap::Str(value);
  std::vector<int64_t> values;
  if (value.kind() == Value::Kind::kInt) {
    values.assign(n, value.as_int());
  } else if (value.kind() == Value::Kind::kList ||
             value.kind() == Value::Kind::kTuple) {
    if (static_cast<int>(value.items().size()) != n) RaiseValueError(prefix);
    for (const Value& item : value.items()) {
      if (item.kind() != Value::Kind::kInt) {
        RaiseNotModelled("a `" + name + "` item that is not an int");
      }
      values.push_back(item.as_int());
    }
  } else {
    RaiseNotModelled("a `" + name + "` that is not an int, list or tuple");
  }
  std::vector<int64_t> bad;
  for (int64_t v : values) {
    if ((allow_zero ? v < 0 : v <= 0) &&
        std::find(bad.begin(), bad.end(), v) == bad.end()) {
      bad.push_back(v);
    }
  }
  if (bad.empty()) return values;
  // A Python set of one int prints as {v}; several would print in hash
  // order, which the playground does not reproduce.
  if (bad.size() > 1) {
    RaiseNotModelled("several distinct invalid values in `" + name + "`");
  }
  const std::string set = "{" + std::to_string(bad[0]) + "}";
  const char* req = allow_zero ? ">= 0" : "> 0";
  RaiseValueError(k3 ? prefix + ", including values " + set +
                           " that do not satisfy `value " + req + "`"
                     : prefix + " including " + set +
                           " that does not satisfy the requirement `" + req +
                           "`.");
}

namespace {

// The activations each framework knows (keras.activations), so that an
// unknown name gets Keras' error and a known one the playground lacks is
// refused.
bool KerasKnowsActivation(Profile profile, const std::string& name) {
  static const char* const kKeras3[] = {"celu",         "elu",
                                        "exponential",  "gelu",
                                        "glu",          "hard_shrink",
                                        "hard_sigmoid", "hard_silu",
                                        "hard_swish",   "hard_tanh",
                                        "leaky_relu",   "linear",
                                        "log_sigmoid",  "log_softmax",
                                        "mish",         "relu",
                                        "relu6",        "selu",
                                        "sigmoid",      "silu",
                                        "soft_shrink",  "softmax",
                                        "softplus",     "softsign",
                                        "sparse_plus",  "sparse_sigmoid",
                                        "sparsemax",    "squareplus",
                                        "swish",        "tanh",
                                        "tanh_shrink",  "threshold"};
  static const char* const kTfKeras[] = {
      "elu",      "exponential", "gelu",  "hard_sigmoid", "linear",
      "mish",     "relu",        "selu",  "sigmoid",      "softmax",
      "softplus", "softsign",    "swish", "tanh"};
  if (profile == Profile::kKeras3) {
    return std::find(std::begin(kKeras3), std::end(kKeras3), name) !=
           std::end(kKeras3);
  }
  return std::find(std::begin(kTfKeras), std::end(kTfKeras), name) !=
         std::end(kTfKeras);
}

}  // namespace

std::string ActivationName(Profile profile, const Value& identifier) {
  if (identifier.is_none()) return "";
  if (identifier.kind() != Value::Kind::kStr) {
    RaiseNotModelled("an activation that is not a name (a string)");
  }
  const std::string& name = identifier.as_str();
  if (!KerasKnowsActivation(profile, name)) {
    RaiseValueError(profile == Profile::kKeras3
                        ? "Could not interpret activation function "
                          "identifier: " +
                              name
                        : "Unknown activation function '" + name +
                              "' cannot be deserialized.");
  }
  static const char* const kComputed[] = {"linear",  "relu",    "tanh",
                                          "sigmoid", "softmax", "swish",
                                          "silu",    "gelu",    "exponential"};
  if (std::find(std::begin(kComputed), std::end(kComputed), name) ==
      std::end(kComputed)) {
    RaiseNotModelled("the activation '" + name +
                     "' (modelled: linear, relu, tanh, sigmoid, softmax, "
                     "swish, silu, gelu, exponential)");
  }
  return name == "linear" ? "" : name;
}

Tensor ApplyActivation(Profile profile, const std::string& name,
                       const Tensor& x) {
  if (name.empty()) return x;
  if (name == "relu") return ops::Unary(ops::UnaryOp::kRelu, x);
  if (x.dtype() != DType::kFloat32) {
    RaiseNotModelled("the activation '" + name + "' on a " +
                     std::string(DTypeName(x.dtype())) + " tensor");
  }
  if (name == "tanh") return ops::Unary(ops::UnaryOp::kTanh, x);
  if (name == "sigmoid") return ops::Unary(ops::UnaryOp::kSigmoid, x);
  if (name == "exponential") return ops::Unary(ops::UnaryOp::kExp, x);
  if (name == "gelu") {
    // The exact gelu both frameworks default to (tf.nn.gelu,
    // approximate=False, tensorflow/python/ops/nn_ops.py, TF 2.21):
    // 0.5 * x * erfc(-x * 0.7071067811865475).
    const Tensor erfc = ops::Unary(
        ops::UnaryOp::kErfc,
        ops::Binary(ops::BinaryOp::kMul, ops::Unary(ops::UnaryOp::kNeg, x),
                    Tensor::ScalarF32(0.7071067811865475f)));
    return ops::Binary(
        ops::BinaryOp::kMul,
        ops::Binary(ops::BinaryOp::kMul, Tensor::ScalarF32(0.5f), x), erfc);
  }
  if (name == "swish" || name == "silu") {
    return ops::Binary(ops::BinaryOp::kMul, x,
                       ops::Unary(ops::UnaryOp::kSigmoid, x));
  }
  // softmax over the last axis. tf_keras' backend.softmax refuses rank 1
  // (tf_keras/src/backend.py, 2.21); Keras 3 normalises it.
  if (profile == Profile::kTfKeras && x.rank() <= 1) {
    RaiseValueError(
        "Cannot apply softmax to a tensor that is 1D. Received input: " +
        NumpyStr(x));
  }
  if (x.rank() == 0) RaiseNotModelled("softmax of a scalar");
  return ops::Softmax(x, -1);
}

}  // namespace ap::keras
