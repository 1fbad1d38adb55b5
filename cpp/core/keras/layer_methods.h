// The layer methods programs call besides the layer itself
// (count_params, get_weights, compute_output_shape, and a model's
// get_layer), and the honest answer for the rest of the layer API: real
// Keras has it, the playground does not model it, so reading it raises
// NotSupportedError rather than an AttributeError Keras would not raise.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "../value.h"

namespace ap::keras {

class Layer;

// layer.<attr> for the methods above (get_layer on models only); nullopt
// for any other name. `tf_keras`: the layer was made under that profile.
std::optional<Value> LayerMethod(const std::shared_ptr<Layer>& layer,
                                 std::string_view attr, bool tf_keras);

// Raises NotSupportedError when `attr` is layer API (model API, for a
// Functional or Sequential model) of the profile's Keras that the
// playground does not model; returns otherwise (Python's AttributeError
// follows).
void RefuseUnmodelledLayerAttribute(const Layer& layer, std::string_view attr,
                                    bool tf_keras);

}  // namespace ap::keras
