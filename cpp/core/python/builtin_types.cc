// The builtin types as a static table: int, float, str, bool, list, tuple,
// dict, range, object, NoneType, type. Each is callable (int("3")), usable
// with isinstance and compared by name (type(x) == int).
#include <cmath>
#include <cstdlib>

#include "../error.h"
#include "builtin_support.h"
#include "builtins.h"
#include "classes.h"
#include "exceptions.h"
#include "native_array.h"
#include "numbers.h"
#include "object_ops.h"

namespace ap::py {

namespace {

using VK = Value::Kind;

struct BuiltinType {
  const char* name;
  bool (*is_instance)(const Value&);
  BuiltinFn construct;  // null: not callable
};

// Callable, and usable with isinstance / type(x) == T.
constexpr BuiltinType kTypes[] = {
    {"int",
     [](const Value& v) {
       return v.kind() == VK::kInt || v.kind() == VK::kBool;
     },
     [](RunContext&, const CallArgs& a) {
       OnlyKeywords("int", a, {"base"});
       if (a.positional.size() > 2)
         RaiseTypeError("int() takes at most 2 arguments (" +
                        std::to_string(a.positional.size()) + " given)");
       std::optional<Value> base = KeywordArg(a, "base");
       if (a.positional.size() == 2) base = a.positional[1];
       if (a.positional.empty()) return Value::Int(0);
       std::optional<int64_t> b;
       if (base) b = AsIndex(*base);
       if (b && (*b < 2 || *b > 36) && *b != 0)
         RaiseValueError("int() base must be >= 2 and <= 36, or 0");
       if (b && *b == 0) b = 10;
       return ToInt(a.positional[0], b);
     }},
    {"float", [](const Value& v) { return v.kind() == VK::kFloat; },
     [](RunContext&, const CallArgs& a) {
       ArgCount("float", a, 0, 1);
       return a.positional.empty() ? Value::Float(0) : ToFloat(a.positional[0]);
     }},
    {"str", [](const Value& v) { return v.kind() == VK::kStr; },
     [](RunContext&, const CallArgs& a) {
       ArgCount("str", a, 0, 1);
       return Value::Str(a.positional.empty() ? "" : PyStr(a.positional[0]));
     }},
    {"bool", [](const Value& v) { return v.kind() == VK::kBool; },
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("bool", a, 0, 1);
       return Value::Bool(!a.positional.empty() &&
                          IsTrue(ctx, a.positional[0]));
     }},
    {"list", [](const Value& v) { return v.kind() == VK::kList; },
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("list", a, 0, 1);
       return Value::List(a.positional.empty() ? ValueList{}
                                               : ToList(ctx, a.positional[0]));
     }},
    {"tuple", [](const Value& v) { return v.kind() == VK::kTuple; },
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("tuple", a, 0, 1);
       return Value::Tuple(a.positional.empty() ? ValueList{}
                                                : ToList(ctx, a.positional[0]));
     }},
    {"dict", [](const Value& v) { return v.kind() == VK::kDict; },
     [](RunContext& ctx, const CallArgs& a) {
       if (a.positional.size() > 1)
         RaiseTypeError("dict expected at most 1 argument, got " +
                        std::to_string(a.positional.size()));
       Value d = Value::Dict({});
       if (!a.positional.empty()) {
         const Value& src = a.positional[0];
         if (src.kind() == VK::kDict) {
           for (const auto& [k, v] : src.dict_items()) SetItem(ctx, d, k, v);
         } else {
           int64_t i = 0;
           for (const Value& item : ToList(ctx, src)) {
             ValueList pair;
             try {
               pair = ToList(ctx, item);
             } catch (const ErrorException&) {
               RaiseTypeError(
                   "cannot convert dictionary update sequence element #" +
                   std::to_string(i) + " to a sequence");
             }
             if (pair.size() != 2) {
               RaiseValueError("dictionary update sequence element #" +
                               std::to_string(i) + " has length " +
                               std::to_string(pair.size()) + "; 2 is required");
             }
             SetItem(ctx, d, pair[0], pair[1]);
             ++i;
           }
         }
       }
       for (const auto& [k, v] : a.keywords) SetItem(ctx, d, Value::Str(k), v);
       return d;
     }},
    {"range", [](const Value& v) { return v.TypeName() == "range"; },
     [](RunContext&, const CallArgs& a) {
       NoKeywords("range", a);
       const ValueList& p = a.positional;
       if (p.empty())
         RaiseTypeError("range expected at least 1 argument, got 0");
       if (p.size() > 3)
         RaiseTypeError("range expected at most 3 arguments, got " +
                        std::to_string(p.size()));
       int64_t start = 0, stop, step = 1;
       if (p.size() == 1) {
         stop = AsIndex(p[0]);
       } else {
         start = AsIndex(p[0]);
         stop = AsIndex(p[1]);
         if (p.size() == 3) step = AsIndex(p[2]);
       }
       if (step == 0) RaiseValueError("range() arg 3 must not be zero");
       return Value::FromObject(
           std::make_shared<RangeObject>(start, stop, step));
     }},
    {"object", [](const Value&) { return true; }, nullptr},
    {"NoneType", [](const Value& v) { return v.is_none(); }, nullptr},
    {"type",
     [](const Value& v) {
       return v.kind() == VK::kObject && v.as_object()->TypeName() == "type";
     },
     [](RunContext&, const CallArgs& a) {
       ArgCount("type", a, 1, 1);
       return TypeOf(a.positional[0]);
     }},

};

