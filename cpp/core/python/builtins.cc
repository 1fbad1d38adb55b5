#include "builtins.h"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "../error.h"
#include "../repr.h"
#include "evaluator.h"
#include "object_ops.h"
#include "exceptions.h"
#include "framework.h"

namespace ap::interp {

namespace {

using VK = Value::Kind;
using Fn = std::function<Value(Interpreter&, const CallArgs&)>;

class BuiltinFunction : public Callable {
 public:
  BuiltinFunction(Interpreter* in, std::string name, Fn fn)
      : in_(in),
        alive_(in->alive()),
        name_(std::move(name)),
        fn_(std::move(fn)) {}
  std::string TypeName() const override { return "builtin_function_or_method"; }
  std::string Repr() const override {
    return "<built-in function " + name_ + ">";
  }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "__name__") return Value::Str(name_);
    return std::nullopt;
  }
  Value Call(RunContext&, const CallArgs& args) override {
    if (!*alive_) RaiseText(ErrorClass::kRuntimeError, "run finished");
    return fn_(*in_, args);
  }

 private:
  Interpreter* in_;
  std::shared_ptr<bool> alive_;
  std::string name_;
  Fn fn_;
};

Value CallMethod(Interpreter& in, const Value& self, const std::string& name,
                 const CallArgs& args);

class BoundMethod : public Callable {
 public:
  BoundMethod(Interpreter* in, Value self, std::string name)
      : in_(in),
        alive_(in->alive()),
        self_(std::move(self)),
        name_(std::move(name)) {}
  std::string TypeName() const override { return "builtin_function_or_method"; }
  std::string Repr() const override {
    return "<built-in method " + name_ + " of " + self_.TypeName() + " object>";
  }
  Value Call(RunContext&, const CallArgs& args) override {
    if (!*alive_) RaiseText(ErrorClass::kRuntimeError, "run finished");
    return CallMethod(*in_, self_, name_, args);
  }

 private:
  Interpreter* in_;
  std::shared_ptr<bool> alive_;
  Value self_;
  std::string name_;
};

void NoKeywords(const std::string& fn, const CallArgs& args) {
  if (!args.keywords.empty()) {
    RaiseTypeError(fn + "() takes no keyword arguments");
  }
}

void ArgCount(const std::string& fn, const CallArgs& args, size_t lo,
              size_t hi) {
  NoKeywords(fn, args);
  const size_t n = args.positional.size();
  if (n >= lo && n <= hi) return;
  if (lo == hi) {
    RaiseTypeError(fn + "() takes exactly " +
                   (lo == 1 ? std::string("one argument")
                            : std::to_string(lo) + " arguments") +
                   " (" + std::to_string(n) + " given)");
  }
  if (n < lo) {
    RaiseTypeError(fn + " expected at least " + std::to_string(lo) +
                   " argument" + (lo == 1 ? "" : "s") + ", got " +
                   std::to_string(n));
  }
  RaiseTypeError(fn + " expected at most " + std::to_string(hi) + " argument" +
                 (hi == 1 ? "" : "s") + ", got " + std::to_string(n));
}

std::optional<Value> KeywordArg(const CallArgs& args, const std::string& name) {
  for (const auto& [k, v] : args.keywords) {
    if (k == name) return v;
  }
  return std::nullopt;
}

void OnlyKeywords(const std::string& fn, const CallArgs& args,
                  std::initializer_list<const char*> allowed) {
  for (const auto& [k, v] : args.keywords) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || k == a;
    if (!ok) {
      RaiseTypeError("'" + k + "' is an invalid keyword argument for " + fn +
                     "()");
    }
  }
}

// A one-element tensor as a Python number (int(t), float(t), round(t)).
Value ScalarOf(const Value& v) {
  if (!v.is_tensor()) return v;
  const Tensor& t = v.as_tensor();
  if (t.num_elements() != 1) {
    RaiseTypeError("only length-1 arrays can be converted to Python scalars");
  }
  const double x = t.GetAsDouble(0);
  switch (t.dtype()) {
    case DType::kFloat32:
      return Value::Float(x);
    case DType::kInt32:
      return Value::Int(static_cast<int64_t>(x));
    case DType::kBool:
      return Value::Bool(x != 0);
  }
  return Value::Float(x);
}

std::string Strip(const std::string& s, const std::string& chars, bool left,
                  bool right) {
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e && chars.find(s[b]) != std::string::npos) ++b;
  }
  if (right) {
    while (e > b && chars.find(s[e - 1]) != std::string::npos) --e;
  }
  return s.substr(b, e - b);
}

const std::string kWhitespace = " \t\n\r\f\v";

int64_t ParseIntText(const std::string& text, int base) {
  const std::string s = Strip(text, kWhitespace, true, true);
  auto fail = [&]() -> int64_t {
    RaiseValueError("invalid literal for int() with base " +
                    std::to_string(base) + ": " + PyRepr(Value::Str(text)));
  };
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (base == 16 && s.size() > i + 1 && s[i] == '0' &&
      (s[i + 1] == 'x' || s[i + 1] == 'X'))
    i += 2;
  if (i >= s.size()) fail();
  uint64_t v = 0;
  bool prev_digit = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_' && prev_digit && i + 1 < s.size()) {
      prev_digit = false;
      continue;
    }
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      d = std::tolower(c) - 'a' + 10;
    } else {
      fail();
    }
    if (d >= base) fail();
    if (v > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - d) /
                base) {
      RaiseText(ErrorClass::kNotSupportedError,
                "integer too large: the playground's ints are 64-bit");
    }
    v = v * base + d;
    prev_digit = true;
  }
  if (!prev_digit) fail();
  return neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
}

double ParseFloatText(const std::string& text) {
  std::string s = Strip(text, kWhitespace, true, true);
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(c));
  const std::string body =
      (!lower.empty() && (lower[0] == '+' || lower[0] == '-')) ? lower.substr(1)
                                                               : lower;
  const bool neg = !lower.empty() && lower[0] == '-';
  if (body == "inf" || body == "infinity") return neg ? -INFINITY : INFINITY;
  if (body == "nan") return NAN;
  std::string clean;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i > 0 && i + 1 < s.size() &&
        std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
        std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      continue;
    }
    clean += s[i];
  }
  bool ok = !clean.empty();
  for (char c : clean) {
    if (!std::isdigit(static_cast<unsigned char>(c)) &&
        std::string("+-.eE").find(c) == std::string::npos) {
      ok = false;
    }
  }
  char* end = nullptr;
  const double v = ok ? std::strtod(clean.c_str(), &end) : 0;
  if (!ok || end != clean.c_str() + clean.size()) {
    RaiseValueError("could not convert string to float: " +
                    PyRepr(Value::Str(text)));
  }
  return v;
}

