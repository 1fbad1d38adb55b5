// The modelled `keras.layers` and `keras.losses` classes: one {name,
// factory} row each. The framework surface (tf/modules.cc) puts every row
// into its module; a name without a row is "not modelled".
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "../callable.h"

namespace ap::keras {

// Builds an instance from the constructor's arguments, raising the
// constructor's own errors (ValueError/TypeError).
using ClassFactory = std::shared_ptr<Callable> (*)(RunContext& ctx,
                                                   const CallArgs& args);

struct ClassEntry {
  const char* name;  // "Dense": keras.layers.Dense
  ClassFactory create;
};

const std::vector<ClassEntry>& LayerClasses();
const std::vector<ClassEntry>& LossClasses();

// The factory of `name` called with `args`, or nullptr if the class is not
// modelled (the caller reports NotSupported).
std::shared_ptr<Callable> CreateLayer(std::string_view name, RunContext& ctx,
                                      const CallArgs& args);
std::shared_ptr<Callable> CreateLoss(std::string_view name, RunContext& ctx,
                                     const CallArgs& args);

}  // namespace ap::keras
