#include "classes.h"

#include <cstdio>

#include "../error.h"
#include "runtime.h"
#include "text.h"

namespace ap::py {

namespace {

using VK = Value::Kind;

bool IsFunction(const Value& v) {
  return v.kind() == VK::kObject && v.as_object() &&
         v.as_object()->TypeName() == "function";
}

template <typename T>
const T* As(const Value& v) {
  if (v.kind() != VK::kObject) return nullptr;
  return dynamic_cast<const T*>(v.as_object().get());
}

RunContext& ContextOf(const RunHandle& run) {
  if (!run.Alive()) RaiseText(ErrorClass::kRuntimeError, "run finished");
  return *run.ctx;
}

Value CallWith(RunContext& ctx, const Value& fn, const CallArgs& args) {
  return RuntimeOf(ctx).CallValue(fn, args);
}

Value CallWith(RunContext& ctx, const Value& fn, const ValueList& positional) {
  CallArgs args;
  args.positional = positional;
  return CallWith(ctx, fn, args);
}

// What a NativeFunction is bound to.
struct NativeBinding {
  Value a, b;
  bool flag = false;
};

// A Callable from a plain C++ function and what it is bound to, for the
// small callables below (a function pointer rather than a std::function:
// no wrapper class, vtable and type name per callable in the engine).
class NativeFunction : public Callable {
 public:
  using Fn = Value (*)(RunContext&, const CallArgs&, const NativeBinding&);
  NativeFunction(std::string type_name, NativeBinding binding, Fn fn)
      : type_name_(std::move(type_name)),
        binding_(std::move(binding)),
        fn_(fn) {}
  std::string TypeName() const override { return type_name_; }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    return fn_(ctx, args, binding_);
  }

 private:
  std::string type_name_;
  NativeBinding binding_;
  Fn fn_;
};

Value MakeNative(std::string type_name, NativeBinding binding,
                 NativeFunction::Fn fn) {
  return Value::FromObject(std::make_shared<NativeFunction>(
      std::move(type_name), std::move(binding), fn));
}

// A function bound to its instance (or class, for a classmethod).
class BoundMethodObject : public Callable {
 public:
  BoundMethodObject(Value self, Value fn)
      : self_(std::move(self)), fn_(std::move(fn)) {}
  std::string TypeName() const override { return "method"; }
  std::string Repr() const override {
    return "<bound method " + QualifiedNameOf(fn_) + " of " +
           self_.as_object()->Repr() + ">";
  }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "__self__") return self_;
    if (name == "__func__") return fn_;
    return fn_.as_object()->GetAttr(name);
  }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    CallArgs with_self = args;
    with_self.positional.insert(with_self.positional.begin(), self_);
    if (!with_self.positional_sources.empty()) {
      with_self.positional_sources.insert(with_self.positional_sources.begin(),
                                          "");
    }
    if (!with_self.positional_item_sources.empty()) {
      with_self.positional_item_sources.insert(
          with_self.positional_item_sources.begin(), {});
    }
    return CallWith(ctx, fn_, with_self);
  }

 private:
  Value self_, fn_;
};

Value Bind(const Value& self, const Value& fn) {
  return Value::FromObject(std::make_shared<BoundMethodObject>(self, fn));
}

class StaticMethodObject : public Callable {
 public:
  explicit StaticMethodObject(Value fn) : fn_(std::move(fn)) {}
  std::string TypeName() const override { return "staticmethod"; }
  std::string Repr() const override {
    return "<staticmethod(" + fn_.as_object()->Repr() + ")>";
  }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "__func__") return fn_;
    return std::nullopt;
  }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    return CallWith(ctx, fn_, args);
  }
  const Value& fn() const { return fn_; }

 private:
  Value fn_;
};

class ClassMethodObject : public Object {
 public:
  explicit ClassMethodObject(Value fn) : fn_(std::move(fn)) {}
  std::string TypeName() const override { return "classmethod"; }
  std::string Repr() const override {
    return "<classmethod(" + fn_.as_object()->Repr() + ")>";
  }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "__func__") return fn_;
    return std::nullopt;
  }
  const Value& fn() const { return fn_; }

 private:
  Value fn_;
};

