// Objects a program can call: Keras layers, losses, and the API surface's
// functions. The interpreter treats them all alike.
#pragma once

#include <string>

#include "call_args.h"
#include "run_context.h"
#include "value.h"

namespace ap {

class Callable : public Object {
 public:
  // Performs the call. Raises ErrorException on failure.
  virtual Value Call(RunContext& ctx, const CallArgs& args) = 0;
};

}  // namespace ap
