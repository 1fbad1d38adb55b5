// keras.optimizers: compile() accepts an optimizer (a name or an object such
// as keras.optimizers.Adam(learning_rate=1e-3)) and the playground never
// uses it, since fit does not train.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../callable.h"

namespace ap::keras {

// keras.optimizers.Adam, AdamW, RMSprop, SGD: {name, factory} rows as
// layer_registry.h's (not included here: training.h needs this header and
// the registry's layers need the models).
struct OptimizerClass {
  const char* name;
  std::shared_ptr<Callable> (*create)(RunContext& ctx, const CallArgs& args);
};
const std::vector<OptimizerClass>& OptimizerClasses();
// An object one of those classes made.
bool IsOptimizer(const Value& v);
// The learning rate of an optimizer compile() took (a name or an object);
// nullopt when it is not a number (a schedule).
std::optional<double> LearningRate(const Value& optimizer);
// A name keras.optimizers.get knows ("adam", "SGD", ...).
bool IsOptimizerName(const std::string& name);

}  // namespace ap::keras