class PropertyObject : public Object {
 public:
  PropertyObject(Value fget, Value fset)
      : fget_(std::move(fget)), fset_(std::move(fset)) {}
  std::string TypeName() const override { return "property"; }
  std::string Repr() const override { return "<property object>"; }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "fget") return fget_;
    if (name == "fset") return fset_;
    if (name == "setter" || name == "getter") {
      return MakeNative(
          "builtin_function_or_method", {fget_, fset_, name == "setter"},
          +[](RunContext&, const CallArgs& a, const NativeBinding& b) {
            const bool setter = b.flag;
            if (a.positional.size() != 1 || !a.keywords.empty())
              RaiseTypeError(std::string(setter ? "setter" : "getter") +
                             "() takes exactly one argument (" +
                             std::to_string(a.positional.size()) + " given)");
            return setter ? MakeProperty(b.a, a.positional[0])
                          : MakeProperty(a.positional[0], b.b);
          });
    }
    return std::nullopt;
  }
  const Value& fget() const { return fget_; }
  const Value& fset() const { return fset_; }

 private:
  Value fget_, fset_;
};

// How a raw class attribute reads through an instance (`instance` set) or
// through the class: functions bind, static and class methods unwrap.
Value BindAttribute(const Value& raw, const Value* instance,
                    const Value& owner) {
  if (IsFunction(raw)) return instance ? Bind(*instance, raw) : raw;
  if (const auto* s = As<StaticMethodObject>(raw)) return s->fn();
  if (const auto* c = As<ClassMethodObject>(raw)) return Bind(owner, c->fn());
  return raw;
}

bool SameClass(const Value& a, const Value& b) {
  if (a.identity() && a.identity() == b.identity()) return true;
  // The framework may hand out a fresh type object per attribute read.
  return a.kind() == VK::kObject && b.kind() == VK::kObject && !AsClass(a) &&
         !AsClass(b) && a.as_object()->TypeName() == "type" &&
         b.as_object()->TypeName() == "type" &&
         a.as_object()->Repr() == b.as_object()->Repr();
}

bool IsObjectType(const Value& v) {
  return v.kind() == VK::kObject && v.as_object()->TypeName() == "type" &&
         v.as_object()->Repr() == "<class 'object'>";
}

// The native type's __init__, bound to an instance.
Value NativeInit(const Value& self) {
  return MakeNative(
      "method-wrapper", {self, Value(), false},
      +[](RunContext& ctx, const CallArgs& args, const NativeBinding& b) {
        const InstanceObject* inst = AsInstance(b.a);
        inst->native_part()->Init(b.a, args, ctx);
        return Value::None();
      });
}

// object.__init__, bound to an instance.
Value ObjectInit(const Value& self) {
  return MakeNative(
      "method-wrapper", {self, Value(), false},
      +[](RunContext&, const CallArgs& args, const NativeBinding& b) {
        if (!args.positional.empty() || !args.keywords.empty()) {
          const InstanceObject* inst = AsInstance(b.a);
          if (inst && !inst->cls()->LookupRaw("__init__")) {
            RaiseTypeError(inst->cls()->name() + "() takes no arguments");
          }
          RaiseTypeError(
              "object.__init__() takes exactly one argument (the instance "
              "to initialize)");
        }
        return Value::None();
      });
}

class SuperObject : public Object {
 public:
  SuperObject(std::shared_ptr<const ClassObject> start, Value obj)
      : start_(std::move(start)), obj_(std::move(obj)) {}
  std::string TypeName() const override { return "super"; }
  std::string Repr() const override {
    return "<super: <class '" + start_->name() + "'>, <" + obj_.TypeName() +
           " object>>";
  }
  std::optional<Value> GetAttr(std::string_view name) const override {
    const InstanceObject* inst = AsInstance(obj_);
    const ClassObject* type = inst ? inst->cls().get() : AsClass(obj_);
    const std::vector<MroEntry>& mro = type->mro();
    size_t i = 0;
    while (i < mro.size() && mro[i].program != start_.get()) ++i;
    for (++i; i < mro.size(); ++i) {
      const MroEntry& e = mro[i];
      if (e.program) {
        const Value* raw = e.program->dict().Find(name);
        if (!raw) continue;
        if (const auto* p = As<PropertyObject>(*raw); p && inst) {
          return CallWith(ContextOf(type->run()), p->fget(), {obj_});
        }
        const Value owner = inst ? Value::FromObject(inst->cls()) : obj_;
        return BindAttribute(*raw, inst ? &obj_ : nullptr, owner);
      }
      if (e.native && inst && inst->native_part()) {
        if (name == "__init__") return NativeInit(obj_);
        return inst->native_part()->GetAttr(obj_, name, ContextOf(type->run()));
      }
    }
    if (name == "__init__" && inst) return ObjectInit(obj_);
    return std::nullopt;
  }

