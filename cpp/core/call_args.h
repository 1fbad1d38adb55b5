// Python-style argument binding for functions the core implements (tf.* ops,
// Keras layer constructors and calls), with CPython's TypeError texts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "value.h"

namespace ap {

struct CallArgs {
  ValueList positional;
  std::vector<std::pair<std::string, Value>> keywords;
  // Source text of each positional argument and keyword value in the
  // program ("query_tensor", "[q, v, k]"), for role labels in the trace.
  // May be shorter than the arguments (unknown sources).
  std::vector<std::string> positional_sources;
  std::vector<std::string> keyword_sources;
  // For an argument written as a list/tuple literal, the source text of each
  // element (empty vector otherwise): lets a layer say that
  // `[query_tensor, key_tensor, value_tensor]`[1] was used as the value.
  std::vector<std::vector<std::string>> positional_item_sources;
  std::vector<std::vector<std::string>> keyword_item_sources;
};

struct Param {
  std::string name;
  std::optional<Value> default_value;  // nullopt: required
  bool keyword_only = false;
};

// Parameters from a Python-like list, "x,axis=None,keepdims=False,
// name='range',dtype=float32": a name alone is required; defaults are
// None, True, False, integers, floats (with a '.'), 'strings' and the
// dtypes float32, int32 and bool. (One string instead of a vector of
// Params built inline at each of ~200 sites costs WASM size.)
std::vector<Param> ParseParams(std::string_view spec);

struct BoundArgs {
  ValueList values;                  // one per Param, in Param order
  std::vector<bool> was_given;       // whether the caller passed it
  std::vector<std::string> sources;  // source text per Param ("" if unknown)
  std::vector<std::pair<std::string, Value>> extra_keywords;  // **kwargs
  const Value& operator[](size_t i) const { return values[i]; }
};

// Binds `args` to `params` the way CPython does. Raises TypeError with
// CPython's messages (unexpected keyword, missing required, too many
// positional, multiple values). With `accept_extra_keywords`, unknown keywords
// land in `extra_keywords` instead of raising.
BoundArgs BindArguments(std::string_view function_name,
                        const std::vector<Param>& params, const CallArgs& args,
                        bool accept_extra_keywords = false);

}  // namespace ap
