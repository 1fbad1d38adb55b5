// The iterator builtins: iter, next, zip, enumerate, map, filter, reversed
// (iterators.h has the iterator object).
#include <memory>
#include <utility>
#include <vector>

#include "../error.h"
#include "builtin_support.h"
#include "classes.h"
#include "iterators.h"
#include "native_iterable.h"
#include "object_ops.h"
#include "runtime.h"
#include "text.h"

namespace ap::py {

namespace {

using VK = Value::Kind;

// The items of a snapshot taken when the iterator was made.
std::optional<Value> NextOfSnapshot(RunContext&, IteratorState& s) {
  if (s.index >= static_cast<int64_t>(s.items.size())) return std::nullopt;
  return s.items[s.index++];
}

// iter(v): an iterator over the live container, as CPython's are.
Value GetIterator(RunContext& ctx, const Value& v) {
  if (IsIterator(v)) return v;
  switch (v.kind()) {
    case VK::kList:
    case VK::kTuple:
    case VK::kShape: {
      IteratorState state;
      state.source = v;
      return MakeIterator(
          ctx, v.kind() == VK::kList ? "list_iterator" : "tuple_iterator",
          std::move(state),
          +[](RunContext&, IteratorState& s) -> std::optional<Value> {
            const ValueList& items = s.source.items();
            if (s.index >= static_cast<int64_t>(items.size())) {
              return std::nullopt;
            }
            return items[s.index++];
          });
    }
    case VK::kStr: {
      IteratorState state;
      for (std::string& c : Utf8Chars(v.as_str())) {
        state.items.push_back(Value::Str(std::move(c)));
      }
      const bool ascii = state.items.size() == v.as_str().size();
      return MakeIterator(ctx, ascii ? "str_ascii_iterator" : "str_iterator",
                          std::move(state), NextOfSnapshot);
    }
    case VK::kDict: {
      IteratorState state;
      state.source = v;
      state.size = static_cast<int64_t>(v.dict_items().size());
      return MakeIterator(
          ctx, "dict_keyiterator", std::move(state),
          +[](RunContext&, IteratorState& s) -> std::optional<Value> {
            const DictItems& items = s.source.dict_items();
            if (static_cast<int64_t>(items.size()) != s.size) {
              RaiseText(ErrorClass::kRuntimeError,
                        "dictionary changed size during iteration");
            }
            if (s.index >= s.size) return std::nullopt;
            return items[s.index++].first;
          });
    }
    default:
      break;
  }
  if (v.kind() == VK::kObject) {
    if (dynamic_cast<const RangeObject*>(v.as_object().get())) {
      IteratorState state;
      state.source = v;
      return MakeIterator(
          ctx, "range_iterator", std::move(state),
          +[](RunContext&, IteratorState& s) -> std::optional<Value> {
            const auto& range =
                static_cast<const RangeObject&>(*s.source.as_object());
            if (s.index >= range.Length()) return std::nullopt;
            return Value::Int(range.At(s.index++));
          });
    }
    if (const NativeIterable* n = AsNativeIterable(v)) return n->PyIter(ctx, v);
    if (std::optional<Value> it = CallSpecialMethod(ctx, v, "__iter__", {})) {
      if (!IsIterator(*it)) {
        RaiseTypeError("iter() returned non-iterator of type '" +
                       it->TypeName() + "'");
      }
      return *it;
    }
  }
  if (IsIterable(v)) {  // a tensor: its rows
    IteratorState state;
    state.items = ToList(ctx, v);
    return MakeIterator(ctx, "iterator", std::move(state), NextOfSnapshot);
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
  IteratorState state;
  state.items = Iterators(ctx, a.positional, 0);
  return MakeIterator(
      ctx, "zip", std::move(state),
      +[](RunContext& c, IteratorState& s) -> std::optional<Value> {
        if (s.items.empty()) return std::nullopt;
        ValueList t;
        for (const Value& it : s.items) {
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
  IteratorState state;
  state.index = a.positional.size() == 2
                    ? AsIndex(a.positional[1])
                    : AsIndex(KeywordArg(a, "start").value_or(Value::Int(0)));
  state.source = GetIterator(ctx, a.positional[0]);
  return MakeIterator(
      ctx, "enumerate", std::move(state),
      +[](RunContext& c, IteratorState& s) -> std::optional<Value> {
        std::optional<Value> item = NextItem(c, s.source);
        if (!item) return std::nullopt;
        return Value::Tuple({Value::Int(s.index++), *item});
      });
}

Value MapBuiltin(RunContext& ctx, const CallArgs& a) {
  NoKeywords("map", a);
  if (a.positional.size() < 2) {
    RaiseTypeError("map() must have at least two arguments.");
  }
  IteratorState state;
  state.fn = a.positional[0];
  state.items = Iterators(ctx, a.positional, 1);
  return MakeIterator(
      ctx, "map", std::move(state),
      +[](RunContext& c, IteratorState& s) -> std::optional<Value> {
        CallArgs args;
        for (const Value& it : s.items) {
          std::optional<Value> item = NextItem(c, it);
          if (!item) return std::nullopt;
          args.positional.push_back(std::move(*item));
        }
        return RuntimeOf(c).CallValue(s.fn, args);
      });
}

Value FilterBuiltin(RunContext& ctx, const CallArgs& a) {
  NoKeywords("filter", a);
  if (a.positional.size() != 2) {
    RaiseTypeError("filter expected 2 arguments, got " +
                   std::to_string(a.positional.size()));
  }
  IteratorState state;
  state.fn = a.positional[0];
  state.source = GetIterator(ctx, a.positional[1]);
  return MakeIterator(
      ctx, "filter", std::move(state),
      +[](RunContext& c, IteratorState& s) -> std::optional<Value> {
        while (std::optional<Value> item = NextItem(c, s.source)) {
          Value keep = *item;
          if (!s.fn.is_none()) {
            CallArgs args;
            args.positional.push_back(*item);
            keep = RuntimeOf(c).CallValue(s.fn, args);
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
  IteratorState state;
  if (v.kind() == VK::kList) {  // over the live list, as CPython's
    state.source = v;
    state.index = static_cast<int64_t>(v.items().size());
    return MakeIterator(
        ctx, type, std::move(state),
        +[](RunContext&, IteratorState& s) -> std::optional<Value> {
          const ValueList& items = s.source.items();
          if (s.index == 0 || s.index > static_cast<int64_t>(items.size())) {
            return std::nullopt;
          }
          return items[--s.index];
        });
  }
  state.items = ToList(ctx, v);
  state.index = static_cast<int64_t>(state.items.size());
  return MakeIterator(
      ctx, type, std::move(state),
      +[](RunContext&, IteratorState& s) -> std::optional<Value> {
        if (s.index == 0) return std::nullopt;
        return s.items[--s.index];
      });
}

}  // namespace ap::py
