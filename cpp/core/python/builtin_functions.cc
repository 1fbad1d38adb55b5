// The builtin functions as a static table: print, len, abs, round, min, max,
// sum, any, all, enumerate, zip, sorted, reversed, isinstance, hasattr,
// getattr, callable, format, pow, divmod, ord, chr; and the builtins the
// playground names but does not model.
#include <cmath>
#include <cstdlib>
#include <limits>

#include "../error.h"
#include "../repr.h"
#include "builtin_support.h"
#include "builtins.h"
#include "classes.h"
#include "exceptions.h"
#include "format.h"
#include "framework.h"
#include "numbers.h"
#include "object_ops.h"
#include "runtime.h"

namespace ap::py {

namespace {

using VK = Value::Kind;

Value MinMax(RunContext& ctx, const CallArgs& args, bool is_max) {
  const std::string fn = is_max ? "max" : "min";
  OnlyKeywords(fn, args, {"key", "default"});
  std::optional<Value> key = KeywordArg(args, "key");
  std::optional<Value> dflt = KeywordArg(args, "default");
  ValueList items;
  if (args.positional.empty()) {
    RaiseTypeError(fn + " expected at least 1 argument, got 0");
  }
  if (args.positional.size() == 1) {
    items = ToList(ctx, args.positional[0]);
    if (items.empty()) {
      if (dflt) return *dflt;
      RaiseValueError(fn + "() iterable argument is empty");
    }
  } else {
    if (dflt) {
      RaiseTypeError("Cannot specify a default for " + fn +
                     "() with multiple positional arguments");
    }
    items = args.positional;
  }
  auto key_of = [&](const Value& v) {
    if (!key || key->is_none()) return v;
    CallArgs a;
    a.positional.push_back(v);
    return RuntimeOf(ctx).CallValue(*key, a);
  };
  Value best = items[0];
  Value best_key = key_of(best);
  for (size_t i = 1; i < items.size(); ++i) {
    Value k = key_of(items[i]);
    if (IsTrue(ctx, CompareOp(ctx, is_max ? ">" : "<", k, best_key))) {
      best = items[i];
      best_key = k;
    }
  }
  return best;
}

bool IsInstanceOf(const Value& v, const Value& cls) {
  if (cls.kind() == VK::kTuple) {
    for (const Value& c : cls.items()) {
      if (IsInstanceOf(v, c)) return true;
    }
    return false;
  }
  if (std::optional<bool> r = ProgramIsInstance(v, cls)) return *r;
  if (cls.kind() == VK::kObject) {
    if (auto* t = dynamic_cast<const TypeObject*>(cls.as_object().get())) {
      return t->IsInstance(v);
    }
    if (auto* e = dynamic_cast<const ExceptionClass*>(cls.as_object().get())) {
      if (v.kind() != VK::kObject) return false;
      auto* obj = dynamic_cast<const ExceptionObject*>(v.as_object().get());
      return obj && obj->cls().IsSubclassOf(*e);
    }
  }
  RaiseTypeError(
      "isinstance() arg 2 must be a type, a tuple of types, or a union");
}

// A builtin function: print, len, ... A null `fn` is valid Python the
// playground does not model: a clear NotSupportedError instead of a
// misleading NameError.
class BuiltinFunction : public Callable {
 public:
  BuiltinFunction(const char* name, BuiltinFn fn) : name_(name), fn_(fn) {}
  std::string TypeName() const override { return "builtin_function_or_method"; }
  std::string Repr() const override {
    return std::string("<built-in function ") + name_ + ">";
  }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "__name__") return Value::Str(name_);
    return std::nullopt;
  }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    RuntimeOf(ctx);  // a builtin kept past its run fails as before
    if (!fn_) {
      RaiseText(ErrorClass::kNotSupportedError,
                std::string("the builtin ") + name_ +
                    "() is not supported by the playground");
    }
    return fn_(ctx, args);
  }

 private:
  const char* name_;
  BuiltinFn fn_;
};

