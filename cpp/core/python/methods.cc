// Attributes and bound methods of plain values: str, list, tuple, dict,
// TensorShape, DType, numbers, range. The methods of each type are a
// constant name table here and a file of their own (str_methods.cc,
// container_methods.cc).
#include <cmath>

#include "../error.h"
#include "../repr.h"
#include "builtin_support.h"
#include "builtins.h"
#include "object_ops.h"
#include "runtime.h"
#include "text.h"

namespace ap::py {

namespace {

using VK = Value::Kind;

Value CallMethod(RunContext& ctx, const Value& self, const std::string& name,
                 const CallArgs& args);

// A method bound to its value: "abc".upper, xs.append.
class BoundMethod : public Callable {
 public:
  BoundMethod(Value self, std::string name)
      : self_(std::move(self)), name_(std::move(name)) {}
  std::string TypeName() const override { return "builtin_function_or_method"; }
  std::string Repr() const override {
    return "<built-in method " + name_ + " of " + self_.TypeName() + " object>";
  }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    RuntimeOf(ctx);  // a method kept past its run fails as before
    return CallMethod(ctx, self_, name_, args);
  }

 private:
  Value self_;
  std::string name_;
};

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

// Special methods called by name (xs.__len__()): what the builtin does.
const char* const kContainerDunders[] = {"__len__", "__getitem__",
                                         "__contains__", "__repr__", "__str__"};

bool IsContainer(const Value& v) {
  return v.kind() == VK::kStr || v.kind() == VK::kList ||
         v.kind() == VK::kTuple || v.kind() == VK::kDict;
}

Value CallMethod(RunContext& ctx, const Value& self, const std::string& m,
                 const CallArgs& a) {
  if (IsContainer(self) && In(kContainerDunders, m)) {
    NoKeywords(m, a);
    const size_t want = m == "__getitem__" || m == "__contains__" ? 1 : 0;
    if (a.positional.size() != want) {
      // CPython 3.11: list's and dict's __getitem__ and dict's
      // __contains__ are methods; the others slot wrappers.
      const bool method = (m == "__getitem__" && (self.kind() == VK::kList ||
                                                  self.kind() == VK::kDict)) ||
                          (m == "__contains__" && self.kind() == VK::kDict);
      RaiseTypeError(method
                         ? self.TypeName() + "." + m +
                               "() takes exactly one argument (" +
                               std::to_string(a.positional.size()) + " given)"
                         : "expected " + std::to_string(want) + " argument" +
                               (want == 1 ? "" : "s") + ", got " +
                               std::to_string(a.positional.size()));
    }
    if (m == "__len__") return Value::Int(Length(self));
    if (m == "__repr__" || m == "__str__") {
      return Value::Str(m == "__repr__" ? PyRepr(self) : PyStr(self));
    }
    if (m == "__getitem__") return GetItem(ctx, self, a.positional[0]);
    return Value::Bool(Contains(ctx, self, a.positional[0]));
  }
  switch (self.kind()) {
    case VK::kStr:
      return StrMethod(ctx, self.as_str(), m, a);
    case VK::kList:
      return ListMethod(ctx, self, m, a);
    case VK::kDict:
      return DictMethod(ctx, self, m, a);
    case VK::kTuple:
      return TupleMethod(ctx, self, m, a);
    case VK::kShape: {
      if (m == "concatenate") {
        ArgCount(m, a, 1, 1);
        return BinaryOp(ctx, "+", self, a.positional[0]);
      }
      ArgCount(m, a, 0, 0);
      if (m == "as_list") return Value::List(self.items());
      if (m == "is_fully_defined") {
        return Value::Bool(self.shape_fully_defined());
      }
      if (!self.shape_fully_defined()) return Value::None();
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

}  // namespace

std::optional<Value> PlainAttribute(const Value& v, std::string_view name) {
  const std::string n(name);
  auto bound = [&]() {
    return Value::FromObject(std::make_shared<BoundMethod>(v, n));
  };
  if (IsContainer(v) && In(kContainerDunders, name)) return bound();
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

}  // namespace ap::py
