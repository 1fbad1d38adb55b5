// How Keras 3 frames an error a layer's compute_output_spec raises in a
// symbolic call: it reaches the wrapper through compute_output_spec(*args,
// **kwargs), so the bullets are `args=('<KerasTensor ...>',)` and
// `kwargs=<class 'inspect._empty'>` instead of call()'s parameters
// (keras/src/utils/traceback_utils.py, Keras 3.15; probed on Reshape and
// MaxPooling1D).
#pragma once

#include "../callable.h"
#include "layer.h"

namespace ap::keras {

// Runs `compute` and rethrows its error with that frame. Calls with more
// than the one input keep Layer::Call's usual frame.
Value WithSymbolicCallFrame(Profile profile, const Layer& layer,
                            const LayerCall& call,
                            FunctionRef<Value()> compute);

}  // namespace ap::keras