 private:
  std::shared_ptr<const ClassObject> start_;
  Value obj_;
};

std::string NamesOf(const std::vector<std::vector<MroEntry>>& seqs) {
  std::vector<const void*> seen;
  std::string out;
  for (const auto& seq : seqs) {
    if (seq.empty()) continue;
    const void* id = seq[0].cls.identity();
    bool dup = false;
    for (const void* s : seen) dup = dup || s == id;
    if (dup) continue;
    seen.push_back(id);
    if (!out.empty()) out += ", ";
    out += seq[0].program ? seq[0].program->name() : seq[0].native->Name();
  }
  return out;
}

// C3 linearisation of the bases' MROs (Python's method resolution order).
std::vector<MroEntry> MergeMro(const std::vector<MroEntry>& bases) {
  std::vector<std::vector<MroEntry>> seqs;
  for (const MroEntry& b : bases) {
    seqs.push_back(b.program ? b.program->mro() : std::vector<MroEntry>{b});
  }
  seqs.push_back(bases);
  auto same = [](const MroEntry& a, const MroEntry& b) {
    return a.cls.identity() == b.cls.identity();
  };
  std::vector<MroEntry> out;
  while (true) {
    bool any = false;
    for (const auto& s : seqs) any = any || !s.empty();
    if (!any) return out;
    const MroEntry* pick = nullptr;
    for (const auto& s : seqs) {
      if (s.empty()) continue;
      bool in_tail = false;
      for (const auto& t : seqs) {
        for (size_t k = 1; k < t.size() && !in_tail; ++k) {
          in_tail = same(t[k], s[0]);
        }
      }
      if (!in_tail) {
        pick = &s[0];
        break;
      }
    }
    if (!pick) {
      RaiseTypeError(
          "Cannot create a consistent method resolution\norder (MRO) for "
          "bases " +
          NamesOf(seqs));
    }
    const MroEntry chosen = *pick;
    out.push_back(chosen);
    for (auto& s : seqs) {
      if (!s.empty() && same(s[0], chosen)) s.erase(s.begin());
    }
  }
}

}  // namespace

RunHandle RunHandle::Of(RunContext& ctx) {
  return RunHandle{&ctx, RuntimeOf(ctx).AliveFlag()};
}

std::string AddressText(uint64_t address) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx",
                static_cast<unsigned long long>(address));
  return buf;
}

// ------------------------------------------------------------ AttributeDict

const Value* AttributeDict::Find(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : &slots_[it->second].value;
}

void AttributeDict::Set(const std::string& name, Value value) {
  auto it = index_.find(name);
  if (it != index_.end()) {
    slots_[it->second].value = std::move(value);
    return;
  }
  index_[name] = slots_.size();
  slots_.push_back(Slot{name, std::move(value), true});
}

bool AttributeDict::Erase(std::string_view name) {
  auto it = index_.find(std::string(name));
  if (it == index_.end()) return false;
  Slot& slot = slots_[it->second];
  slot.live = false;
  slot.value = Value();
  index_.erase(it);
  // Compact once half the slots are dead: amortised O(1) per erase.
  if (++erased_ * 2 > slots_.size()) {
    std::vector<Slot> live;
    for (Slot& s : slots_) {
      if (s.live) live.push_back(std::move(s));
    }
    slots_ = std::move(live);
    index_.clear();
    for (size_t i = 0; i < slots_.size(); ++i) index_[slots_[i].name] = i;
    erased_ = 0;
  }
  return true;
}

