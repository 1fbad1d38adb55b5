// What Layer.__call__ does with the program's arguments before call() runs:
// which ones it drops, which errors it raises first, and how tf_keras'
// CPython binding of the bound method call() words its TypeErrors. Keras
// 3.15 (keras/src/layers/layer.py) and tf-keras 2.21
// (tf_keras/src/engine/base_layer.py) under Python 3.11, as the oracle
// (tests/oracle) checks them. BindLayerCall (common.h) and Layer::Call
// (layer.h) put these together.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../call_args.h"
#include "../profile.h"
#include "../value.h"

namespace ap::keras {

// `layer(x, self=...)`: Python itself rejects it, before Layer.__call__ runs
// (both profiles).
void CheckNoSelfKeyword(const CallArgs& args);

// tf_keras CallFunctionSpec.split_out_first_arg (tf_keras/src/utils/
// layer_utils.py, 2.21): call()'s first parameter must be passed,
// positionally or by its name, else a ValueError before anything else.
void CheckFirstArgumentPassed(const std::vector<Param>& params,
                              const CallArgs& args);

// A `training=` keyword that call() does not take: both profiles drop it
// (it only sets the mode of nested layers): Keras 3.15's CallSpec strips the
// call-context arguments, tf_keras' _get_propagated_call_context_arguments
// pops them. Other keywords (mask=, ...) reach call() and fail there.
// nullopt when nothing is dropped.
std::optional<CallArgs> WithoutUnusedContextArguments(
    const std::vector<Param>& params, const CallArgs& args);

// tf_keras Layer.__call__ converts the Python numbers among a call's inputs
// to tensors (_convert_numpy_or_python_types, tf_keras/src/engine/
// base_layer.py, 2.21): float -> float32, int -> int32, bool -> bool.
// Keras 3 leaves them (they have no __array__). The value itself when it
// holds no number.
Value ConvertPythonNumbers(const Value& inputs);

// CPython 3.11 binding the arguments of a bound method `qualname`
// ("BaseDenseAttention.call"): `self` counts among the positional
// arguments, and the keywords are checked (unexpected, multiple values)
// before the positional count, then the missing arguments.
BoundArgs BindMethodCall(std::string_view qualname,
                         const std::vector<Param>& params,
                         const CallArgs& args);

// What build() sees of a call whose binding failed: the arguments that fit
// (extra positionals, unknown and repeated keywords left out), defaults for
// the rest. *complete tells whether every required parameter got a value.
BoundArgs BindLeniently(const std::vector<Param>& params, const CallArgs& args,
                        bool* complete);

// The class whose call() a layer runs, as CPython names it in TypeErrors:
// layers that inherit call() show their base class.
std::string CallOwner(Profile profile, std::string_view class_name);

}  // namespace ap::keras
