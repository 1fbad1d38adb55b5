// The names tf-keras 2.21 gives the outputs of a layer called on
// keras.Input tensors: the graph tensor the layer's call() made in its
// scratch graph, "dense/BiasAdd:0" (the layer's name scope, the last op,
// the output's index). Each layer's Layer::TfKerasNodeName picks the op from
// its config and the call; these are the pieces they share. Measured with
// tf-keras 2.21 (TF_USE_LEGACY_KERAS=1) rather than derived: a
// configuration not measured gets "" (the playground then refuses to print
// the name).
#pragma once

#include <string>
#include <string_view>

#include "layer.h"

namespace ap::keras {

// "scope/op:index". Empty when `op` is, or when TensorFlow would not take
// `scope` as a root name scope (^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$: tf-keras'
// call raises ValueError for a layer named "my dense").
std::string TfKerasTensorName(const std::string& scope, std::string_view op,
                              int index = 0);

// The op a named activation ends with in a graph
// (tf_keras/src/activations.py, 2.21): "Relu", "Gelu/mul_2", ... Empty for
// linear ("", no op) and for activations not measured.
std::string TfKerasActivationOp(const std::string& activation);

// How a call set a flag such as training= or use_causal_mask=.
enum class CallFlag { kUnset, kTrue, kFalse, kOther };
// The flag bound to parameter `name`: None (or no such parameter) is
// kUnset, a bool kTrue / kFalse, anything else kOther.
CallFlag TfKerasCallFlag(const LayerCall& call, std::string_view name);

// Whether the argument bound to `name` is given (not None, not missing).
bool TfKerasArgumentGiven(const LayerCall& call, std::string_view name);

// The mask call() receives (Layer.__call__'s _get_input_masks,
// tf_keras/src/engine/base_layer.py, 2.21): the `mask` argument when the
// program passed one, else the masks the inputs carry (a structure like the
// inputs, None where unmasked); None for a call() without `mask`.
Value TfKerasCallMask(const LayerCall& call);

// Whether a mask structure holds any mask.
bool TfKerasAnyMask(const Value& masks);

// The rank of bound argument `i` (a tensor or KerasTensor), -1 if unknown.
int TfKerasRankOf(const LayerCall& call, size_t i);

}  // namespace ap::keras