AttributeList AttributeDict::items() const {
  AttributeList out;
  for (const Slot& s : slots_) {
    if (s.live) out.emplace_back(s.name, s.value);
  }
  return out;
}

// ------------------------------------------------------------ ClassObject

std::shared_ptr<ClassObject> ClassObject::Create(RunContext& ctx,
                                                 std::string name,
                                                 std::string qualname,
                                                 std::vector<MroEntry> bases,
                                                 AttributeList attributes) {
  for (size_t i = 0; i < bases.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (bases[i].cls.identity() == bases[j].cls.identity()) {
        RaiseTypeError("duplicate base class " +
                       (bases[i].program ? bases[i].program->name()
                                         : bases[i].native->Name()));
      }
    }
  }
  // C3 costs the square of the hierarchy's size: charge it, and keep
  // hierarchies to a size real programs never reach.
  constexpr size_t kMaxMro = 200;
  size_t total = bases.size();
  for (const MroEntry& b : bases)
    total += b.program ? b.program->mro().size() : 1;
  if (total > kMaxMro) {
    RaiseText(ErrorClass::kLimitError,
              "class hierarchy too deep: class " + name +
                  " would have more "
                  "than " +
                  std::to_string(kMaxMro) + " classes in its MRO");
  }
  RuntimeOf(ctx).ChargeWork(static_cast<int64_t>(total * total));
  std::shared_ptr<ClassObject> cls(new ClassObject());
  cls->name_ = std::move(name);
  cls->qualname_ = std::move(qualname);
  std::vector<MroEntry> rest = MergeMro(bases);
  int natives = 0;
  for (const MroEntry& e : rest) natives += e.native ? 1 : 0;
  if (natives > 1) {
    RaiseText(ErrorClass::kNotSupportedError,
              "class " + cls->name_ +
                  " derives from two framework types; the playground models "
                  "one");
  }
  cls->bases_ = std::move(bases);
  MroEntry self;
  self.cls = Value::FromObject(cls);
  self.program = cls.get();
  cls->mro_.push_back(self);
  cls->mro_.insert(cls->mro_.end(), rest.begin(), rest.end());
  for (auto& [n, v] : attributes) cls->dict_.Set(n, std::move(v));
  cls->run_ = RunHandle::Of(ctx);
  cls->address_ = RuntimeOf(ctx).NewObjectAddress();
  std::weak_ptr<ClassObject> weak = cls;
  RuntimeOf(ctx).AtRunEnd([weak] {
    if (auto c = weak.lock()) {
      c->dict_.Clear();
      c->mro_.clear();  // holds the class itself
      c->bases_.clear();
    }
  });
  return cls;
}

std::string ClassObject::Repr() const {
  return "<class '__main__." + qualname_ + "'>";
}

const NativeBase* ClassObject::native_base() const {
  for (const MroEntry& e : mro_) {
    if (e.native) return e.native;
  }
  return nullptr;
}

std::optional<Value> ClassObject::LookupRaw(std::string_view name,
                                            size_t start) const {
  for (size_t i = start; i < mro_.size(); ++i) {
    if (!mro_[i].program) continue;
    if (const Value* v = mro_[i].program->dict().Find(name)) return *v;
  }
  return std::nullopt;
}

bool ClassObject::IsSubclassOf(const Value& other) const {
  if (IsObjectType(other)) return true;
  for (const MroEntry& e : mro_) {
    if (SameClass(e.cls, other)) return true;
  }
  return false;
}

std::optional<Value> ClassObject::GetAttr(std::string_view name) const {
  if (name == "__name__") return Value::Str(name_);
  if (name == "__qualname__") return Value::Str(qualname_);
  if (name == "__module__") return Value::Str("__main__");
  if (name == "__bases__") {
    ValueList items;
    for (const MroEntry& b : bases_) items.push_back(b.cls);
    return Value::Tuple(std::move(items));
  }
  if (name == "__doc__") {  // not inherited
    const Value* doc = dict_.Find(name);
    return doc ? *doc : Value::None();
  }
  std::optional<Value> raw = LookupRaw(name);
  const Value owner = Value::FromObject(
      std::const_pointer_cast<ClassObject>(shared_from_this()));
  if (!raw) {
    const NativeBase* native = native_base();
    return native ? native->ClassAttr(owner, name) : std::nullopt;
  }
  return BindAttribute(*raw, nullptr, owner);
}

