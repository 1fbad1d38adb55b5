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
// too) made a tensor; nullopt when there is none. Keras 3 converts every
// argument, float64 ones to the layer's float32 (Layer.__call__,
// maybe_convert); tf-keras (`only_inputs_autocast`) converts the first
// argument and autocasts it to float32, and the other arrays reach call()
// as they are, so they act as tensors of their own dtype
// (tf_keras/src/engine/base_layer.py, 2.21).
std::optional<CallArgs> ArraysToLayerTensors(const CallArgs& args,
                                             bool only_inputs_autocast);

}  // namespace ap::np
