// Objects a program can call: Keras layers, losses, and the API surface's
// functions. The interpreter treats them all alike.
#pragma once

#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include "call_args.h"
#include "run_context.h"
#include "value.h"

namespace ap {

class Callable : public Object {
 public:
  // Performs the call. Raises ErrorException on failure.
  virtual Value Call(RunContext& ctx, const CallArgs& args) = 0;
};

// std::function<Sig> from a callable, storing a captureless lambda as a
// plain function pointer: all of those then share std::function's one
// function-pointer instantiation instead of a wrapper class (vtable, clone,
// destroy, call) each. The registration of the API surface and builtins
// passes ~130 lambdas (issue 6: ~14 KB of WASM in the wrappers).
template <typename Sig>
struct FunctionPointerOf;
template <typename R, typename... A>
struct FunctionPointerOf<std::function<R(A...)>> {
  using type = R (*)(A...);
};

template <typename Fn, typename F>
Fn MakeFunction(F&& f) {
  using Ptr = typename FunctionPointerOf<Fn>::type;
  using D = std::decay_t<F>;
  if constexpr (!std::is_same_v<D, Fn> && std::is_class_v<D> &&
                std::is_convertible_v<D, Ptr>) {
    return Fn(static_cast<Ptr>(f));
  } else {
    return Fn(std::forward<F>(f));
  }
}

}  // namespace ap