constexpr BuiltinEntry kFunctions[] = {
    {"print",
     [](RunContext& ctx, const CallArgs& a) {
       OnlyKeywords("print", a, {"sep", "end", "file", "flush"});
       std::string sep = " ", end = "\n";
       if (auto s = KeywordArg(a, "sep"); s && !s->is_none()) {
         if (s->kind() != VK::kStr)
           RaiseTypeError("sep must be None or a string, not " + s->TypeName());
         sep = s->as_str();
       }
       if (auto e = KeywordArg(a, "end"); e && !e->is_none()) {
         if (e->kind() != VK::kStr)
           RaiseTypeError("end must be None or a string, not " + e->TypeName());
         end = e->as_str();
       }
       if (auto f = KeywordArg(a, "file"); f && !f->is_none()) {
         RaiseText(ErrorClass::kNotSupportedError,
                   "print(file=...) is not supported by the playground");
       }
       std::string out;
       for (size_t i = 0; i < a.positional.size(); ++i) {
         if (i) out += sep;
         out += PyStr(a.positional[i]);
       }
       out += end;
       RuntimeOf(ctx).Write(out);
       return Value::None();
     }},
    {"len",
     [](RunContext&, const CallArgs& a) {
       ArgCount("len", a, 1, 1);
       return Value::Int(Length(a.positional[0]));
     }},
    {"repr",
     [](RunContext&, const CallArgs& a) {
       ArgCount("repr", a, 1, 1);
       return Value::Str(PyRepr(a.positional[0]));
     }},
    {"abs",
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("abs", a, 1, 1);
       const Value& v = a.positional[0];
       if (FrameworkOf(ctx).IsTensorOperand(v)) {
         return FrameworkOf(ctx).UnaryOperator("abs", v, ctx);
       }
       if (v.kind() == VK::kInt || v.kind() == VK::kBool) {
         return v.as_int() < 0 ? UnaryOp(ctx, "-", Value::Int(v.as_int()))
                               : Value::Int(v.as_int());
       }
       if (v.kind() == VK::kFloat) return Value::Float(std::fabs(v.as_float()));
       RaiseTypeError("bad operand type for abs(): '" + v.TypeName() + "'");
     }},
    {"round",
     [](RunContext&, const CallArgs& a) {
       OnlyKeywords("round", a, {"ndigits"});
       if (a.positional.empty() || a.positional.size() > 2) {
         RaiseTypeError("round() takes at most 2 arguments");
       }
       const Value v = ScalarOf(a.positional[0]);
       std::optional<Value> nd = a.positional.size() == 2
                                     ? std::optional<Value>(a.positional[1])
                                     : KeywordArg(a, "ndigits");
       if (nd && nd->is_none()) nd.reset();
       if (v.kind() == VK::kInt || v.kind() == VK::kBool) {
         if (!nd || AsIndex(*nd) >= 0) return Value::Int(v.as_int());
         const int64_t p = AsIndex(*nd);
         if (p < -18) return Value::Int(0);
         int64_t m = 1;
         for (int64_t i = 0; i < -p; ++i) m *= 10;
         const double r =
             RoundHalfEven(static_cast<double>(v.as_int()) / m) * m;
         return Value::Int(static_cast<int64_t>(r));
       }
       if (v.kind() != VK::kFloat) {
         RaiseTypeError("type " + v.TypeName() +
                        " doesn't define __round__ method");
       }
       const double x = v.as_float();
       if (!nd) {
         if (std::isnan(x))
           RaiseValueError("cannot convert float NaN to integer");
         if (std::isinf(x))
           RaiseText(
               ErrorClass::kNotSupportedError,
               "cannot convert float infinity to integer (OverflowError in "
               "Python)");
         return ToInt(Value::Float(RoundHalfEven(x)), std::nullopt);
       }
       const int64_t p = AsIndex(*nd);
       if (!std::isfinite(x) || p > 300) return Value::Float(x);
       if (p < -308) return Value::Float(0.0 * x);
       char buf[512];
       if (p >= 0) {
         std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(p), x);
         return Value::Float(std::strtod(buf, nullptr));
       }
       const double m = std::pow(10.0, static_cast<double>(-p));
       return Value::Float(RoundHalfEven(x / m) * m);
     }},
    {"max",
     [](RunContext& ctx, const CallArgs& a) { return MinMax(ctx, a, true); }},
    {"min",
     [](RunContext& ctx, const CallArgs& a) { return MinMax(ctx, a, false); }},
    {"sum",
     [](RunContext& ctx, const CallArgs& a) {
       OnlyKeywords("sum", a, {"start"});
       if (a.positional.empty() || a.positional.size() > 2) {
         RaiseTypeError("sum() takes at most 2 arguments (" +
                        std::to_string(a.positional.size()) + " given)");
       }
       Value total = a.positional.size() == 2
                         ? a.positional[1]
                         : KeywordArg(a, "start").value_or(Value::Int(0));
       if (total.kind() == VK::kStr)
         RaiseTypeError("sum() can't sum strings [use ''.join(seq) instead]");
       Iterate(ctx, a.positional[0], [&](const Value& v) {
         total = BinaryOp(ctx, "+", total, v);
         return true;
       });
       return total;
     }},
    {"any",
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("any", a, 1, 1);
       bool r = false;
       Iterate(ctx, a.positional[0], [&](const Value& v) {
         r = IsTrue(ctx, v);
         return !r;
       });
       return Value::Bool(r);
     }},
    {"all",
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("all", a, 1, 1);
       bool r = true;
       Iterate(ctx, a.positional[0], [&](const Value& v) {
         r = IsTrue(ctx, v);
         return r;
       });
       return Value::Bool(r);
     }},
    {"enumerate", EnumerateBuiltin},
    {"zip", ZipBuiltin},
    {"map", MapBuiltin},
    {"filter", FilterBuiltin},
    {"iter", IterBuiltin},
    {"next", NextBuiltin},
    {"reversed", ReversedBuiltin},
    {"sorted",
     [](RunContext& ctx, const CallArgs& a) {
       OnlyKeywords("sorted", a, {"key", "reverse"});
       if (a.positional.size() != 1)
         RaiseTypeError("sorted expected 1 argument, got " +
                        std::to_string(a.positional.size()));
       return Value::List(Sorted(
           ctx, ToList(ctx, a.positional[0]),
           KeywordArg(a, "key").value_or(Value::None()),
           IsTrue(ctx, KeywordArg(a, "reverse").value_or(Value::Bool(false)))));
     }},
    {"isinstance",
     [](RunContext&, const CallArgs& a) {
       ArgCount("isinstance", a, 2, 2);
       return Value::Bool(IsInstanceOf(a.positional[0], a.positional[1]));
     }},
    {"issubclass",
     [](RunContext&, const CallArgs& a) {
       ArgCount("issubclass", a, 2, 2);
       const Value& sub = a.positional[0];
       if (sub.kind() != VK::kObject || sub.as_object()->TypeName() != "type")
         RaiseTypeError("issubclass() arg 1 must be a class");
       auto check = [&](const Value& cls) -> bool {
         if (std::optional<bool> r = ProgramIsSubclass(sub, cls)) return *r;
         if (cls.kind() != VK::kObject ||
             cls.as_object()->TypeName() != "type") {
           RaiseTypeError(
               "issubclass() arg 2 must be a class, a tuple of classes, or "
               "a union");
         }
         if (cls.as_object()->Repr() == "<class 'object'>") return true;
         auto* se = dynamic_cast<const ExceptionClass*>(sub.as_object().get());
         auto* ce = dynamic_cast<const ExceptionClass*>(cls.as_object().get());
         if (se && ce) return se->IsSubclassOf(*ce);
         return sub.as_object()->Repr() == cls.as_object()->Repr();
       };
       if (a.positional[1].kind() == VK::kTuple) {
         for (const Value& c : a.positional[1].items()) {
           if (check(c)) return Value::Bool(true);
         }
         return Value::Bool(false);
       }
       return Value::Bool(check(a.positional[1]));
     }},
    {"super",
     [](RunContext&, const CallArgs& a) {
       NoKeywords("super", a);
       if (a.positional.empty())
         RaiseText(ErrorClass::kRuntimeError, "super(): no arguments");
       if (a.positional.size() == 1)
         RaiseText(ErrorClass::kNotSupportedError,
                   "super() with one argument is not supported by the "
                   "playground");
       ArgCount("super", a, 1, 2);
       return MakeSuper(a.positional[0], a.positional[1]);
     }},
    {"property",
     [](RunContext&, const CallArgs& a) {
       OnlyKeywords("property", a, {"fget", "fset", "fdel", "doc"});
       if (a.positional.size() > 4)
         RaiseTypeError("property() takes at most 4 arguments (" +
                        std::to_string(a.positional.size()) + " given)");
       auto arg = [&](size_t i, const char* name) {
         if (i < a.positional.size()) return a.positional[i];
         return KeywordArg(a, name).value_or(Value::None());
       };
       return MakeProperty(arg(0, "fget"), arg(1, "fset"));
     }},
    {"staticmethod",
     [](RunContext&, const CallArgs& a) {
       ArgCount("staticmethod", a, 1, 1);
       return MakeStaticMethod(a.positional[0]);
     }},
    {"classmethod",
     [](RunContext&, const CallArgs& a) {
       ArgCount("classmethod", a, 1, 1);
       return MakeClassMethod(a.positional[0]);
     }},
    {"setattr",
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("setattr", a, 3, 3);
       if (a.positional[1].kind() != VK::kStr)
         RaiseTypeError("attribute name must be string, not '" +
                        a.positional[1].TypeName() + "'");
       SetAttribute(ctx, a.positional[0], a.positional[1].as_str(),
                    a.positional[2]);
       return Value::None();
     }},
    {"delattr",
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("delattr", a, 2, 2);
       if (a.positional[1].kind() != VK::kStr)
         RaiseTypeError("attribute name must be string, not '" +
                        a.positional[1].TypeName() + "'");
       DeleteAttribute(ctx, a.positional[0], a.positional[1].as_str());
       return Value::None();
     }},
    {"hasattr",
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("hasattr", a, 2, 2);
       const Value& v = a.positional[0];
       if (a.positional[1].kind() != VK::kStr)
         RaiseTypeError("attribute name must be string, not '" +
                        a.positional[1].TypeName() + "'");
       const std::string& name = a.positional[1].as_str();
       if (v.is_tensor())
         return Value::Bool(
             FrameworkOf(ctx).Attribute(v, name, ctx).has_value());
       // hasattr is False exactly when the lookup raises AttributeError (a
       // module attribute the framework's version lacks raises it).
       try {
         if (v.kind() == VK::kObject && v.as_object()->GetAttr(name))
           return Value::Bool(true);
       } catch (const ErrorException& e) {
         if (e.error().cls != ErrorClass::kAttributeError) throw;
         return Value::Bool(false);
       }
       return Value::Bool(PlainAttribute(v, name).has_value());
     }},
    {"getattr",
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("getattr", a, 2, 3);
       const Value& v = a.positional[0];
       if (a.positional[1].kind() != VK::kStr)
         RaiseTypeError("attribute name must be string, not '" +
                        a.positional[1].TypeName() + "'");
       const std::string& name = a.positional[1].as_str();
       std::optional<Value> r;
       if (v.is_tensor()) {
         r = FrameworkOf(ctx).Attribute(v, name, ctx);
       } else {
         if (v.kind() == VK::kObject) r = v.as_object()->GetAttr(name);
         if (!r) r = PlainAttribute(v, name);
       }
       if (r) return *r;
       if (a.positional.size() == 3) return a.positional[2];
       if (v.is_tensor())
         RaiseText(ErrorClass::kAttributeError,
                   "'tensorflow.python.framework.ops.EagerTensor' object has "
                   "no attribute '" +
                       name + "'");
       RaiseText(ErrorClass::kAttributeError, NoAttributeText(v, name));
     }},
    {"callable",
     [](RunContext&, const CallArgs& a) {
       ArgCount("callable", a, 1, 1);
       const Value& v = a.positional[0];
       if (const InstanceObject* inst = AsInstance(v)) {
         return Value::Bool(inst->cls()->LookupRaw("__call__") ||
                            inst->native_part());
       }
       return Value::Bool(v.kind() == VK::kObject &&
                          dynamic_cast<Callable*>(v.as_object().get()));
     }},
    {"format",
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("format", a, 1, 2);
       std::string spec;
       if (a.positional.size() == 2) {
         if (a.positional[1].kind() != VK::kStr)
           RaiseTypeError("format() argument 2 must be str, not " +
                          a.positional[1].TypeName());
         spec = a.positional[1].as_str();
       }
       return Value::Str(FormatValue(ctx, a.positional[0], spec));
     }},
    {"pow",
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("pow", a, 2, 2);
       return BinaryOp(ctx, "**", a.positional[0], a.positional[1]);
     }},
    {"divmod",
     [](RunContext& ctx, const CallArgs& a) {
       ArgCount("divmod", a, 2, 2);
       return Value::Tuple(
           {BinaryOp(ctx, "//", a.positional[0], a.positional[1]),
            BinaryOp(ctx, "%", a.positional[0], a.positional[1])});
     }},
    {"ord",
     [](RunContext&, const CallArgs& a) {
       ArgCount("ord", a, 1, 1);
       const Value& v = a.positional[0];
       if (v.kind() != VK::kStr)
         RaiseTypeError("ord() expected string of length 1, but " +
                        v.TypeName() + " found");
       const std::vector<std::string> chars = Utf8Chars(v.as_str());
       if (chars.size() != 1)
         RaiseTypeError("ord() expected a character, but string of length " +
                        std::to_string(chars.size()) + " found");
       const std::string& c = chars[0];
       uint32_t cp = static_cast<unsigned char>(c[0]);
       if (c.size() > 1) {
         cp &= (c.size() == 2 ? 0x1F : c.size() == 3 ? 0x0F : 0x07);
         for (size_t i = 1; i < c.size(); ++i)
           cp = (cp << 6) | (static_cast<unsigned char>(c[i]) & 0x3F);
       }
       return Value::Int(cp);
     }},
    {"chr",
     [](RunContext&, const CallArgs& a) {
       ArgCount("chr", a, 1, 1);
       const int64_t cp = AsIndex(a.positional[0]);
       if (cp < 0 || cp > 0x10FFFF)
         RaiseValueError("chr() arg not in range(0x110000)");
       std::string out;
       const uint32_t c = static_cast<uint32_t>(cp);
       if (c < 0x80) {
         out += static_cast<char>(c);
       } else if (c < 0x800) {
         out += static_cast<char>(0xC0 | (c >> 6));
         out += static_cast<char>(0x80 | (c & 0x3F));
       } else if (c < 0x10000) {
         out += static_cast<char>(0xE0 | (c >> 12));
         out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
         out += static_cast<char>(0x80 | (c & 0x3F));
       } else {
         out += static_cast<char>(0xF0 | (c >> 18));
         out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
         out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
         out += static_cast<char>(0x80 | (c & 0x3F));
       }
       return Value::Str(out);
     }},
};

// Valid Python the playground does not model: a clear NotSupportedError
// instead of a misleading NameError.
constexpr const char* kUnsupported[] = {
    "input",   "open",       "eval",  "exec",       "compile",   "globals",
    "locals",  "vars",       "dir",   "set",        "frozenset", "hash",
    "id",      "hex",        "bin",   "oct",        "bytes",     "bytearray",
    "complex", "memoryview", "slice", "__import__", "help",      "breakpoint",
    "exit",    "quit",       "ascii", "aiter",      "anext"};

}  // namespace

void AddBuiltinFunctions(std::unordered_map<std::string_view, Value>& names) {
  for (const BuiltinEntry& f : kFunctions) {
    names[f.name] =
        Value::FromObject(std::make_shared<BuiltinFunction>(f.name, f.fn));
  }
  for (const char* name : kUnsupported) {
    names[name] =
        Value::FromObject(std::make_shared<BuiltinFunction>(name, nullptr));
  }
}

}  // namespace ap::py