Value ToInt(const Value& raw, std::optional<int64_t> base) {
  const Value v = ScalarOf(raw);
  if (base) {
    if (v.kind() != VK::kStr) {
      RaiseTypeError("int() can't convert non-string with explicit base");
    }
    return Value::Int(ParseIntText(v.as_str(), static_cast<int>(*base)));
  }
  switch (v.kind()) {
    case VK::kInt:
    case VK::kBool:
      return Value::Int(v.as_int());
    case VK::kFloat: {
      const double x = v.as_float();
      if (std::isnan(x)) RaiseValueError("cannot convert float NaN to integer");
      if (std::isinf(x)) {
        RaiseText(ErrorClass::kNotSupportedError,
                  "cannot convert float infinity to integer (OverflowError in "
                  "Python)");
      }
      if (std::fabs(x) >= 9.2233720368547758e18) {
        RaiseText(ErrorClass::kNotSupportedError,
                  "integer too large: the playground's ints are 64-bit");
      }
      return Value::Int(static_cast<int64_t>(std::trunc(x)));
    }
    case VK::kStr:
      return Value::Int(ParseIntText(v.as_str(), 10));
    default:
      RaiseTypeError(
          "int() argument must be a string, a bytes-like object or a real "
          "number, not '" +
          v.TypeName() + "'");
  }
}

Value ToFloat(const Value& raw) {
  const Value v = ScalarOf(raw);
  switch (v.kind()) {
    case VK::kInt:
    case VK::kBool:
    case VK::kFloat:
      return Value::Float(v.as_number());
    case VK::kStr:
      return Value::Float(ParseFloatText(v.as_str()));
    default:
      RaiseTypeError(
          "float() argument must be a string or a real number, not '" +
          v.TypeName() + "'");
  }
}

double RoundHalfEven(double x) {
  double r = std::round(x);
  if (std::fabs(x - std::trunc(x)) == 0.5) r = 2.0 * std::round(x / 2.0);
  return r;
}

// Merge sort: stable, and safe with inconsistent comparisons (NaN).
void MergeSort(ValueList& v,
               FunctionRef<bool(const Value&, const Value&)> less) {
  if (v.size() < 2) return;
  ValueList tmp(v.size());
  for (size_t width = 1; width < v.size(); width *= 2) {
    for (size_t lo = 0; lo < v.size(); lo += 2 * width) {
      const size_t mid = std::min(lo + width, v.size());
      const size_t hi = std::min(lo + 2 * width, v.size());
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = less(v[j], v[i]) ? v[j++] : v[i++];
      while (i < mid) tmp[k++] = v[i++];
      while (j < hi) tmp[k++] = v[j++];
    }
    v.swap(tmp);
  }
}

ValueList Sorted(Interpreter& in, ValueList items, const Value& key,
                 bool reverse) {
  // A merge sort compares about n log2 n times (at least 8n, as before).
  int64_t log2n = 8;
  while ((int64_t{1} << log2n) < static_cast<int64_t>(items.size())) ++log2n;
  in.ChargeWork(static_cast<int64_t>(items.size()) * log2n);
  std::vector<std::pair<Value, Value>> keyed;
  keyed.reserve(items.size());
  for (Value& v : items) {
    Value k = v;
    if (!key.is_none()) {
      CallArgs a;
      a.positional.push_back(v);
      k = in.CallValue(key, a);
    }
    keyed.emplace_back(std::move(k), std::move(v));
  }
  ValueList order;
  for (size_t i = 0; i < keyed.size(); ++i)
    order.push_back(Value::Int(static_cast<int64_t>(i)));
  MergeSort(order, [&](const Value& a, const Value& b) {
    const Value& ka = keyed[static_cast<size_t>(a.as_int())].first;
    const Value& kb = keyed[static_cast<size_t>(b.as_int())].first;
    return Truthy(CompareOp(in, "<", reverse ? kb : ka, reverse ? ka : kb));
  });
  ValueList out;
  for (const Value& i : order)
    out.push_back(keyed[static_cast<size_t>(i.as_int())].second);
  return out;
}

Value MinMax(Interpreter& in, const CallArgs& args, bool is_max) {
  const std::string fn = is_max ? "max" : "min";
  OnlyKeywords(fn, args, {"key", "default"});
  std::optional<Value> key = KeywordArg(args, "key");
  std::optional<Value> dflt = KeywordArg(args, "default");
  ValueList items;
  if (args.positional.empty()) {
    RaiseTypeError(fn + " expected at least 1 argument, got 0");
  }
  if (args.positional.size() == 1) {
    items = ToList(in, args.positional[0]);
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
    return in.CallValue(*key, a);
  };
  Value best = items[0];
  Value best_key = key_of(best);
  for (size_t i = 1; i < items.size(); ++i) {
    Value k = key_of(items[i]);
    if (Truthy(CompareOp(in, is_max ? ">" : "<", k, best_key))) {
      best = items[i];
      best_key = k;
    }
  }
  return best;
}

std::string StrFormat(Interpreter& in, const std::string& fmt,
                      const CallArgs& args);

bool IsInstanceOf(const Value& v, const Value& cls) {
  if (cls.kind() == VK::kTuple) {
    for (const Value& c : cls.items()) {
      if (IsInstanceOf(v, c)) return true;
    }
    return false;
  }
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

void InstallFn(Interpreter& in, Scope& scope, const std::string& name, Fn fn) {
  scope.Set(name, Value::FromObject(std::make_shared<BuiltinFunction>(
                      &in, name, std::move(fn))));
}
using FnPtr = Value (*)(Interpreter&, const CallArgs&);
void InstallPtr(Interpreter& in, Scope& scope, const char* name, FnPtr fn) {
  InstallFn(in, scope, name, fn);
}
// (A captureless lambda becomes a function pointer: no std::function and no
// std::string built at the ~60 call sites.)
template <typename N, typename F>
void Install(Interpreter& in, Scope& scope, const N& name, F&& fn) {
  if constexpr (std::is_convertible_v<std::decay_t<F>, FnPtr> &&
                std::is_convertible_v<N, const char*>) {
    InstallPtr(in, scope, name, fn);
  } else {
    InstallFn(in, scope, name, MakeFunction<Fn>(std::forward<F>(fn)));
  }
}

std::map<std::string, Value>& TypeRegistry() {
  static auto* types = new std::map<std::string, Value>();
  return *types;
}

Value BuiltinType(const std::string& name) {
  auto& reg = TypeRegistry();
  auto it = reg.find(name);
  return it == reg.end() ? Value::None() : it->second;
}

}  // namespace

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
  if (v.kind() == VK::kObject) {
    if (auto* e = dynamic_cast<const ExceptionObject*>(v.as_object().get())) {
      return ExceptionClassValue(e->class_name());
    }
    if (dynamic_cast<const ExceptionClass*>(v.as_object().get()) ||
        dynamic_cast<const TypeObject*>(v.as_object().get())) {
      return MakeTypeObject(
          "type", +[](const Value& x) {
            return x.kind() == VK::kObject &&
                   x.as_object()->TypeName() == "type";
          });
    }
  }
  const std::string name = v.TypeName();
  Value builtin = BuiltinType(name);
  if (!builtin.is_none()) return builtin;
  if (v.is_tensor()) {
    auto t = std::make_shared<TypeObject>(
        name, +[](const Value& x) { return x.is_tensor(); }, nullptr);
    t->set_module("tensorflow.python.framework.ops");
    return Value::FromObject(t);
  }
  return MakeTypeObject(
      name, [name](const Value& x) { return x.TypeName() == name; });
}

