// Every builtin name, one immutable table built on first use: the types
// (builtin_types.cc), the exception classes (exceptions.cc) and the functions
// (builtin_functions.cc). Nothing is installed per run.
#include "builtins.h"

#include <unordered_map>

#include "builtin_support.h"
#include "exceptions.h"

namespace ap::py {

namespace {

const std::unordered_map<std::string_view, Value>& BuiltinNames() {
  static const auto* names = [] {
    auto* m = new std::unordered_map<std::string_view, Value>();
    AddBuiltinTypes(*m);
    for (const std::string& name : BuiltinExceptionNames()) {
      (*m)[name] = ExceptionClassValue(name);
    }
    AddBuiltinFunctions(*m);
    return m;
  }();
  return *names;
}

}  // namespace

const Value* FindBuiltin(std::string_view name) {
  const auto& names = BuiltinNames();
  auto it = names.find(name);
  return it == names.end() ? nullptr : &it->second;
}

}  // namespace ap::py
