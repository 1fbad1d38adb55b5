// The iterator builtins: iter, next, zip, enumerate, map, filter, reversed
// (iterators.h has the iterator object).
#include <memory>
#include <utility>
#include <vector>

#include "../error.h"
#include "builtin_support.h"
#include "classes.h"
#include "iterators.h"
#include "object_ops.h"
#include "runtime.h"
#include "text.h"

namespace ap::py {

namespace {

using VK = Value::Kind;

// iter(v): an iterator over the live container, as CPython's are.
Value GetIterator(RunContext& ctx, const Value& v) {
  if (IsIterator(v)) return v;
  switch (v.kind()) {
    case VK::kList:
    case VK::kTuple:
    case VK::kShape: {
      auto i = std::make_shared<size_t>(0);
      return MakeIterator(
          ctx, v.kind() == VK::kList ? "list_iterator" : "tuple_iterator",
          [v, i](RunContext&) -> std::optional<Value> {
            if (*i >= v.items().size()) return std::nullopt;
            return v.items()[(*i)++];
          });
    }
    case VK::kStr: {
      auto chars =
          std::make_shared<std::vector<std::string>>(Utf8Chars(v.as_str()));
      const bool ascii = chars->size() == v.as_str().size();
      auto i = std::make_shared<size_t>(0);
      return MakeIterator(ctx, ascii ? "str_ascii_iterator" : "str_iterator",
                          [chars, i](RunContext&) -> std::optional<Value> {
                            if (*i >= chars->size()) return std::nullopt;
                            return Value::Str((*chars)[(*i)++]);
                          });
    }
    case VK::kDict: {
      auto i = std::make_shared<size_t>(0);
      const size_t n = v.dict_items().size();
      return MakeIterator(ctx, "dict_keyiterator",
                          [v, i, n](RunContext&) -> std::optional<Value> {
                            if (v.dict_items().size() != n) {
                              RaiseText(
                                  ErrorClass::kRuntimeError,
                                  "dictionary changed size during iteration");
                            }
                            if (*i >= n) return std::nullopt;
                            return v.dict_items()[(*i)++].first;
                          });
    }
    default:
      break;
  }
  if (v.kind() == VK::kObject) {
    if (auto* r = dynamic_cast<const RangeObject*>(v.as_object().get())) {
      auto i = std::make_shared<int64_t>(0);
      const RangeObject range = *r;
      return MakeIterator(ctx, "range_iterator",
                          [range, i](RunContext&) -> std::optional<Value> {
                            if (*i >= range.Length()) return std::nullopt;
                            return Value::Int(range.At((*i)++));
                          });
    }
    if (std::optional<Value> it = CallSpecialMethod(ctx, v, "__iter__", {})) {
      if (!IsIterator(*it)) {
        RaiseTypeError("iter() returned non-iterator of type '" +
                       it->TypeName() + "'");
      }
      return *it;
    }
  }
  if (IsIterable(v)) {  // a tensor: its rows
    auto items = std::make_shared<ValueList>(ToList(ctx, v));
    auto i = std::make_shared<size_t>(0);
    return MakeIterator(ctx, "iterator",
                        [items, i](RunContext&) -> std::optional<Value> {
                          if (*i >= items->size()) return std::nullopt;
                          return (*items)[(*i)++];
                        });
  }
  RaiseTypeError("'" + v.TypeName() + "' object is not iterable");
}

std::vector<Value> Iterators(RunContext& ctx, const ValueList& values,
                             size_t from) {
  std::vector<Value> out;
  for (size_t i = from; i < values.size(); ++i) {
    out.push_back(GetIterator(ctx, values[i]));
  }
  return out;
}

}  // namespace

Value IterBuiltin(RunContext& ctx, const CallArgs& a) {
  ArgCount("iter", a, 1, 1);
  return GetIterator(ctx, a.positional[0]);
}

Value NextBuiltin(RunContext& ctx, const CallArgs& a) {
  ArgCount("next", a, 1, 2);
  const Value& it = a.positional[0];
  if (!IsIterator(it)) {
    RaiseTypeError("'" + it.TypeName() + "' object is not an iterator");
  }
  if (std::optional<Value> item = NextItem(ctx, it)) return *item;
  if (a.positional.size() == 2) return a.positional[1];
  RaiseStopIteration(ctx);
}

Value ZipBuiltin(RunContext& ctx, const CallArgs& a) {
  OnlyKeywords("zip", a, {"strict"});
  auto its =
      std::make_shared<std::vector<Value>>(Iterators(ctx, a.positional, 0));
  return MakeIterator(ctx, "zip", [its](RunContext& c) -> std::optional<Value> {
    if (its->empty()) return std::nullopt;
    ValueList t;
    for (const Value& it : *its) {
      std::optional<Value> item = NextItem(c, it);
      if (!item) return std::nullopt;
      t.push_back(std::move(*item));
    }
    return Value::Tuple(std::move(t));
  });
}

Value EnumerateBuiltin(RunContext& ctx, const CallArgs& a) {
  OnlyKeywords("enumerate", a, {"iterable", "start"});
  if (a.positional.empty() || a.positional.size() > 2) {
    RaiseTypeError("enumerate() takes at most 2 arguments");
  }
  auto i = std::make_shared<int64_t>(
      a.positional.size() == 2
          ? AsIndex(a.positional[1])
          : AsIndex(KeywordArg(a, "start").value_or(Value::Int(0))));
  Value it = GetIterator(ctx, a.positional[0]);
  return MakeIterator(ctx, "enumerate",
                      [it, i](RunContext& c) -> std::optional<Value> {
                        std::optional<Value> item = NextItem(c, it);
                        if (!item) return std::nullopt;
                        return Value::Tuple({Value::Int((*i)++), *item});
                      });
}

Value MapBuiltin(RunContext& ctx, const CallArgs& a) {
  NoKeywords("map", a);
  if (a.positional.size() < 2) {
    RaiseTypeError("map() must have at least two arguments.");
  }
  const Value fn = a.positional[0];
  auto its =
      std::make_shared<std::vector<Value>>(Iterators(ctx, a.positional, 1));
  return MakeIterator(ctx, "map",
                      [fn, its](RunContext& c) -> std::optional<Value> {
                        CallArgs args;
                        for (const Value& it : *its) {
                          std::optional<Value> item = NextItem(c, it);
                          if (!item) return std::nullopt;
                          args.positional.push_back(std::move(*item));
                        }
                        return RuntimeOf(c).CallValue(fn, args);
                      });
}

Value FilterBuiltin(RunContext& ctx, const CallArgs& a) {
  NoKeywords("filter", a);
  if (a.positional.size() != 2) {
    RaiseTypeError("filter expected 2 arguments, got " +
                   std::to_string(a.positional.size()));
  }
  const Value fn = a.positional[0];
  Value it = GetIterator(ctx, a.positional[1]);
  return MakeIterator(ctx, "filter",
                      [fn, it](RunContext& c) -> std::optional<Value> {
                        while (std::optional<Value> item = NextItem(c, it)) {
                          Value keep = *item;
                          if (!fn.is_none()) {
                            CallArgs args;
                            args.positional.push_back(*item);
                            keep = RuntimeOf(c).CallValue(fn, args);
                          }
                          if (IsTrue(c, keep)) return item;
                        }
                        return std::nullopt;
                      });
}

Value ReversedBuiltin(RunContext& ctx, const CallArgs& a) {
  ArgCount("reversed", a, 1, 1);
  const Value& v = a.positional[0];
  if (std::optional<Value> r = CallSpecialMethod(ctx, v, "__reversed__", {})) {
    return *r;
  }
  std::string type;
  switch (v.kind()) {
    case VK::kList:
      type = "list_reverseiterator";
      break;
    case VK::kDict:
      type = "dict_reversekeyiterator";
      break;
    case VK::kTuple:
    case VK::kShape:
    case VK::kStr:
      type = "reversed";
      break;
    default:
      if (v.kind() == VK::kObject &&
          dynamic_cast<const RangeObject*>(v.as_object().get())) {
        type = "range_iterator";
        break;
      }
      RaiseTypeError("'" + v.TypeName() + "' object is not reversible");
  }
  if (v.kind() == VK::kList) {  // over the live list, as CPython's
    auto i = std::make_shared<size_t>(v.items().size());
    return MakeIterator(ctx, type, [v, i](RunContext&) -> std::optional<Value> {
      if (*i == 0 || *i > v.items().size()) return std::nullopt;
      return v.items()[--*i];
    });
  }
  auto items = std::make_shared<ValueList>(ToList(ctx, v));
  auto i = std::make_shared<size_t>(items->size());
  return MakeIterator(ctx, type,
                      [items, i](RunContext&) -> std::optional<Value> {
                        if (*i == 0) return std::nullopt;
                        return (*items)[--*i];
                      });
}

}  // namespace ap::py