void InstallBuiltins(Interpreter& in, Scope& scope) {
  // ---- types (callable, and usable with isinstance / type(x) == T)
  // Plain function pointers (every type's lambdas are captureless): one
  // std::function instantiation for all of them (callable.h, MakeFunction).
  auto add_type = [&](const std::string& name,
                      bool (*is_instance)(const Value&),
                      Value (*make_fn)(Interpreter&, const CallArgs&)) {
    const TypeObject::Predicate pred = is_instance;
    const Fn make = make_fn;  // empty for nullptr, as before
    Interpreter* ip = &in;
    auto alive = in.alive();
    TypeObject::Constructor ctor = [ip, alive, make](RunContext&,
                                                     const CallArgs& a) {
      if (!*alive) RaiseText(ErrorClass::kRuntimeError, "run finished");
      return make(*ip, a);
    };
    Value t = Value::FromObject(std::make_shared<TypeObject>(name, pred, ctor));
    scope.Set(name, t);
    TypeRegistry()[name] = MakeTypeObject(name, pred);
  };
  add_type(
      "int",
      [](const Value& v) {
        return v.kind() == VK::kInt || v.kind() == VK::kBool;
      },
      [](Interpreter&, const CallArgs& a) {
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
      });
  add_type(
      "float", [](const Value& v) { return v.kind() == VK::kFloat; },
      [](Interpreter&, const CallArgs& a) {
        ArgCount("float", a, 0, 1);
        return a.positional.empty() ? Value::Float(0)
                                    : ToFloat(a.positional[0]);
      });
  add_type(
      "str", [](const Value& v) { return v.kind() == VK::kStr; },
      [](Interpreter&, const CallArgs& a) {
        ArgCount("str", a, 0, 1);
        return Value::Str(a.positional.empty() ? "" : PyStr(a.positional[0]));
      });
  add_type(
      "bool", [](const Value& v) { return v.kind() == VK::kBool; },
      [](Interpreter&, const CallArgs& a) {
        ArgCount("bool", a, 0, 1);
        return Value::Bool(!a.positional.empty() && Truthy(a.positional[0]));
      });
  add_type(
      "list", [](const Value& v) { return v.kind() == VK::kList; },
      [](Interpreter& in, const CallArgs& a) {
        ArgCount("list", a, 0, 1);
        return Value::List(a.positional.empty() ? ValueList{}
                                                : ToList(in, a.positional[0]));
      });
  add_type(
      "tuple", [](const Value& v) { return v.kind() == VK::kTuple; },
      [](Interpreter& in, const CallArgs& a) {
        ArgCount("tuple", a, 0, 1);
        return Value::Tuple(a.positional.empty() ? ValueList{}
                                                 : ToList(in, a.positional[0]));
      });
  add_type(
      "dict", [](const Value& v) { return v.kind() == VK::kDict; },
      [](Interpreter& in, const CallArgs& a) {
        if (a.positional.size() > 1)
          RaiseTypeError("dict expected at most 1 argument, got " +
                         std::to_string(a.positional.size()));
        Value d = Value::Dict({});
        if (!a.positional.empty()) {
          const Value& src = a.positional[0];
          if (src.kind() == VK::kDict) {
            for (const auto& [k, v] : src.dict_items()) SetItem(in, d, k, v);
          } else {
            int64_t i = 0;
            for (const Value& item : ToList(in, src)) {
              ValueList pair;
              try {
                pair = ToList(in, item);
              } catch (const ErrorException&) {
                RaiseTypeError(
                    "cannot convert dictionary update sequence element #" +
                    std::to_string(i) + " to a sequence");
              }
              if (pair.size() != 2) {
                RaiseValueError("dictionary update sequence element #" +
                                std::to_string(i) + " has length " +
                                std::to_string(pair.size()) +
                                "; 2 is required");
              }
              SetItem(in, d, pair[0], pair[1]);
              ++i;
            }
          }
        }
        for (const auto& [k, v] : a.keywords) SetItem(in, d, Value::Str(k), v);
        return d;
      });
  add_type(
      "range", [](const Value& v) { return v.TypeName() == "range"; },
      [](Interpreter&, const CallArgs& a) {
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
      });
  add_type(
      "object", [](const Value&) { return true; }, nullptr);
  add_type(
      "NoneType", [](const Value& v) { return v.is_none(); }, nullptr);
  scope.Erase("NoneType");
  add_type(
      "type",
      [](const Value& v) {
        return v.kind() == VK::kObject && v.as_object()->TypeName() == "type";
      },
      [](Interpreter&, const CallArgs& a) {
        ArgCount("type", a, 1, 1);
        return TypeOf(a.positional[0]);
      });

  // ---- exception classes
  for (const std::string& name : BuiltinExceptionNames()) {
    scope.Set(name, ExceptionClassValue(name));
  }

  // ---- functions
  Install(in, scope, "print", [](Interpreter& in, const CallArgs& a) {
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
    in.Write(out);
    return Value::None();
  });
  Install(in, scope, "len", [](Interpreter&, const CallArgs& a) {
    ArgCount("len", a, 1, 1);
    return Value::Int(Length(a.positional[0]));
  });
  Install(in, scope, "repr", [](Interpreter&, const CallArgs& a) {
    ArgCount("repr", a, 1, 1);
    return Value::Str(PyRepr(a.positional[0]));
  });
  Install(in, scope, "abs", [](Interpreter& in, const CallArgs& a) {
    ArgCount("abs", a, 1, 1);
    const Value& v = a.positional[0];
    if (v.is_tensor()) return TensorUnaryOperator("abs", v, in.ctx());
    if (v.kind() == VK::kInt || v.kind() == VK::kBool) {
      return v.as_int() < 0 ? UnaryOp(in, "-", Value::Int(v.as_int()))
                            : Value::Int(v.as_int());
    }
    if (v.kind() == VK::kFloat) return Value::Float(std::fabs(v.as_float()));
    RaiseTypeError("bad operand type for abs(): '" + v.TypeName() + "'");
  });
  Install(in, scope, "round", [](Interpreter&, const CallArgs& a) {
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
      const double r = RoundHalfEven(static_cast<double>(v.as_int()) / m) * m;
      return Value::Int(static_cast<int64_t>(r));
    }
    if (v.kind() != VK::kFloat) {
      RaiseTypeError("type " + v.TypeName() +
                     " doesn't define __round__ method");
    }
    const double x = v.as_float();
    if (!nd) {
      if (std::isnan(x)) RaiseValueError("cannot convert float NaN to integer");
      if (std::isinf(x))
        RaiseText(ErrorClass::kNotSupportedError,
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
  });
  Install(in, scope, "max", [](Interpreter& in, const CallArgs& a) {
    return MinMax(in, a, true);
  });
  Install(in, scope, "min", [](Interpreter& in, const CallArgs& a) {
    return MinMax(in, a, false);
  });
  Install(in, scope, "sum", [](Interpreter& in, const CallArgs& a) {
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
    Iterate(in, a.positional[0], [&](const Value& v) {
      total = BinaryOp(in, "+", total, v);
      return true;
    });
    return total;
  });
  Install(in, scope, "any", [](Interpreter& in, const CallArgs& a) {
    ArgCount("any", a, 1, 1);
    bool r = false;
    Iterate(in, a.positional[0], [&](const Value& v) {
      r = Truthy(v);
      return !r;
    });
    return Value::Bool(r);
  });
  Install(in, scope, "all", [](Interpreter& in, const CallArgs& a) {
    ArgCount("all", a, 1, 1);
    bool r = true;
    Iterate(in, a.positional[0], [&](const Value& v) {
      r = Truthy(v);
      return r;
    });
    return Value::Bool(r);
  });
  Install(in, scope, "enumerate", [](Interpreter& in, const CallArgs& a) {
    OnlyKeywords("enumerate", a, {"start"});
    if (a.positional.empty() || a.positional.size() > 2)
      RaiseTypeError("enumerate() takes at most 2 arguments");
    int64_t i = a.positional.size() == 2
                    ? AsIndex(a.positional[1])
                    : AsIndex(KeywordArg(a, "start").value_or(Value::Int(0)));
    ValueList out;
    for (const Value& v : ToList(in, a.positional[0])) {
      CheckNesting(in, v);
      out.push_back(Value::Tuple({Value::Int(i++), v}));
    }
    return Value::List(std::move(out));
  });
  Install(in, scope, "zip", [](Interpreter& in, const CallArgs& a) {
    OnlyKeywords("zip", a, {"strict"});
    std::vector<ValueList> lists;
    size_t n = std::numeric_limits<size_t>::max();
    for (const Value& v : a.positional) {
      lists.push_back(ToList(in, v));
      n = std::min(n, lists.back().size());
    }
    if (lists.empty()) n = 0;
    ValueList out;
    for (size_t i = 0; i < n; ++i) {
      ValueList t;
      for (const ValueList& l : lists) {
        CheckNesting(in, l[i]);
        t.push_back(l[i]);
      }
      out.push_back(Value::Tuple(std::move(t)));
    }
    return Value::List(std::move(out));
  });
  Install(in, scope, "sorted", [](Interpreter& in, const CallArgs& a) {
    OnlyKeywords("sorted", a, {"key", "reverse"});
    if (a.positional.size() != 1)
      RaiseTypeError("sorted expected 1 argument, got " +
                     std::to_string(a.positional.size()));
    return Value::List(
        Sorted(in, ToList(in, a.positional[0]),
               KeywordArg(a, "key").value_or(Value::None()),
               Truthy(KeywordArg(a, "reverse").value_or(Value::Bool(false)))));
  });
  Install(in, scope, "reversed", [](Interpreter& in, const CallArgs& a) {
    ArgCount("reversed", a, 1, 1);
    const Value& v = a.positional[0];
    if (v.kind() == VK::kDict)
      RaiseTypeError("'dict' object is not reversible");
    ValueList items = ToList(in, v);
    return Value::List(ValueList(items.rbegin(), items.rend()));
  });
  Install(in, scope, "isinstance", [](Interpreter&, const CallArgs& a) {
    ArgCount("isinstance", a, 2, 2);
    return Value::Bool(IsInstanceOf(a.positional[0], a.positional[1]));
  });
  Install(in, scope, "hasattr", [](Interpreter& in, const CallArgs& a) {
    ArgCount("hasattr", a, 2, 2);
    const Value& v = a.positional[0];
    if (a.positional[1].kind() != VK::kStr)
      RaiseTypeError("attribute name must be string, not '" +
                     a.positional[1].TypeName() + "'");
    const std::string& name = a.positional[1].as_str();
    if (v.is_tensor())
      return Value::Bool(TensorAttribute(v, name, in.ctx()).has_value());
    if (v.kind() == VK::kObject && v.as_object()->GetAttr(name))
      return Value::Bool(true);
    return Value::Bool(PlainAttribute(in, v, name).has_value());
  });
  Install(in, scope, "getattr", [](Interpreter& in, const CallArgs& a) {
    ArgCount("getattr", a, 2, 3);
    const Value& v = a.positional[0];
    if (a.positional[1].kind() != VK::kStr)
      RaiseTypeError("attribute name must be string, not '" +
                     a.positional[1].TypeName() + "'");
    const std::string& name = a.positional[1].as_str();
    std::optional<Value> r;
    if (v.is_tensor()) {
      r = TensorAttribute(v, name, in.ctx());
    } else {
      if (v.kind() == VK::kObject) r = v.as_object()->GetAttr(name);
      if (!r) r = PlainAttribute(in, v, name);
    }
    if (r) return *r;
    if (a.positional.size() == 3) return a.positional[2];
    const std::string type_name =
        v.is_tensor() ? "tensorflow.python.framework.ops.EagerTensor"
                      : v.TypeName();
    RaiseText(ErrorClass::kAttributeError,
              "'" + type_name + "' object has no attribute '" + name + "'");
  });
  Install(in, scope, "callable", [](Interpreter&, const CallArgs& a) {
    ArgCount("callable", a, 1, 1);
    const Value& v = a.positional[0];
    return Value::Bool(v.kind() == VK::kObject &&
                       dynamic_cast<Callable*>(v.as_object().get()));
  });
  Install(in, scope, "format", [](Interpreter& in, const CallArgs& a) {
    ArgCount("format", a, 1, 2);
    std::string spec;
    if (a.positional.size() == 2) {
      if (a.positional[1].kind() != VK::kStr)
        RaiseTypeError("format() argument 2 must be str, not " +
                       a.positional[1].TypeName());
      spec = a.positional[1].as_str();
    }
    return Value::Str(FormatValue(in, a.positional[0], spec));
  });
  Install(in, scope, "pow", [](Interpreter& in, const CallArgs& a) {
    ArgCount("pow", a, 2, 2);
    return BinaryOp(in, "**", a.positional[0], a.positional[1]);
  });
  Install(in, scope, "divmod", [](Interpreter& in, const CallArgs& a) {
    ArgCount("divmod", a, 2, 2);
    return Value::Tuple({BinaryOp(in, "//", a.positional[0], a.positional[1]),
                         BinaryOp(in, "%", a.positional[0], a.positional[1])});
  });
  Install(in, scope, "ord", [](Interpreter&, const CallArgs& a) {
    ArgCount("ord", a, 1, 1);
    const Value& v = a.positional[0];
    if (v.kind() != VK::kStr)
      RaiseTypeError("ord() expected string of length 1, but " + v.TypeName() +
                     " found");
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
  });
  Install(in, scope, "chr", [](Interpreter&, const CallArgs& a) {
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
  });
  // Valid Python the playground does not model: a clear NotSupportedError
  // instead of a misleading NameError.
  for (const char* name :
       {"input",       "open",       "eval",       "exec",     "compile",
        "globals",     "locals",     "vars",       "dir",      "map",
        "filter",      "iter",       "next",       "set",      "frozenset",
        "setattr",     "delattr",    "hash",       "id",       "hex",
        "bin",         "oct",        "super",      "property", "staticmethod",
        "classmethod", "bytes",      "bytearray",  "complex",  "memoryview",
        "slice",       "issubclass", "__import__", "help",     "breakpoint",
        "exit",        "quit",       "ascii",      "aiter",    "anext"}) {
    const std::string n = name;
    Install(in, scope, n, [n](Interpreter&, const CallArgs&) -> Value {
      RaiseText(ErrorClass::kNotSupportedError,
                "the builtin " + n + "() is not supported by the playground");
    });
  }
}

// ------------------------------------------------------------- methods

namespace {

const char* const kStrMethods[] = {
    "format",  "join",    "split",   "rsplit",  "upper",      "lower",
    "strip",   "lstrip",  "rstrip",  "replace", "startswith", "endswith",
    "find",    "rfind",   "index",   "count",   "isdigit",    "isalpha",
    "isalnum", "isspace", "isupper", "islower", "title",      "capitalize",
    "center",  "ljust",   "rjust",   "zfill",   "splitlines"};
const char* const kListMethods[] = {"append", "extend",  "pop",    "insert",
                                    "index",  "count",   "remove", "clear",
                                    "copy",   "reverse", "sort"};
const char* const kTupleMethods[] = {"index", "count"};
const char* const kDictMethods[] = {"get",        "keys", "values",
                                    "items",      "pop",  "update",
                                    "setdefault", "copy", "clear"};
const char* const kShapeMethods[] = {"as_list", "num_elements",
                                     "is_fully_defined", "concatenate"};

template <size_t N>
bool In(const char* const (&list)[N], std::string_view name) {
  for (const char* m : list) {
    if (name == m) return true;
  }
  return false;
}

int64_t FindIndex(Interpreter& in, const ValueList& items, const Value& x,
                  const CallArgs& a, const char* what) {
  const int64_t n = static_cast<int64_t>(items.size());
  int64_t start = a.positional.size() > 1 ? AsIndex(a.positional[1]) : 0;
  int64_t stop = a.positional.size() > 2 ? AsIndex(a.positional[2]) : n;
  if (start < 0) start = std::max<int64_t>(0, start + n);
  if (stop < 0) stop = std::max<int64_t>(0, stop + n);
  for (int64_t i = start; i < std::min(stop, n); ++i) {
    in.ChargeWork(1);
    if (PyEqual(in, items[static_cast<size_t>(i)], x)) return i;
  }
  RaiseValueError(std::string(what));
}

const std::string& StrArg(const CallArgs& a, size_t i,
                          const std::string& method) {
  const Value& v = a.positional[i];
  if (v.kind() != VK::kStr) {
    RaiseTypeError(method + "() argument " + std::to_string(i + 1) +
                   " must be str, not " + v.TypeName());
  }
  return v.as_str();
}

Value SplitStr(Interpreter& in, const std::string& s, const CallArgs& a,
               bool right) {
  OnlyKeywords(right ? "rsplit" : "split", a, {"sep", "maxsplit"});
  std::optional<Value> sep = a.positional.size() > 0
                                 ? a.positional[0]
                                 : KeywordArg(a, "sep").value_or(Value::None());
  int64_t maxsplit =
      a.positional.size() > 1
          ? AsIndex(a.positional[1])
          : AsIndex(KeywordArg(a, "maxsplit").value_or(Value::Int(-1)));
  ValueList out;
  if (!sep || sep->is_none()) {
    std::vector<std::string> words;
    size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && kWhitespace.find(s[i]) != std::string::npos) ++i;
      if (i >= s.size()) break;
      size_t j = i;
      while (j < s.size() && kWhitespace.find(s[j]) == std::string::npos) ++j;
      words.push_back(s.substr(i, j - i));
      i = j;
    }
    if (maxsplit >= 0 && static_cast<int64_t>(words.size()) > maxsplit + 1) {
      // Rejoin the tail from the original text.
      std::vector<std::string> head;
      size_t pos = 0;
      if (!right) {
        for (int64_t k = 0; k < maxsplit; ++k) {
          while (kWhitespace.find(s[pos]) != std::string::npos) ++pos;
          size_t j = pos;
          while (j < s.size() && kWhitespace.find(s[j]) == std::string::npos)
            ++j;
          head.push_back(s.substr(pos, j - pos));
          pos = j;
        }
        while (pos < s.size() && kWhitespace.find(s[pos]) != std::string::npos)
          ++pos;
        head.push_back(Strip(s.substr(pos), kWhitespace, false, true));
        words = head;
      } else {
        std::vector<std::string> tail(words.end() - maxsplit, words.end());
        size_t end = s.size();
        for (int64_t k = 0; k < maxsplit; ++k) {
          while (end > 0 && kWhitespace.find(s[end - 1]) != std::string::npos)
            --end;
          while (end > 0 && kWhitespace.find(s[end - 1]) == std::string::npos)
            --end;
        }
        words.clear();
        words.push_back(Strip(s.substr(0, end), kWhitespace, true, true));
        words.insert(words.end(), tail.begin(), tail.end());
      }
    }
    for (std::string& w : words) out.push_back(Value::Str(std::move(w)));
    in.ChargeWork(static_cast<int64_t>(out.size()));
    return Value::List(std::move(out));
  }
  if (sep->kind() != VK::kStr)
    RaiseTypeError("must be str or None, not " + sep->TypeName());
  const std::string& d = sep->as_str();
  if (d.empty()) RaiseValueError("empty separator");
  std::vector<std::string> parts;
  if (!right) {
    size_t pos = 0;
    while (true) {
      if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) >= maxsplit)
        break;
      const size_t f = s.find(d, pos);
      if (f == std::string::npos) break;
      parts.push_back(s.substr(pos, f - pos));
      pos = f + d.size();
    }
    parts.push_back(s.substr(pos));
  } else {
    size_t end = s.size();
    std::vector<std::string> rev;
    while (true) {
      if (maxsplit >= 0 && static_cast<int64_t>(rev.size()) >= maxsplit) break;
      if (end < d.size()) break;
      const size_t f = s.rfind(d, end - d.size());
      if (f == std::string::npos) break;
      rev.push_back(s.substr(f + d.size(), end - f - d.size()));
      end = f;
    }
    rev.push_back(s.substr(0, end));
    parts.assign(rev.rbegin(), rev.rend());
  }
  for (std::string& p : parts) out.push_back(Value::Str(std::move(p)));
  in.ChargeWork(static_cast<int64_t>(out.size()));
  return Value::List(std::move(out));
}

