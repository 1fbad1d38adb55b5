// Keras layers called on numpy arrays: Layer.__call__ converts them to
// tensors first, float arrays to the layer's float32 input dtype, others
// keeping theirs (keras/src/layers/layer.py maybe_convert and
// dtype_policies/dtype_policy.py convert_input, Keras 3.15; tf-keras 2.21
// converts its inputs and autocasts floats alike).
#pragma once

#include <optional>

#include "../call_args.h"

namespace ap::np {

// The arguments with every ndarray (nested in lists, tuples and dicts
// too) made a tensor; nullopt when there is none.
std::optional<CallArgs> ArraysToLayerTensors(const CallArgs& args);

}  // namespace ap::np
