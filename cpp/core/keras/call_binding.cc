#include "call_binding.h"

#include <algorithm>
#include <cstdint>

#include "../error.h"
#include "messages.h"

namespace ap::keras {

namespace {

size_t IndexOf(const std::vector<Param>& params, std::string_view name) {
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == name) return i;
  }
  return params.size();
}

size_t MaxPositional(const std::vector<Param>& params) {
  size_t n = 0;
  while (n < params.size() && !params[n].keyword_only) ++n;
  return n;
}

// The call-context arguments Layer.__call__ resolves itself: Keras 3.15's
// Layer._call_context_args and tf_keras' (both {"training"} for the layers
// modelled here).
bool IsContextArgument(std::string_view name) { return name == "training"; }

std::string PositionalCount(size_t n) {
  return std::to_string(n) + " positional argument" + (n == 1 ? "" : "s");
}

}  // namespace

void CheckNoSelfKeyword(const CallArgs& args) {
  for (const auto& kw : args.keywords) {
    if (kw.first == "self") {
      RaiseTypeError(
          "Layer.__call__() got multiple values for argument 'self'");
    }
  }
}

void CheckFirstArgumentPassed(const std::vector<Param>& params,
                              const CallArgs& args) {
  if (!args.positional.empty() || params.empty()) return;
  for (const auto& kw : args.keywords) {
    if (kw.first == params[0].name) return;
  }
  RaiseValueError(FirstCallArgumentMissingMessage());
}

std::optional<CallArgs> WithoutUnusedContextArguments(
    const std::vector<Param>& params, const CallArgs& args) {
  auto unused = [&](const std::string& name) {
    return IsContextArgument(name) && IndexOf(params, name) == params.size();
  };
  bool any = false;
  for (const auto& kw : args.keywords) any = any || unused(kw.first);
  if (!any) return std::nullopt;
  CallArgs kept = args;
  kept.keywords.clear();
  kept.keyword_sources.clear();
  kept.keyword_item_sources.clear();
  for (size_t k = 0; k < args.keywords.size(); ++k) {
    if (unused(args.keywords[k].first)) continue;
    kept.keywords.push_back(args.keywords[k]);
    if (k < args.keyword_sources.size()) {
      kept.keyword_sources.push_back(args.keyword_sources[k]);
    }
    if (k < args.keyword_item_sources.size()) {
      kept.keyword_item_sources.push_back(args.keyword_item_sources[k]);
    }
  }
  return kept;
}

namespace {

bool HasNumber(const Value& v, int depth = 0) {
  if (v.is_number()) return true;
  if (depth > 100) return false;
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    for (const Value& item : v.items()) {
      if (HasNumber(item, depth + 1)) return true;
    }
  }
  if (v.kind() == Value::Kind::kDict) {
    for (const auto& [key, value] : v.dict_items()) {
      if (HasNumber(value, depth + 1)) return true;
    }
  }
  return false;
}

Value NumbersToTensors(const Value& v, int depth) {
  switch (v.kind()) {
    case Value::Kind::kBool:
      return Value::FromTensor(Tensor::ScalarBool(v.as_bool()));
    case Value::Kind::kFloat:
      return Value::FromTensor(
          Tensor::ScalarF32(static_cast<float>(v.as_float())));
    case Value::Kind::kInt:
      if (v.as_int() < INT32_MIN || v.as_int() > INT32_MAX) {
        RaiseNotModelled("an int64 tensor converted from a layer's inputs");
      }
      return Value::FromTensor(
          Tensor::ScalarI32(static_cast<int32_t>(v.as_int())));
    case Value::Kind::kList:
    case Value::Kind::kTuple: {
      if (depth > 100) return v;
      ValueList items;
      for (const Value& item : v.items()) {
        items.push_back(NumbersToTensors(item, depth + 1));
      }
      return v.kind() == Value::Kind::kList ? Value::List(std::move(items))
                                            : Value::Tuple(std::move(items));
    }
    case Value::Kind::kDict: {
      if (depth > 100) return v;
      DictItems items;
      for (const auto& [key, value] : v.dict_items()) {
        items.emplace_back(key, NumbersToTensors(value, depth + 1));
      }
      return Value::Dict(std::move(items));
    }
    default:
      return v;
  }
}

}  // namespace

