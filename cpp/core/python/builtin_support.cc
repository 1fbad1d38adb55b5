#include "builtin_support.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "object_ops.h"
#include "runtime.h"

namespace ap::py {

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

namespace {

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

}  // namespace

ValueList Sorted(RunContext& ctx, ValueList items, const Value& key,
                 bool reverse) {
  // A merge sort compares about n log2 n times (at least 8n, as before).
  int64_t log2n = 8;
  while ((int64_t{1} << log2n) < static_cast<int64_t>(items.size())) ++log2n;
  RuntimeOf(ctx).ChargeWork(static_cast<int64_t>(items.size()) * log2n);
  std::vector<std::pair<Value, Value>> keyed;
  keyed.reserve(items.size());
  for (Value& v : items) {
    Value k = v;
    if (!key.is_none()) {
      CallArgs a;
      a.positional.push_back(v);
      k = RuntimeOf(ctx).CallValue(key, a);
    }
    keyed.emplace_back(std::move(k), std::move(v));
  }
  ValueList order;
  for (size_t i = 0; i < keyed.size(); ++i)
    order.push_back(Value::Int(static_cast<int64_t>(i)));
  MergeSort(order, [&](const Value& a, const Value& b) {
    const Value& ka = keyed[static_cast<size_t>(a.as_int())].first;
    const Value& kb = keyed[static_cast<size_t>(b.as_int())].first;
    return IsTrue(ctx,
                  CompareOp(ctx, "<", reverse ? kb : ka, reverse ? ka : kb));
  });
  ValueList out;
  for (const Value& i : order)
    out.push_back(keyed[static_cast<size_t>(i.as_int())].second);
  return out;
}

}  // namespace ap::py
