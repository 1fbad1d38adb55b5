// The methods of list, tuple and dict.
#include <algorithm>

#include "../error.h"
#include "../repr.h"
#include "builtin_support.h"
#include "dict_views.h"
#include "object_ops.h"
#include "runtime.h"

namespace ap::py {

namespace {

using VK = Value::Kind;

int64_t FindIndex(RunContext& ctx, const ValueList& items, const Value& x,
                  const CallArgs& a, const char* what) {
  const int64_t n = static_cast<int64_t>(items.size());
  int64_t start = a.positional.size() > 1 ? AsIndex(a.positional[1]) : 0;
  int64_t stop = a.positional.size() > 2 ? AsIndex(a.positional[2]) : n;
  if (start < 0) start = std::max<int64_t>(0, start + n);
  if (stop < 0) stop = std::max<int64_t>(0, stop + n);
  for (int64_t i = start; i < std::min(stop, n); ++i) {
    RuntimeOf(ctx).ChargeWork(1);
    if (PyEqual(ctx, items[static_cast<size_t>(i)], x)) return i;
  }
  RaiseValueError(std::string(what));
}

}  // namespace

Value ListMethod(RunContext& ctx, const Value& self, const std::string& m,
                 const CallArgs& a) {
  ValueList& items = self.items();
  const ValueList& p = a.positional;
  if (m == "sort") {
    OnlyKeywords("sort", a, {"key", "reverse"});
    if (!p.empty()) RaiseTypeError("sort() takes no positional arguments");
    ValueList sorted = Sorted(
        ctx, items, KeywordArg(a, "key").value_or(Value::None()),
        IsTrue(ctx, KeywordArg(a, "reverse").value_or(Value::Bool(false))));
    items = std::move(sorted);
    return Value::None();
  }
  NoKeywords(m, a);
  auto need = [&](size_t lo, size_t hi) { ArgCount(m, a, lo, hi); };
  if (m == "append") {
    need(1, 1);
    RuntimeOf(ctx).CheckLength(static_cast<int64_t>(items.size()) + 1, "list");
    CheckNesting(ctx, p[0]);
    items.push_back(p[0]);
    return Value::None();
  }
  if (m == "extend") {
    need(1, 1);
    ValueList more = ToList(ctx, p[0]);
    RuntimeOf(ctx).CheckLength(static_cast<int64_t>(items.size() + more.size()),
                               "list");
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
    RuntimeOf(ctx).CheckLength(static_cast<int64_t>(items.size()) + 1, "list");
    const int64_t n = static_cast<int64_t>(items.size());
    int64_t i = AsIndex(p[0]);
    if (i < 0) i = std::max<int64_t>(0, i + n);
    if (i > n) i = n;
    CheckNesting(ctx, p[1]);
    items.insert(items.begin() + i, p[1]);
    return Value::None();
  }
  if (m == "index") {
    need(1, 3);
    return Value::Int(FindIndex(ctx, items, p[0], a,
                                (PyRepr(p[0]) + " is not in list").c_str()));
  }
  if (m == "count") {
    need(1, 1);
    int64_t n = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      RuntimeOf(ctx).ChargeWork(1);
      n += PyEqual(ctx, items[i], p[0]) ? 1 : 0;
    }
    return Value::Int(n);
  }
  if (m == "remove") {
    need(1, 1);
    for (size_t i = 0; i < items.size(); ++i) {
      RuntimeOf(ctx).ChargeWork(1);
      if (PyEqual(ctx, items[i], p[0])) {
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
    RuntimeOf(ctx).ChargeWork(static_cast<int64_t>(items.size()));
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

Value DictMethod(RunContext& ctx, const Value& self, const std::string& m,
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
        for (const auto& [k, v] : other) SetItem(ctx, self, k, v);
      } else {
        for (const Value& item : ToList(ctx, p[0])) {
          ValueList pair = ToList(ctx, item);
          if (pair.size() != 2)
            RaiseValueError("dictionary update sequence element has length " +
                            std::to_string(pair.size()) + "; 2 is required");
          SetItem(ctx, self, pair[0], pair[1]);
        }
      }
    }
    for (const auto& [k, v] : a.keywords) SetItem(ctx, self, Value::Str(k), v);
    return Value::None();
  }
  NoKeywords(m, a);
  auto need = [&](size_t lo, size_t hi) { ArgCount(m, a, lo, hi); };
  if (m == "get") {
    need(1, 2);
    const int64_t i = DictFind(ctx, self, p[0]);
    if (i >= 0) return items[static_cast<size_t>(i)].second;
    return p.size() > 1 ? p[1] : Value::None();
  }
  if (m == "keys" || m == "values" || m == "items") {
    need(0, 0);
    return MakeDictView(self, m == "keys"     ? DictViewKind::kKeys
                              : m == "values" ? DictViewKind::kValues
                                              : DictViewKind::kItems);
  }
  if (m == "pop") {
    need(1, 2);
    const int64_t i = DictFind(ctx, self, p[0]);
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
    const int64_t i = DictFind(ctx, self, p[0]);
    if (i >= 0) return items[static_cast<size_t>(i)].second;
    Value v = p.size() > 1 ? p[1] : Value::None();
    SetItem(ctx, self, p[0], v);
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

Value TupleMethod(RunContext& ctx, const Value& self, const std::string& m,
                  const CallArgs& a) {
  ArgCount(m, a, 1, m == "index" ? 3 : 1);
  if (m == "index") {
    return Value::Int(FindIndex(ctx, self.items(), a.positional[0], a,
                                "tuple.index(x): x not in tuple"));
  }
  int64_t n = 0;
  for (const Value& v : self.items()) {
    n += PyEqual(ctx, v, a.positional[0]) ? 1 : 0;
  }
  return Value::Int(n);
}

}  // namespace ap::py
