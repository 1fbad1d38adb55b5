// What the builtin files share: the table entry, argument checks with
// CPython's error texts, and helpers used by both functions and methods.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "../call_args.h"
#include "../run_context.h"
#include "../value.h"

namespace ap::py {

using BuiltinFn = Value (*)(RunContext& ctx, const CallArgs& args);

// One row of a builtin table: a name and a plain function.
struct BuiltinEntry {
  const char* name;
  BuiltinFn fn;
};

// TypeError "f() takes no keyword arguments" if there are any.
void NoKeywords(const std::string& fn, const CallArgs& args);
// Between `lo` and `hi` positional arguments and no keywords.
void ArgCount(const std::string& fn, const CallArgs& args, size_t lo,
              size_t hi);
std::optional<Value> KeywordArg(const CallArgs& args, const std::string& name);
// TypeError for a keyword not in `allowed`.
void OnlyKeywords(const std::string& fn, const CallArgs& args,
                  std::initializer_list<const char*> allowed);

// str.strip and friends: drops `chars` from the chosen ends.
std::string Strip(const std::string& s, const std::string& chars, bool left,
                  bool right);
extern const std::string kWhitespace;

// sorted(items, key=..., reverse=...): stable, charged to the work budget.
ValueList Sorted(RunContext& ctx, ValueList items, const Value& key,
                 bool reverse);

// The rows of the builtin name table (builtins.cc): the types
// (builtin_types.cc) and the functions (builtin_functions.cc).
void AddBuiltinTypes(std::unordered_map<std::string_view, Value>& names);
void AddBuiltinFunctions(std::unordered_map<std::string_view, Value>& names);

// The iterator builtins (builtin_iterators.cc): iter, next, zip,
// enumerate, map, filter, reversed.
Value IterBuiltin(RunContext& ctx, const CallArgs& args);
Value NextBuiltin(RunContext& ctx, const CallArgs& args);
Value ZipBuiltin(RunContext& ctx, const CallArgs& args);
Value EnumerateBuiltin(RunContext& ctx, const CallArgs& args);
Value MapBuiltin(RunContext& ctx, const CallArgs& args);
Value FilterBuiltin(RunContext& ctx, const CallArgs& args);
Value ReversedBuiltin(RunContext& ctx, const CallArgs& args);

// The methods of each plain type, by name (methods.cc checks the name
// against the type's table first): str_methods.cc, container_methods.cc.
Value StrMethod(RunContext& ctx, const std::string& s, const std::string& m,
                const CallArgs& a);
Value ListMethod(RunContext& ctx, const Value& self, const std::string& m,
                 const CallArgs& a);
Value TupleMethod(RunContext& ctx, const Value& self, const std::string& m,
                  const CallArgs& a);
Value DictMethod(RunContext& ctx, const Value& self, const std::string& m,
                 const CallArgs& a);

}  // namespace ap::py