Value ConvertPythonNumbers(const Value& inputs) {
  return HasNumber(inputs) ? NumbersToTensors(inputs, 0) : inputs;
}

BoundArgs BindMethodCall(std::string_view qualname,
                         const std::vector<Param>& params,
                         const CallArgs& args) {
  const std::string fn(qualname);
  const size_t max_positional = MaxPositional(params);
  const size_t positional = args.positional.size();
  // CPython's order (Python 3.11, initialize_locals): each keyword in turn,
  // then the positional count, then what is missing (BindArguments).
  for (const auto& kw : args.keywords) {
    const size_t index = IndexOf(params, kw.first);
    if (index == params.size()) {
      RaiseTypeError(fn + "() got an unexpected keyword argument '" + kw.first +
                     "'");
    }
    if (index < positional && index < max_positional) {
      RaiseTypeError(fn + "() got multiple values for argument '" + kw.first +
                     "'");
    }
  }
  if (positional > max_positional) {
    size_t required = 0;
    for (size_t i = 0; i < max_positional; ++i) {
      if (!params[i].default_value) required = i + 1;
    }
    // The bound `self` is the first positional argument.
    const std::string takes = required == max_positional
                                  ? PositionalCount(max_positional + 1)
                                  : "from " + std::to_string(required + 1) +
                                        " to " +
                                        PositionalCount(max_positional + 1);
    RaiseTypeError(fn + "() takes " + takes + " but " +
                   std::to_string(positional + 1) + " were given");
  }
  return BindArguments(fn, params, args);
}

BoundArgs BindLeniently(const std::vector<Param>& params, const CallArgs& args,
                        bool* complete) {
  BoundArgs bound;
  bound.values.assign(params.size(), Value::None());
  bound.was_given.assign(params.size(), false);
  bound.sources.assign(params.size(), "");
  const size_t positional =
      std::min(args.positional.size(), MaxPositional(params));
  for (size_t i = 0; i < positional; ++i) {
    bound.values[i] = args.positional[i];
    bound.was_given[i] = true;
    if (i < args.positional_sources.size()) {
      bound.sources[i] = args.positional_sources[i];
    }
  }
  for (size_t k = 0; k < args.keywords.size(); ++k) {
    const size_t index = IndexOf(params, args.keywords[k].first);
    if (index == params.size() || bound.was_given[index]) continue;
    bound.values[index] = args.keywords[k].second;
    bound.was_given[index] = true;
    if (k < args.keyword_sources.size()) {
      bound.sources[index] = args.keyword_sources[k];
    }
  }
  *complete = true;
  for (size_t i = 0; i < params.size(); ++i) {
    if (bound.was_given[i]) continue;
    if (params[i].default_value) {
      bound.values[i] = *params[i].default_value;
    } else {
      *complete = false;
    }
  }
  return bound;
}

std::string CallOwner(Profile profile, std::string_view class_name) {
  const bool tf_keras = profile == Profile::kTfKeras;
  // Merge layers inherit call() from Merge (keras/src/layers/merging/
  // base_merge.py, Keras 3.15) or _Merge (tf_keras/src/layers/merging/
  // base_merge.py, 2.21). AdditiveAttention inherits Attention's
  // (keras/src/layers/attention/additive_attention.py, Keras 3.15); under
  // tf_keras both inherit BaseDenseAttention's (tf_keras/src/layers/
  // attention/base_dense_attention.py, 2.21).
  for (std::string_view merge : {"Add", "Subtract", "Multiply", "Average",
                                 "Maximum", "Minimum", "Concatenate", "Dot"}) {
    if (class_name == merge) return tf_keras ? "_Merge" : "Merge";
  }
  if (class_name == "Attention" || class_name == "AdditiveAttention") {
    return tf_keras ? "BaseDenseAttention" : "Attention";
  }
  return std::string(class_name);
}

}  // namespace ap::keras
