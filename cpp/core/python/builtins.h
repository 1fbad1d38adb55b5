// Python's builtin functions and types (print, len, range, int, isinstance,
// ...) and the attributes of plain values (str/list/dict/tuple/TensorShape
// methods). String formatting is format.h.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "../call_args.h"
#include "../callable.h"
#include "../run_context.h"
#include "../value.h"

namespace ap::py {

// A type as a value: callable (int("3")), usable with isinstance and
// type(x) == int, with __name__.
class TypeObject : public Callable {
 public:
  using Predicate = std::function<bool(const Value&)>;
  using Constructor = std::function<Value(RunContext&, const CallArgs&)>;
  TypeObject(std::string name, Predicate is_instance, Constructor construct)
      : name_(std::move(name)),
        is_instance_(std::move(is_instance)),
        construct_(std::move(construct)) {}
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override {
    return "<class '" + (module_.empty() ? "" : module_ + ".") + name_ + "'>";
  }
  // Where Python says the class lives ("tensorflow.python.framework.ops").
  void set_module(std::string module) { module_ = std::move(module); }
  std::optional<Value> GetAttr(std::string_view name) const override;
  Value Call(RunContext& ctx, const CallArgs& args) override;
  bool IsInstance(const Value& v) const {
    return is_instance_ && is_instance_(v);
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  Predicate is_instance_;
  Constructor construct_;
  std::string module_;
};

// A type value for the API surface, e.g. tf.Tensor:
// MakeTypeObject("Tensor", [](const Value& v) { return v.is_tensor(); }).
Value MakeTypeObject(std::string name, TypeObject::Predicate is_instance);

// A builtin name (print, len, int, ValueError, ...), or null. The values
// are built once per process and never change.
const Value* FindBuiltin(std::string_view name);

// Attributes and bound methods of plain values (str, list, dict, tuple,
// TensorShape, DType, int, float). nullopt: no such attribute.
std::optional<Value> PlainAttribute(const Value& v, std::string_view name);

// type(x).
Value TypeOf(const Value& v);

}  // namespace ap::py