Value ClassObject::Call(RunContext& ctx, const CallArgs& args) {
  auto inst = std::make_shared<InstanceObject>(
      shared_from_this(), RuntimeOf(ctx).NewObjectAddress());
  std::weak_ptr<InstanceObject> weak = inst;
  RuntimeOf(ctx).AtRunEnd([weak] {
    if (auto i = weak.lock()) i->Release();
  });
  const Value self = Value::FromObject(inst);
  if (const NativeBase* native = native_base()) {
    inst->set_native_part(native->NewPart(name_, ctx));
  }
  // The first __init__ in the MRO: a program class's, the native type's, or
  // object's.
  for (const MroEntry& e : mro_) {
    if (e.program) {
      const Value* init = e.program->dict().Find("__init__");
      if (!init) continue;
      Value r = CallWith(ctx, BindAttribute(*init, &self, mro_[0].cls), args);
      if (!r.is_none()) {
        RaiseTypeError("__init__() should return None, not '" + r.TypeName() +
                       "'");
      }
      return self;
    }
    if (e.native) {
      inst->native_part()->Init(self, args, ctx);
      return self;
    }
  }
  if (!args.positional.empty() || !args.keywords.empty()) {
    RaiseTypeError(name_ + "() takes no arguments");
  }
  return self;
}

// ------------------------------------------------------------ InstanceObject

std::string InstanceObject::Repr() const {
  const Value me = self();
  if (cls_->run().Alive()) {
    RunContext& ctx = *cls_->run().ctx;
    if (std::optional<Value> r = CallSpecialMethod(ctx, me, "__repr__", {})) {
      if (r->kind() != VK::kStr) {
        RaiseTypeError("__repr__ returned non-string (type " + r->TypeName() +
                       ")");
      }
      return r->as_str();
    }
  }
  if (native_) {
    if (std::optional<std::string> r = native_->Repr(me)) return *r;
  }
  return "<__main__." + cls_->qualname() + " object at " +
         AddressText(address_) + ">";
}

std::string InstanceObject::Str() const {
  if (cls_->run().Alive()) {
    RunContext& ctx = *cls_->run().ctx;
    if (std::optional<Value> r =
            CallSpecialMethod(ctx, self(), "__str__", {})) {
      if (r->kind() != VK::kStr) {
        RaiseTypeError("__str__ returned non-string (type " + r->TypeName() +
                       ")");
      }
      return r->as_str();
    }
  }
  return Repr();
}

std::optional<Value> InstanceObject::GetAttr(std::string_view name) const {
  return LookupAttribute(self(), name);
}

bool InstanceObject::Truth() const {
  if (!cls_->run().Alive()) return true;
  RunContext& ctx = *cls_->run().ctx;
  if (std::optional<Value> r = CallSpecialMethod(ctx, self(), "__bool__", {})) {
    if (r->kind() != VK::kBool) {
      RaiseTypeError("__bool__ should return bool, returned " + r->TypeName());
    }
    return r->as_bool();
  }
  if (std::optional<Value> n = CallSpecialMethod(ctx, self(), "__len__", {})) {
    if (n->kind() != VK::kInt && n->kind() != VK::kBool) {
      RaiseTypeError("'" + n->TypeName() +
                     "' object cannot be interpreted as an integer");
    }
    if (n->as_int() < 0) RaiseValueError("__len__() should return >= 0");
    return n->as_int() != 0;
  }
  return true;
}

Value InstanceObject::Call(RunContext& ctx, const CallArgs& args) {
  const Value me = self();
  if (std::optional<Value> fn = cls_->LookupRaw("__call__")) {
    return CallWith(ctx, BindAttribute(*fn, &me, cls_->mro()[0].cls), args);
  }
  if (native_) {
    if (std::optional<Value> r = native_->Call(me, args, ctx)) return *r;
  }
  RaiseTypeError("'" + cls_->name() + "' object is not callable");
}

// ------------------------------------------------------------ lookups