bool AffixMatch(const std::string& s, const Value& affix, bool start,
                const std::string& method) {
  if (affix.kind() == VK::kTuple) {
    for (const Value& v : affix.items()) {
      if (AffixMatch(s, v, start, method)) return true;
    }
    return false;
  }
  if (affix.kind() != VK::kStr) {
    RaiseTypeError(method + " first arg must be str or a tuple of str, not " +
                   affix.TypeName());
  }
  const std::string& x = affix.as_str();
  if (x.size() > s.size()) return false;
  return start ? s.compare(0, x.size(), x) == 0
               : s.compare(s.size() - x.size(), x.size(), x) == 0;
}

Value StrMethod(Interpreter& in, const std::string& s, const std::string& m,
                const CallArgs& a) {
  if (m == "format") return Value::Str(StrFormat(in, s, a));
  NoKeywords(m, a);
  const ValueList& p = a.positional;
  auto need = [&](size_t lo, size_t hi) { ArgCount(m, a, lo, hi); };
  if (m == "join") {
    need(1, 1);
    std::string out;
    size_t i = 0;
    Iterate(in, p[0], [&](const Value& v) {
      if (v.kind() != VK::kStr) {
        RaiseTypeError("sequence item " + std::to_string(i) +
                       ": expected str instance, " + v.TypeName() + " found");
      }
      if (i++) out += s;
      out += v.as_str();
      in.CheckLength(static_cast<int64_t>(out.size()), "joined string");
      return true;
    });
    return Value::Str(std::move(out));
  }
  if (m == "split" || m == "rsplit") return SplitStr(in, s, a, m == "rsplit");
  if (m == "upper" || m == "lower" || m == "title" || m == "capitalize") {
    need(0, 0);
    std::string out = s;
    bool start = true;
    for (size_t i = 0; i < out.size(); ++i) {
      char& c = out[i];
      const bool alpha = std::isalpha(static_cast<unsigned char>(c));
      if (m == "upper")
        c = static_cast<char>(std::toupper(c));
      else if (m == "lower")
        c = static_cast<char>(std::tolower(c));
      else if (m == "capitalize")
        c = static_cast<char>(i == 0 ? std::toupper(c) : std::tolower(c));
      else {
        c = static_cast<char>(start ? std::toupper(c) : std::tolower(c));
        start = !alpha;
      }
    }
    return Value::Str(out);
  }
  if (m == "strip" || m == "lstrip" || m == "rstrip") {
    need(0, 1);
    std::string chars = kWhitespace;
    if (!p.empty() && !p[0].is_none()) chars = StrArg(a, 0, m);
    return Value::Str(Strip(s, chars, m != "rstrip", m != "lstrip"));
  }
  if (m == "replace") {
    need(2, 3);
    const std::string& old = StrArg(a, 0, m);
    const std::string& rep = StrArg(a, 1, m);
    int64_t count = p.size() > 2 ? AsIndex(p[2]) : -1;
    std::string out;
    if (old.empty()) {
      const std::vector<std::string> chars = Utf8Chars(s);
      int64_t done = 0;
      for (const std::string& c : chars) {
        if (count < 0 || done < count) {
          out += rep;
          ++done;
        }
        out += c;
        in.CheckLength(static_cast<int64_t>(out.size()), "string");
      }
      if (count < 0 || done < count) out += rep;
      return Value::Str(out);
    }
    size_t pos = 0;
    int64_t done = 0;
    while (count < 0 || done < count) {
      const size_t f = s.find(old, pos);
      if (f == std::string::npos) break;
      out += s.substr(pos, f - pos) + rep;
      in.CheckLength(static_cast<int64_t>(out.size()), "string");
      pos = f + old.size();
      ++done;
    }
    out += s.substr(pos);
    return Value::Str(out);
  }
  if (m == "startswith" || m == "endswith") {
    need(1, 1);
    return Value::Bool(AffixMatch(s, p[0], m == "startswith", m));
  }
  if (m == "find" || m == "rfind" || m == "index" || m == "count") {
    need(1, 1);
    const std::string& x = StrArg(a, 0, m);
    if (m == "count") {
      if (x.empty()) return Value::Int(Utf8Length(s) + 1);
      int64_t n = 0;
      for (size_t pos = s.find(x); pos != std::string::npos;
           pos = s.find(x, pos + x.size()))
        ++n;
      return Value::Int(n);
    }
    const size_t f = m == "rfind" ? s.rfind(x) : s.find(x);
    if (f == std::string::npos) {
      if (m == "index") RaiseValueError("substring not found");
      return Value::Int(-1);
    }
    return Value::Int(Utf8Length(s.substr(0, f)));
  }
  if (m == "isdigit" || m == "isalpha" || m == "isalnum" || m == "isspace" ||
      m == "isupper" || m == "islower") {
    need(0, 0);
    if (s.empty()) return Value::Bool(false);
    bool any_cased = false;
    for (unsigned char c : s) {
      if (m == "isdigit" && !std::isdigit(c)) return Value::Bool(false);
      if (m == "isalpha" && !std::isalpha(c)) return Value::Bool(false);
      if (m == "isalnum" && !std::isalnum(c)) return Value::Bool(false);
      if (m == "isspace" && !std::isspace(c)) return Value::Bool(false);
      if (m == "isupper" && std::islower(c)) return Value::Bool(false);
      if (m == "islower" && std::isupper(c)) return Value::Bool(false);
      any_cased = any_cased || std::isalpha(c);
    }
    if (m == "isupper" || m == "islower") return Value::Bool(any_cased);
    return Value::Bool(true);
  }
  if (m == "center" || m == "ljust" || m == "rjust") {
    need(1, 2);
    const int64_t width = AsIndex(p[0]);
    std::string fill = " ";
    if (p.size() > 1) {
      fill = StrArg(a, 1, m);
      if (Utf8Length(fill) != 1)
        RaiseTypeError("The fill character must be exactly one character long");
    }
    in.CheckLength(width, "string");
    const int64_t len = Utf8Length(s);
    if (width <= len) return Value::Str(s);
    const int64_t pad = width - len;
    int64_t left = m == "ljust"   ? 0
                   : m == "rjust" ? pad
                                  : pad / 2 + (pad & width & 1);
    std::string out;
    for (int64_t i = 0; i < left; ++i) out += fill;
    out += s;
    for (int64_t i = 0; i < pad - left; ++i) out += fill;
    return Value::Str(out);
  }
  if (m == "zfill") {
    need(1, 1);
    const int64_t width = AsIndex(p[0]);
    in.CheckLength(width, "string");
    const int64_t len = Utf8Length(s);
    if (width <= len) return Value::Str(s);
    std::string zeros(static_cast<size_t>(width - len), '0');
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
      return Value::Str(s.substr(0, 1) + zeros + s.substr(1));
    }
    return Value::Str(zeros + s);
  }
  if (m == "splitlines") {
    need(0, 0);
    ValueList out;
    size_t pos = 0;
    while (pos < s.size()) {
      size_t e = s.find_first_of("\r\n", pos);
      if (e == std::string::npos) {
        out.push_back(Value::Str(s.substr(pos)));
        break;
      }
      out.push_back(Value::Str(s.substr(pos, e - pos)));
      pos =
          e + ((s[e] == '\r' && e + 1 < s.size() && s[e + 1] == '\n') ? 2 : 1);
    }
    return Value::List(std::move(out));
  }
  RaiseText(ErrorClass::kAttributeError,
            "'str' object has no attribute '" + m + "'");
}

