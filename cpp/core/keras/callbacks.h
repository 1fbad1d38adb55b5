// keras.callbacks that fit() takes: EarlyStopping and ReduceLROnPlateau
// (keras/src/callbacks/, Keras 3.15; tf_keras/src/callbacks.py, 2.21).
// They act on the losses of training, and nothing trains here: fit runs
// every epoch and says so. Callbacks that write files or call the
// program's own hooks are refused by fit.
#pragma once

#include <memory>
#include <string_view>

#include "../callable.h"
#include "../profile.h"

namespace ap::keras {

// The callback class `name` constructed from `args` (with the real
// constructor's checks), or null when the class is not modelled.
std::shared_ptr<Object> CreateCallback(std::string_view name, RunContext& ctx,
                                       const CallArgs& args, Profile profile);

// The callbacks' class names, for the module.
constexpr const char* kCallbackClasses[] = {"EarlyStopping",
                                            "ReduceLROnPlateau"};

// Whether `v` is a callback CreateCallback made.
bool IsModelledCallback(const Value& v);

}  // namespace ap::keras
