// Building blocks of the TensorFlow/Keras API surface: module objects with
// attributes, and functions implemented in C++ with a Python signature.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "../callable.h"

namespace ap::tf {

// `tf`, `tf.random`, `keras.layers`, ...: a named bag of attributes.
class Module : public Object {
 public:
  explicit Module(std::string name) : name_(std::move(name)) {}
  std::string TypeName() const override { return "module"; }
  std::string Repr() const override { return "<module '" + name_ + "'>"; }
  std::optional<Value> GetAttr(std::string_view name) const override;
  const std::string& name() const { return name_; }
  void Set(const std::string& attr, Value value) {
    attrs_[attr] = std::move(value);
  }
  // Unknown attributes of TF/Keras modules are real API the playground does
  // not model: raise NotSupportedError (never a catchable AttributeError,
  // which could turn into a silent wrong answer).
  void SetUnknownIsUnsupported(bool v) { unknown_is_unsupported_ = v; }
  void SetUnsupported(const std::string& attr, std::string reason) {
    unsupported_[attr] = std::move(reason);
  }
  // An attribute this version of the framework does not have: reading it
  // raises Python's AttributeError, as the real module does.
  void SetAbsent(const std::string& attr) { absent_.insert(attr); }
  // An attribute made on its first read: a submodule most programs never
  // touch (numpy, keras.ops, ...) is then not built at `import tensorflow`,
  // so its code stays out of the page's first verdict (and out of the
  // first load's .wasm: scripts/split-engine.mjs).
  using MakeAttr = Value (*)(Profile profile);
  void SetLazy(const std::string& attr, MakeAttr make, Profile profile) {
    lazy_[attr] = {make, profile};
  }

 private:
  std::string name_;
  mutable std::map<std::string, Value, std::less<>> attrs_;
  std::map<std::string, std::string, std::less<>> unsupported_;
  std::set<std::string, std::less<>> absent_;
  mutable std::map<std::string, std::pair<MakeAttr, Profile>, std::less<>>
      lazy_;
  bool unknown_is_unsupported_ = false;
};

// A function such as tf.matmul. Calls bind the Python signature (CPython's
// TypeErrors), run the body, and put an "op" event in the trace with the
// tensor arguments (role = parameter name) and the result.
class NativeFunction : public Callable {
 public:
  using Body = std::function<Value(RunContext&, const BoundArgs&)>;
  // A body with one integer of data (the op of tf.add, tf.exp, ...): a
  // plain function for a whole family instead of a capturing lambda (and
  // its std::function wrapper class) per family.
  using DataBody = Value (*)(RunContext&, const BoundArgs&, int64_t data);
  NativeFunction(std::string qualified_name, std::vector<Param> params,
                 Body body, bool traced = true)
      : qualified_name_(std::move(qualified_name)),
        params_(std::move(params)),
        body_(std::move(body)),
        traced_(traced) {}
  NativeFunction(std::string qualified_name, std::vector<Param> params,
                 DataBody body, int64_t data)
      : qualified_name_(std::move(qualified_name)),
        params_(std::move(params)),
        data_body_(body),
        data_(data),
        traced_(true) {}
  std::string TypeName() const override { return "function"; }
  std::string Repr() const override {
    return "<function " + qualified_name_ + ">";
  }
  Value Call(RunContext& ctx, const CallArgs& args) override;
  const std::string& qualified_name() const { return qualified_name_; }

 private:
  std::string qualified_name_;
  Value Invoke(RunContext& ctx, const BoundArgs& bound) {
    return data_body_ ? data_body_(ctx, bound, data_) : body_(ctx, bound);
  }

  std::vector<Param> params_;
  Body body_;
  DataBody data_body_ = nullptr;
  int64_t data_ = 0;
  bool traced_;
};

// What a TensorFlow function does with KerasTensor arguments: Keras'
// "A KerasTensor cannot be used as input to a TensorFlow function"
// ValueError (refused inside a call() Keras would trace in a graph).
void RejectKerasTensors(const RunContext& ctx,
                        const std::string& qualified_name,
                        const BoundArgs& bound);

// A class whose call constructs a layer/loss (layers.Attention, ...).
class LayerClass : public Callable,
                   public std::enable_shared_from_this<LayerClass> {
 public:
  using Factory =
      std::function<std::shared_ptr<Callable>(RunContext&, const CallArgs&)>;
  LayerClass(std::string qualified_name, Factory factory)
      : qualified_name_(std::move(qualified_name)),
        factory_(std::move(factory)) {}
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override {
    return "<class '" + qualified_name_ + "'>";
  }
  // Cls.__name__ / __qualname__: the class's own name; a layer class's
  // from_config.
  std::optional<Value> GetAttr(std::string_view name) const override;
  Value Call(RunContext& ctx, const CallArgs& args) override {
    return Value::FromObject(factory_(ctx, args));
  }

 private:
  std::string qualified_name_;
  Factory factory_;
};

}  // namespace ap::tf
