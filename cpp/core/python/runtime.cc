#include "runtime.h"

#include "../error.h"

namespace ap::py {

Runtime& RuntimeOf(const RunContext& ctx) {
  if (!ctx.runtime) RaiseText(ErrorClass::kRuntimeError, "run finished");
  return *ctx.runtime;
}

}  // namespace ap::py