Value ListMethod(Interpreter& in, const Value& self, const std::string& m,
                 const CallArgs& a) {
  ValueList& items = self.items();
  const ValueList& p = a.positional;
  if (m == "sort") {
    OnlyKeywords("sort", a, {"key", "reverse"});
    if (!p.empty()) RaiseTypeError("sort() takes no positional arguments");
    ValueList sorted =
        Sorted(in, items, KeywordArg(a, "key").value_or(Value::None()),
               Truthy(KeywordArg(a, "reverse").value_or(Value::Bool(false))));
    items = std::move(sorted);
    return Value::None();
  }
  NoKeywords(m, a);
  auto need = [&](size_t lo, size_t hi) { ArgCount(m, a, lo, hi); };
  if (m == "append") {
    need(1, 1);
    in.CheckLength(static_cast<int64_t>(items.size()) + 1, "list");
    CheckNesting(in, p[0]);
    items.push_back(p[0]);
    return Value::None();
  }
  if (m == "extend") {
    need(1, 1);
    ValueList more = ToList(in, p[0]);
    in.CheckLength(static_cast<int64_t>(items.size() + more.size()), "list");
    items.insert(items.end(), more.begin(), more.end());
    return Value::None();
  }
  if (m == "pop") {
    need(0, 1);
    if (items.empty())
      RaiseText(ErrorClass::kIndexError, "pop from empty list");
    int64_t i = p.empty() ? -1 : AsIndex(p[0]);
    const int64_t n = static_cast<int64_t>(items.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n)
      RaiseText(ErrorClass::kIndexError, "pop index out of range");
    Value v = items[static_cast<size_t>(i)];
    items.erase(items.begin() + i);
    return v;
  }
  if (m == "insert") {
    need(2, 2);
    in.CheckLength(static_cast<int64_t>(items.size()) + 1, "list");
    const int64_t n = static_cast<int64_t>(items.size());
    int64_t i = AsIndex(p[0]);
    if (i < 0) i = std::max<int64_t>(0, i + n);
    if (i > n) i = n;
    CheckNesting(in, p[1]);
    items.insert(items.begin() + i, p[1]);
    return Value::None();
  }
  if (m == "index") {
    need(1, 3);
    return Value::Int(FindIndex(in, items, p[0], a,
                                (PyRepr(p[0]) + " is not in list").c_str()));
  }
  if (m == "count") {
    need(1, 1);
    int64_t n = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      in.ChargeWork(1);
      n += PyEqual(in, items[i], p[0]) ? 1 : 0;
    }
    return Value::Int(n);
  }
  if (m == "remove") {
    need(1, 1);
    for (size_t i = 0; i < items.size(); ++i) {
      in.ChargeWork(1);
      if (PyEqual(in, items[i], p[0])) {
        items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
        return Value::None();
      }
    }
    RaiseValueError("list.remove(x): x not in list");
  }
  if (m == "clear") {
    need(0, 0);
    items.clear();
    return Value::None();
  }
  if (m == "copy") {
    need(0, 0);
    in.ChargeWork(static_cast<int64_t>(items.size()));
    return Value::List(items);
  }
  if (m == "reverse") {
    need(0, 0);
    std::reverse(items.begin(), items.end());
    return Value::None();
  }
  RaiseText(ErrorClass::kAttributeError,
            "'list' object has no attribute '" + m + "'");
}

