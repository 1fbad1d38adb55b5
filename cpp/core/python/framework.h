// The seam between Python semantics and a tensor framework. The evaluator,
// builtins and object operations call a Framework for everything that
// involves a tensor or a framework module; tf/ implements it for
// TensorFlow/Keras (tf/tensorflow_framework.h), and another front end would
// be a second implementation. Reached through RunContext::framework.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "../call_args.h"
#include "../run_context.h"
#include "../value.h"

namespace ap::py {

struct Program;

// Classes a program derives from a native type (`class MyLayer(layers.Layer)`)
// ---------------------------------------------------------------------------
// An instance of such a class is a Python instance (its own attribute dict,
// its class's methods) with a native part the framework owns:
//  * the part is made when the instance is (NativeBase::NewPart, before any
//    __init__ runs) and initialised when the native type's __init__ runs:
//    `super().__init__(*args, **kwargs)` or `super(Cls, self).__init__(...)`
//    in the class's __init__, or the instance's own construction when no
//    class in the MRO defines __init__ (NativePart::Init);
//  * reading an attribute that neither the instance dict nor a program class
//    in the MRO has asks the part (NativePart::GetAttr), as does super()
//    once it passes the program's classes;
//  * every attribute write the class does not handle itself (a property)
//    goes to NativePart::SetAttr first, which may observe it (Keras tracks
//    layers assigned to self) and keeps it in the instance dict unless it
//    returns true;
//  * calling the instance without a __call__ in a program class calls
//    NativePart::Call, which calls the program's methods back through
//    py::LookupAttribute (classes.h) and Runtime::CallValue (a layer's
//    __call__ calling `self.call(...)` and `self.build(...)`).
// `self` is passed to every method rather than kept by the part, so the part
// does not keep its instance alive.
class NativePart {
 public:
  virtual ~NativePart() = default;
  // The native type's __init__ with the program's arguments (not `self`).
  virtual void Init(const Value& self, const CallArgs& args,
                    RunContext& ctx) = 0;
  // An attribute or method of the native part; nullopt: AttributeError.
  virtual std::optional<Value> GetAttr(const Value& self, std::string_view name,
                                       RunContext& ctx) {
    (void)self, (void)name, (void)ctx;
    return std::nullopt;
  }
  // `self.name = value`: true if the part stored it itself; false keeps it
  // in the instance dict (the part may have observed it).
  virtual bool SetAttr(const Value& self, std::string_view name,
                       const Value& value, RunContext& ctx) {
    (void)self, (void)name, (void)value, (void)ctx;
    return false;
  }
  // self(...) when no program class defines __call__; nullopt: the instance
  // is not callable (TypeError).
  virtual std::optional<Value> Call(const Value& self, const CallArgs& args,
                                    RunContext& ctx) {
    (void)self, (void)args, (void)ctx;
    return std::nullopt;
  }
  // repr(self) when no program class defines __repr__; nullopt: Python's
  // `<__main__.Cls object at 0x...>`.
  virtual std::optional<std::string> Repr(const Value& self) const {
    (void)self;
    return std::nullopt;
  }
};

// A native type a program class may derive from.
class NativeBase {
 public:
  virtual ~NativeBase() = default;
  // The type's name as Python spells it ("Layer"), for messages.
  virtual std::string Name() const = 0;
  // The native part of a new instance of the program class `class_name`
  // (not yet initialised: NativePart::Init comes with __init__).
  virtual std::shared_ptr<NativePart> NewPart(std::string_view class_name,
                                              RunContext& ctx) const = 0;
  // An attribute the type gives its program subclasses (`cls`) beyond the
  // class body: a classmethod such as Layer.from_config. nullopt for none.
  virtual std::optional<Value> ClassAttr(const Value& cls,
                                         std::string_view name) const {
    (void)cls;
    (void)name;
    return std::nullopt;
  }
};

class Framework {
 public:
  virtual ~Framework() = default;

  // Called once with the parsed program before it runs: the framework may
  // settle what the program's imports will mean (which Keras, say).
  virtual void Prepare(const Program& program, RunContext& ctx) const {
    (void)program, (void)ctx;
  }

  // `import tensorflow as tf`, `from tensorflow.keras import layers`, ...:
  // the module object for a dotted name, or nullopt if the playground does
  // not model it (the evaluator then raises NotSupportedError naming it).
  virtual std::optional<Value> ImportModule(std::string_view dotted_name,
                                            RunContext& ctx) const = 0;

  // The leading part of `dotted_name` that does not exist in the modelled
  // framework's version (the evaluator raises ModuleNotFoundError naming
  // it), or nullopt.
  virtual std::optional<std::string> AbsentModule(std::string_view dotted_name,
                                                  RunContext& ctx) const {
    (void)dotted_name, (void)ctx;
    return std::nullopt;
  }

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

  // A base in a class statement that is not a program class: the native
  // type it names if a program may derive from it, else null (the class
  // statement then raises NotSupportedError naming the type). The pointer
  // must stay valid for the run.
  virtual const NativeBase* SubclassableBase(const Value& base) const {
    (void)base;
    return nullptr;
  }
};

// The framework of the run `ctx` belongs to (set by the run driver).
const Framework& FrameworkOf(const RunContext& ctx);

}  // namespace ap::py
