#include "framework.h"

#include "../error.h"

namespace ap::py {

const Framework& FrameworkOf(const RunContext& ctx) {
  if (!ctx.framework) {
    RaiseText(ErrorClass::kRuntimeError, "no tensor framework in this run");
  }
  return *ctx.framework;
}

}  // namespace ap::py