Value DictMethod(Interpreter& in, const Value& self, const std::string& m,
                 const CallArgs& a) {
  DictItems& items = self.dict_items();
  const ValueList& p = a.positional;
  if (m == "update") {
    if (p.size() > 1)
      RaiseTypeError("update expected at most 1 argument, got " +
                     std::to_string(p.size()));
    if (!p.empty()) {
      if (p[0].kind() == VK::kDict) {
        const DictItems other = p[0].dict_items();
        for (const auto& [k, v] : other) SetItem(in, self, k, v);
      } else {
        for (const Value& item : ToList(in, p[0])) {
          ValueList pair = ToList(in, item);
          if (pair.size() != 2)
            RaiseValueError("dictionary update sequence element has length " +
                            std::to_string(pair.size()) + "; 2 is required");
          SetItem(in, self, pair[0], pair[1]);
        }
      }
    }
    for (const auto& [k, v] : a.keywords) SetItem(in, self, Value::Str(k), v);
    return Value::None();
  }
  NoKeywords(m, a);
  auto need = [&](size_t lo, size_t hi) { ArgCount(m, a, lo, hi); };
  if (m == "get") {
    need(1, 2);
    const int64_t i = DictFind(in, self, p[0]);
    if (i >= 0) return items[static_cast<size_t>(i)].second;
    return p.size() > 1 ? p[1] : Value::None();
  }
  if (m == "keys" || m == "values" || m == "items") {
    need(0, 0);
    ValueList out;
    in.ChargeWork(static_cast<int64_t>(items.size()));
    for (const auto& [k, v] : items) {
      if (m == "keys")
        out.push_back(k);
      else if (m == "values")
        out.push_back(v);
      else
        out.push_back(Value::Tuple({k, v}));
    }
    return Value::List(std::move(out));
  }
  if (m == "pop") {
    need(1, 2);
    const int64_t i = DictFind(in, self, p[0]);
    if (i < 0) {
      if (p.size() > 1) return p[1];
      RaiseText(ErrorClass::kKeyError, PyRepr(p[0]));
    }
    Value v = items[static_cast<size_t>(i)].second;
    items.erase(items.begin() + i);
    return v;
  }
  if (m == "setdefault") {
    need(1, 2);
    const int64_t i = DictFind(in, self, p[0]);
    if (i >= 0) return items[static_cast<size_t>(i)].second;
    Value v = p.size() > 1 ? p[1] : Value::None();
    SetItem(in, self, p[0], v);
    return v;
  }
  if (m == "copy") {
    need(0, 0);
    return Value::Dict(items);
  }
  if (m == "clear") {
    need(0, 0);
    items.clear();
    return Value::None();
  }
  RaiseText(ErrorClass::kAttributeError,
            "'dict' object has no attribute '" + m + "'");
}

