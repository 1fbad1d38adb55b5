// Classes a program defines, their instances, bound methods, super() and
// the descriptors property / staticmethod / classmethod, with CPython 3.11's
// attribute lookup (type's MRO, then the instance dict, data descriptors
// first) and error texts. A class may derive from one native type the
// framework declares subclassable (framework.h, NativeBase): its instances
// then carry a NativePart.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../call_args.h"
#include "../callable.h"
#include "../run_context.h"
#include "../value.h"
#include "framework.h"

namespace ap::py {

using AttributeList = std::vector<std::pair<std::string, Value>>;

// The run an object belongs to: user code it calls back (a __repr__) runs
// there while the run lives.
struct RunHandle {
  RunContext* ctx = nullptr;
  std::shared_ptr<bool> alive;
  bool Alive() const { return ctx && alive && *alive; }
  static RunHandle Of(RunContext& ctx);
};

// An attribute dict in insertion order, with hashed lookup (a program may
// set many attributes with setattr in a loop).
class AttributeDict {
 public:
  const Value* Find(std::string_view name) const;
  void Set(const std::string& name, Value value);
  bool Erase(std::string_view name);
  // The live attributes, in insertion order.
  AttributeList items() const;
  void Clear() {
    slots_.clear();
    index_.clear();
    erased_ = 0;
  }

 private:
  struct Slot {
    std::string name;
    Value value;
    bool live = true;
  };
  std::vector<Slot> slots_;
  std::unordered_map<std::string, size_t> index_;
  size_t erased_ = 0;
};

// One entry of a class's MRO: a program class, or the native type it
// derives from.
struct MroEntry {
  Value cls;                                   // the class value
  const class ClassObject* program = nullptr;  // set for a program class
  const NativeBase* native = nullptr;          // set for the native type
};

class ClassObject : public Callable,
                    public std::enable_shared_from_this<ClassObject> {
 public:
  // Computes the MRO (C3) from `bases` (program classes and native types
  // with their NativeBase, in order); TypeError as CPython for a duplicate
  // base or no consistent order.
  static std::shared_ptr<ClassObject> Create(RunContext& ctx, std::string name,
                                             std::string qualname,
                                             std::vector<MroEntry> bases,
                                             AttributeList attributes);

  std::string TypeName() const override { return "type"; }
  std::string Repr() const override;  // <class '__main__.Foo'>
  std::optional<Value> GetAttr(std::string_view name) const override;
  // Foo(...): a new instance, its native part, then __init__.
  Value Call(RunContext& ctx, const CallArgs& args) override;

  const std::string& name() const { return name_; }
  const std::string& qualname() const { return qualname_; }
  // This class first, then its bases in C3 order (object left out).
  const std::vector<MroEntry>& mro() const { return mro_; }
  const std::vector<MroEntry>& bases() const { return bases_; }
  AttributeDict& dict() { return dict_; }
  const AttributeDict& dict() const { return dict_; }
  // The native type in the MRO, or null.
  const NativeBase* native_base() const;
  // The raw attribute (no binding) from the first program class in the MRO
  // that has it, starting at mro()[start].
  std::optional<Value> LookupRaw(std::string_view name, size_t start = 0) const;
  // Whether `other` (a class value) is this class or in its MRO.
  bool IsSubclassOf(const Value& other) const;
  uint64_t address() const { return address_; }
  const RunHandle& run() const { return run_; }

 private:
  ClassObject() = default;
  std::string name_, qualname_;
  std::vector<MroEntry> bases_, mro_;
  AttributeDict dict_;
  RunHandle run_;
  uint64_t address_ = 0;
};

class InstanceObject : public Callable,
                       public std::enable_shared_from_this<InstanceObject> {
 public:
  InstanceObject(std::shared_ptr<ClassObject> cls, uint64_t address)
      : cls_(std::move(cls)), address_(address) {}
  std::string TypeName() const override { return cls_->name(); }
  // __repr__, else the native part's, else <__main__.Foo object at 0x...>.
  std::string Repr() const override;
  std::string Str() const override;  // __str__, else Repr()
  std::optional<Value> GetAttr(std::string_view name) const override;
  bool Truth() const override;  // __bool__, else __len__ != 0
  // __call__, else the native part's call, else TypeError.
  Value Call(RunContext& ctx, const CallArgs& args) override;

  const std::shared_ptr<ClassObject>& cls() const { return cls_; }
  AttributeDict& dict() { return dict_; }
  const AttributeDict& dict() const { return dict_; }
  // The framework's part of an instance of a class deriving from a native
  // type (null otherwise).
  const std::shared_ptr<NativePart>& native_part() const { return native_; }
  void set_native_part(std::shared_ptr<NativePart> part) {
    native_ = std::move(part);
  }
  Value self() const {
    return Value::FromObject(
        std::const_pointer_cast<InstanceObject>(shared_from_this()));
  }
  uint64_t address() const { return address_; }
  // Drops the attributes (the end of the run). The native part stays: it
  // holds no reference back to its instance (framework.h), and the run's
  // result still describes it (a layer's class and name).
  void Release() { dict_.Clear(); }

 private:
  std::shared_ptr<ClassObject> cls_;
  AttributeDict dict_;
  std::shared_ptr<NativePart> native_;
  uint64_t address_;
};

// A class or instance value as that C++ type, or null.
const ClassObject* AsClass(const Value& v);
const InstanceObject* AsInstance(const Value& v);

// `obj.name` for a program instance or class, with the native part last;
// nullopt: AttributeError (the caller raises it: NoAttributeText).
std::optional<Value> LookupAttribute(const Value& obj, std::string_view name);
// The same without the native part: what the program's classes and the
// instance dict define (a native part finds the program's `call` here).
std::optional<Value> FindProgramAttribute(const Value& obj,
                                          std::string_view name);
// CPython's AttributeError text for `obj.name`.
std::string NoAttributeText(const Value& obj, std::string_view name);

// `obj.name = value` / `del obj.name` for any value, with CPython's errors.
void SetAttribute(RunContext& ctx, const Value& obj, const std::string& name,
                  const Value& value);
void DeleteAttribute(RunContext& ctx, const Value& obj,
                     const std::string& name);

// A special method (__len__, __eq__, __enter__, ...) that a program class of
// `obj` defines, called with `args`; nullopt if `obj` is not a program
// instance or its class does not define it. As CPython, looked up on the
// type, not the instance dict.
std::optional<Value> CallSpecialMethod(RunContext& ctx, const Value& obj,
                                       std::string_view name,
                                       const ValueList& args);

// super(type, obj) with CPython's checks; the evaluator supplies both for
// the zero-argument form.
Value MakeSuper(const Value& type, const Value& obj);

// isinstance / issubclass for program classes and native bases; nullopt
// when `cls` is neither (the builtin then goes on with its own types).
std::optional<bool> ProgramIsInstance(const Value& v, const Value& cls);
std::optional<bool> ProgramIsSubclass(const Value& sub, const Value& cls);

// property(fget, fset), staticmethod(f), classmethod(f) as values.
Value MakeProperty(const Value& fget, const Value& fset);
Value MakeStaticMethod(const Value& fn);
Value MakeClassMethod(const Value& fn);

// A function value's __qualname__ ("Foo.bar", "<lambda>"), or its repr.
std::string QualifiedNameOf(const Value& fn);

// "0x7f..." as CPython prints an address.
std::string AddressText(uint64_t address);

}  // namespace ap::py
