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

// A non-owning reference to a callable, for callback parameters (the
// interpreter's loops, comprehensions, sort): one small thunk per lambda
// type, where std::function adds a wrapper class with vtable, clone and
// destroy (and its RTTI name) per lambda. Valid while the callable lives,
// i.e. for the call it is passed to.
template <typename Sig>
class FunctionRef;
template <typename R, typename... A>
class FunctionRef<R(A...)> {
 public:
  template <typename F, typename = std::enable_if_t<
                            !std::is_same_v<std::decay_t<F>, FunctionRef>>>
  FunctionRef(F&& f)  // NOLINT(google-explicit-constructor): as std::function
      : obj_(const_cast<void*>(static_cast<const void*>(&f))),
        call_(&Invoke<std::remove_reference_t<F>>) {}
  R operator()(A... a) const { return call_(obj_, std::forward<A>(a)...); }

 private:
  template <typename F>
  static R Invoke(void* obj, A... a) {
    return (*static_cast<F*>(obj))(std::forward<A>(a)...);
  }
  void* obj_;
  R (*call_)(void*, A...);
};

// std::function<Sig> from a callable, storing a captureless lambda as a
// plain function pointer: all of those then share std::function's one
// function-pointer instantiation instead of a wrapper class (vtable, clone,
// destroy, call) each. The registration of the API surface and builtins
// passes ~130 lambdas (measured: ~14 KB of WASM in the wrappers).
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