Value CallMethod(Interpreter& in, const Value& self, const std::string& m,
                 const CallArgs& a) {
  switch (self.kind()) {
    case VK::kStr:
      return StrMethod(in, self.as_str(), m, a);
    case VK::kList:
      return ListMethod(in, self, m, a);
    case VK::kDict:
      return DictMethod(in, self, m, a);
    case VK::kTuple:
      ArgCount(m, a, 1, m == "index" ? 3 : 1);
      if (m == "index") {
        return Value::Int(FindIndex(in, self.items(), a.positional[0], a,
                                    "tuple.index(x): x not in tuple"));
      }
      {
        int64_t n = 0;
        for (const Value& v : self.items())
          n += PyEqual(in, v, a.positional[0]) ? 1 : 0;
        return Value::Int(n);
      }
    case VK::kShape: {
      if (m == "concatenate") {
        ArgCount(m, a, 1, 1);
        return BinaryOp(in, "+", self, a.positional[0]);
      }
      ArgCount(m, a, 0, 0);
      if (m == "as_list") return Value::List(self.items());
      if (m == "is_fully_defined") return Value::Bool(true);
      int64_t n = 1;
      for (const Value& d : self.items()) n = CheckedMul(n, d.as_int());
      return Value::Int(n);
    }
    case VK::kFloat:
      ArgCount(m, a, 0, 0);
      return Value::Bool(std::isfinite(self.as_float()) &&
                         self.as_float() == std::floor(self.as_float()));
    default:
      break;
  }
  RaiseText(ErrorClass::kAttributeError,
            "'" + self.TypeName() + "' object has no attribute '" + m + "'");
}

// ---- str.format