const ClassObject* AsClass(const Value& v) { return As<ClassObject>(v); }
const InstanceObject* AsInstance(const Value& v) {
  return As<InstanceObject>(v);
}

namespace {

std::optional<Value> InstanceLookup(const Value& obj, std::string_view name,
                                    bool with_native) {
  const InstanceObject* inst = AsInstance(obj);
  const ClassObject& cls = *inst->cls();
  const Value owner = Value::FromObject(inst->cls());
  if (name == "__class__") return owner;
  if (name == "__dict__") {
    DictItems items;
    for (const auto& [n, v] : inst->dict().items()) {
      items.emplace_back(Value::Str(n), v);
    }
    return Value::Dict(std::move(items));
  }
  std::optional<Value> raw = cls.LookupRaw(name);
  if (raw) {
    if (const auto* p = As<PropertyObject>(*raw)) {
      if (p->fget().is_none()) {
        RaiseText(ErrorClass::kAttributeError,
                  "property '" + std::string(name) + "' of '" + cls.name() +
                      "' object has no getter");
      }
      return CallWith(ContextOf(cls.run()), p->fget(), ValueList{obj});
    }
  }
  if (const Value* v = inst->dict().Find(name)) return *v;
  if (raw) return BindAttribute(*raw, &obj, owner);
  if (!with_native) return std::nullopt;
  if (std::optional<Value> getattr = cls.LookupRaw("__getattr__")) {
    return CallWith(ContextOf(cls.run()), BindAttribute(*getattr, &obj, owner),
                    ValueList{Value::Str(std::string(name))});
  }
  if (inst->native_part()) {
    return inst->native_part()->GetAttr(obj, name, ContextOf(cls.run()));
  }
  return std::nullopt;
}

}  // namespace

std::optional<Value> LookupAttribute(const Value& obj, std::string_view name) {
  if (AsInstance(obj)) return InstanceLookup(obj, name, true);
  if (obj.kind() == VK::kObject) return obj.as_object()->GetAttr(name);
  return std::nullopt;
}

std::optional<Value> FindProgramAttribute(const Value& obj,
                                          std::string_view name) {
  if (AsInstance(obj)) return InstanceLookup(obj, name, false);
  if (const ClassObject* c = AsClass(obj)) return c->GetAttr(name);
  return std::nullopt;
}

std::string NoAttributeText(const Value& obj, std::string_view name) {
  if (const ClassObject* c = AsClass(obj)) {
    return "type object '" + c->name() + "' has no attribute '" +
           std::string(name) + "'";
  }
  return "'" + obj.TypeName() + "' object has no attribute '" +
         std::string(name) + "'";
}

void SetAttribute(RunContext& ctx, const Value& obj, const std::string& name,
                  const Value& value) {
  if (const InstanceObject* ci = AsInstance(obj)) {
    auto* inst = const_cast<InstanceObject*>(ci);
    const ClassObject& cls = *inst->cls();
    if (std::optional<Value> raw = cls.LookupRaw(name)) {
      if (const auto* p = As<PropertyObject>(*raw)) {
        if (p->fset().is_none()) {
          RaiseText(ErrorClass::kAttributeError, "property '" + name +
                                                     "' of '" + cls.name() +
                                                     "' object has no setter");
        }
        CallWith(ctx, p->fset(), ValueList{obj, value});
        return;
      }
    }
    if (inst->native_part() &&
        inst->native_part()->SetAttr(obj, name, value, ctx)) {
      return;
    }
    inst->dict().Set(name, value);
    return;
  }
  if (const ClassObject* c = AsClass(obj)) {
    const_cast<ClassObject*>(c)->dict().Set(name, value);
    return;
  }
  if (obj.kind() == VK::kObject || obj.is_tensor()) {
    RaiseText(ErrorClass::kNotSupportedError,
              "setting attributes of " +
                  (obj.is_tensor() ? std::string("tensors")
                                   : "'" + obj.TypeName() + "' objects") +
                  " is not supported by the playground");
  }
  RaiseText(ErrorClass::kAttributeError,
            "'" + obj.TypeName() + "' object has no attribute '" + name + "'");
}