const BuiltinType* FindType(std::string_view name) {
  for (const BuiltinType& t : kTypes) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

}  // namespace

void AddBuiltinTypes(std::unordered_map<std::string_view, Value>& names) {
  for (const BuiltinType& t : kTypes) {
    if (std::string_view(t.name) == "NoneType") continue;
    TypeObject::Constructor construct;
    if (t.construct) construct = t.construct;
    names[t.name] = Value::FromObject(std::make_shared<TypeObject>(
        t.name, TypeObject::Predicate(t.is_instance), construct));
  }
}

std::optional<Value> TypeObject::GetAttr(std::string_view name) const {
  if (name == "__name__" || name == "__qualname__") return Value::Str(name_);
  return std::nullopt;
}

Value TypeObject::Call(RunContext& ctx, const CallArgs& args) {
  if (!construct_) RaiseTypeError("cannot create '" + name_ + "' instances");
  return construct_(ctx, args);
}

Value MakeTypeObject(std::string name, TypeObject::Predicate is_instance) {
  return Value::FromObject(std::make_shared<TypeObject>(
      std::move(name), std::move(is_instance), nullptr));
}

Value TypeOf(const Value& v) {
  if (const InstanceObject* inst = AsInstance(v)) {
    return Value::FromObject(inst->cls());
  }
  if (v.kind() == VK::kObject) {
    if (auto* e = dynamic_cast<const ExceptionObject*>(v.as_object().get())) {
      return Value::FromObject(
          std::const_pointer_cast<ExceptionClass>(e->cls().shared_from_this()));
    }
    if (dynamic_cast<const ExceptionClass*>(v.as_object().get()) ||
        dynamic_cast<const TypeObject*>(v.as_object().get()) || AsClass(v)) {
      return MakeTypeObject(
          "type", +[](const Value& x) {
            return x.kind() == VK::kObject &&
                   x.as_object()->TypeName() == "type";
          });
    }
  }
  const std::string name = v.TypeName();
  if (const NativeArrayLike* a = AsNativeArrayLike(v)) {
    auto t = std::make_shared<TypeObject>(
        name, [name](const Value& x) { return x.TypeName() == name; }, nullptr);
    t->set_module(a->PyModule());
    return Value::FromObject(t);
  }
  if (const BuiltinType* t = FindType(name)) {
    return MakeTypeObject(t->name, t->is_instance);
  }
  if (v.is_tensor()) {
    auto t = std::make_shared<TypeObject>(
        name, +[](const Value& x) { return x.is_tensor(); }, nullptr);
    t->set_module("tensorflow.python.framework.ops");
    return Value::FromObject(t);
  }
  return MakeTypeObject(
      name, [name](const Value& x) { return x.TypeName() == name; });
}

}  // namespace ap::py