Value FieldValue(Interpreter& in, const std::string& field, const CallArgs& a,
                 size_t& auto_index, bool& used_auto, bool& used_manual) {
  // field_name: arg_name ("." attribute | "[" index "]")*
  size_t i = 0;
  while (i < field.size() && field[i] != '.' && field[i] != '[') ++i;
  const std::string head = field.substr(0, i);
  Value v;
  if (head.empty()) {
    if (used_manual)
      RaiseValueError(
          "cannot switch from manual field specification to automatic field "
          "numbering");
    used_auto = true;
    if (auto_index >= a.positional.size()) {
      RaiseText(ErrorClass::kIndexError,
                "Replacement index " + std::to_string(auto_index) +
                    " out of range for positional args tuple");
    }
    v = a.positional[auto_index++];
  } else if (std::isdigit(static_cast<unsigned char>(head[0]))) {
    if (used_auto)
      RaiseValueError(
          "cannot switch from automatic field numbering to manual field "
          "specification");
    used_manual = true;
    const size_t idx =
        static_cast<size_t>(std::strtoull(head.c_str(), nullptr, 10));
    if (idx >= a.positional.size()) {
      RaiseText(ErrorClass::kIndexError,
                "Replacement index " + head +
                    " out of range for positional args tuple");
    }
    v = a.positional[idx];
  } else {
    std::optional<Value> k = KeywordArg(a, head);
    if (!k) RaiseText(ErrorClass::kKeyError, PyRepr(Value::Str(head)));
    v = *k;
  }
  while (i < field.size()) {
    if (field[i] == '.') {
      size_t j = i + 1;
      while (j < field.size() && field[j] != '.' && field[j] != '[') ++j;
      const std::string attr = field.substr(i + 1, j - i - 1);
      std::optional<Value> r;
      if (v.is_tensor())
        r = TensorAttribute(v, attr, in.ctx());
      else if (v.kind() == VK::kObject)
        r = v.as_object()->GetAttr(attr);
      if (!r) r = PlainAttribute(in, v, attr);
      if (!r)
        RaiseText(
            ErrorClass::kAttributeError,
            "'" + v.TypeName() + "' object has no attribute '" + attr + "'");
      v = *r;
      i = j;
    } else {
      const size_t j = field.find(']', i);
      if (j == std::string::npos)
        RaiseValueError("Missing ']' in format string");
      const std::string key = field.substr(i + 1, j - i - 1);
      const bool numeric =
          !key.empty() &&
          key.find_first_not_of("0123456789") == std::string::npos;
      v = GetItem(in, v,
                  numeric ? Value::Int(std::stoll(key.substr(0, 18)))
                          : Value::Str(key));
      i = j + 1;
    }
  }
  return v;
}

std::string FormatTemplate(Interpreter& in, const std::string& fmt,
                           const CallArgs& a, size_t& auto_index,
                           bool& used_auto, bool& used_manual, int depth) {
  if (depth > 2) RaiseValueError("Max string recursion exceeded");
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    const char c = fmt[i];
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
        out += '}';
        ++i;
        continue;
      }
      RaiseValueError("Single '}' encountered in format string");
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    // Find the matching '}' (the spec may nest one level of fields).
    size_t j = i + 1;
    int level = 1;
    while (j < fmt.size()) {
      if (fmt[j] == '{') ++level;
      if (fmt[j] == '}' && --level == 0) break;
      ++j;
    }
    if (j >= fmt.size()) {
      RaiseValueError(level > 1 ? "unmatched '{' in format spec"
                                : "Single '{' encountered in format string");
    }
    const std::string body = fmt.substr(i + 1, j - i - 1);
    size_t k = 0;
    while (k < body.size() && body[k] != '!' && body[k] != ':') {
      if (body[k] == '[') {
        while (k < body.size() && body[k] != ']') ++k;
      }
      if (k < body.size()) ++k;
    }
    const std::string field = body.substr(0, std::min(k, body.size()));
    char conv = 0;
    std::string spec;
    if (k < body.size() && body[k] == '!') {
      if (k + 1 >= body.size())
        RaiseValueError("end of string while looking for conversion specifier");
      conv = body[k + 1];
      if (conv != 'r' && conv != 's' && conv != 'a') {
        RaiseValueError(std::string("Unknown conversion specifier ") + conv);
      }
      k += 2;
      if (k < body.size() && body[k] != ':')
        RaiseValueError("expected ':' after conversion specifier");
    }
    if (k < body.size() && body[k] == ':') {
      spec = FormatTemplate(in, body.substr(k + 1), a, auto_index, used_auto,
                            used_manual, depth + 1);
    }
    Value v = FieldValue(in, field, a, auto_index, used_auto, used_manual);
    if (conv == 'r' || conv == 'a') v = Value::Str(PyRepr(v));
    if (conv == 's') v = Value::Str(PyStr(v));
    out += FormatValue(in, v, spec);
    in.CheckLength(static_cast<int64_t>(out.size()), "formatted string");
    i = j;
  }
  return out;
}

std::string StrFormat(Interpreter& in, const std::string& fmt,
                      const CallArgs& args) {
  size_t auto_index = 0;
  bool used_auto = false, used_manual = false;
  return FormatTemplate(in, fmt, args, auto_index, used_auto, used_manual, 0);
}

}  // namespace

std::optional<Value> PlainAttribute(Interpreter& in, const Value& v,
                                    std::string_view name) {
  const std::string n(name);
  auto bound = [&]() {
    return Value::FromObject(std::make_shared<BoundMethod>(&in, v, n));
  };
  switch (v.kind()) {
    case VK::kStr:
      if (In(kStrMethods, name)) return bound();
      break;
    case VK::kList:
      if (In(kListMethods, name)) return bound();
      break;
    case VK::kTuple:
      if (In(kTupleMethods, name)) return bound();
      break;
    case VK::kDict:
      if (In(kDictMethods, name)) return bound();
      break;
    case VK::kShape:
      if (In(kShapeMethods, name)) return bound();
      if (name == "rank" || name == "ndims") {
        return Value::Int(static_cast<int64_t>(v.items().size()));
      }
      if (name == "dims") return Value::List(v.items());
      break;
    case VK::kDType:
      if (name == "name")
        return Value::Str(std::string(DTypeName(v.as_dtype())));
      if (name == "is_floating")
        return Value::Bool(v.as_dtype() == DType::kFloat32);
      if (name == "is_integer")
        return Value::Bool(v.as_dtype() == DType::kInt32);
      if (name == "is_bool") return Value::Bool(v.as_dtype() == DType::kBool);
      break;
    case VK::kFloat:
      if (name == "is_integer") return bound();
      if (name == "real") return v;
      if (name == "imag") return Value::Float(0);
      break;
    case VK::kInt:
    case VK::kBool:
      if (name == "real" || name == "numerator") return Value::Int(v.as_int());
      if (name == "imag") return Value::Int(0);
      if (name == "denominator") return Value::Int(1);
      break;
    case VK::kObject:
      if (auto* r = dynamic_cast<const RangeObject*>(v.as_object().get())) {
        if (name == "start") return Value::Int(r->start);
        if (name == "stop") return Value::Int(r->stop);
        if (name == "step") return Value::Int(r->step);
      }
      break;
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace ap::interp