void DeleteAttribute(RunContext&, const Value& obj, const std::string& name) {
  if (const InstanceObject* ci = AsInstance(obj)) {
    auto* inst = const_cast<InstanceObject*>(ci);
    if (std::optional<Value> raw = inst->cls()->LookupRaw(name)) {
      if (As<PropertyObject>(*raw)) {
        RaiseText(ErrorClass::kAttributeError, "property '" + name + "' of '" +
                                                   inst->cls()->name() +
                                                   "' object has no deleter");
      }
    }
    if (!inst->dict().Erase(name)) {
      RaiseText(ErrorClass::kAttributeError, NoAttributeText(obj, name));
    }
    return;
  }
  if (const ClassObject* c = AsClass(obj)) {
    if (!const_cast<ClassObject*>(c)->dict().Erase(name)) {
      RaiseText(ErrorClass::kAttributeError, NoAttributeText(obj, name));
    }
    return;
  }
  if (obj.kind() == VK::kObject || obj.is_tensor()) {
    RaiseText(ErrorClass::kNotSupportedError,
              "deleting attributes of '" + obj.TypeName() +
                  "' objects is not supported by the playground");
  }
  RaiseText(ErrorClass::kAttributeError,
            "'" + obj.TypeName() + "' object has no attribute '" + name + "'");
}

std::optional<Value> CallSpecialMethod(RunContext& ctx, const Value& obj,
                                       std::string_view name,
                                       const ValueList& args) {
  const InstanceObject* inst = AsInstance(obj);
  if (!inst) return std::nullopt;
  std::optional<Value> raw = inst->cls()->LookupRaw(name);
  if (!raw) return std::nullopt;
  return CallWith(ctx, BindAttribute(*raw, &obj, inst->cls()->mro()[0].cls),
                  args);
}

Value MakeSuper(const Value& type, const Value& obj) {
  const ClassObject* cls = AsClass(type);
  if (!cls) {
    if (type.kind() == VK::kObject && type.as_object()->TypeName() == "type") {
      RaiseText(ErrorClass::kNotSupportedError,
                "super() of the builtin type " + type.as_object()->Repr() +
                    " is not supported by the playground");
    }
    RaiseTypeError("super() argument 1 must be a type, not " + type.TypeName());
  }
  const InstanceObject* inst = AsInstance(obj);
  const ClassObject* obj_cls = inst ? inst->cls().get() : AsClass(obj);
  if (!obj_cls || !obj_cls->IsSubclassOf(type)) {
    RaiseTypeError(
        "super(type, obj): obj must be an instance or subtype of "
        "type");
  }
  return Value::FromObject(std::make_shared<SuperObject>(
      std::static_pointer_cast<const ClassObject>(
          std::const_pointer_cast<ClassObject>(cls->shared_from_this())),
      obj));
}

std::optional<bool> ProgramIsInstance(const Value& v, const Value& cls) {
  const InstanceObject* inst = AsInstance(v);
  if (AsClass(cls)) return inst && inst->cls()->IsSubclassOf(cls);
  if (inst && !IsObjectType(cls) && inst->cls()->IsSubclassOf(cls)) {
    return true;  // a native base
  }
  return std::nullopt;
}

std::optional<bool> ProgramIsSubclass(const Value& sub, const Value& cls) {
  if (const ClassObject* c = AsClass(sub)) return c->IsSubclassOf(cls);
  if (AsClass(cls)) return false;
  return std::nullopt;
}

Value MakeProperty(const Value& fget, const Value& fset) {
  return Value::FromObject(std::make_shared<PropertyObject>(fget, fset));
}
Value MakeStaticMethod(const Value& fn) {
  return Value::FromObject(std::make_shared<StaticMethodObject>(fn));
}
Value MakeClassMethod(const Value& fn) {
  return Value::FromObject(std::make_shared<ClassMethodObject>(fn));
}

std::string QualifiedNameOf(const Value& fn) {
  if (fn.kind() == VK::kObject) {
    if (std::optional<Value> q = fn.as_object()->GetAttr("__qualname__")) {
      if (q->kind() == VK::kStr) return q->as_str();
    }
    return fn.as_object()->Repr();
  }
  return fn.TypeName();
}

}  // namespace ap::py
