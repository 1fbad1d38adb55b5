// The layer methods programs call besides the layer itself
// (count_params, get_weights, compute_output_shape, compute_mask, and a
// model's get_layer), and the honest answer for the rest of the layer API: real
// Keras has it, the playground does not model it, so reading it raises
// NotSupportedError rather than an AttributeError Keras would not raise.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "../partial_shape.h"
#include "../run_context.h"
#include "../value.h"

namespace ap::keras {

// What the methods read of a layer. (Not the Layer itself: this module
// sits below layer.h, which calls it.)
struct LayerApiSubject {
  // The layer; its GetAttr answers name, built, weights and (a model's)
  // layers.
  std::shared_ptr<Object> layer;
  bool tf_keras = false;  // made under the tf_keras profile
  // Layer::ComputeOutputShape.
  std::function<std::optional<PartialShape>(const PartialShape&)> output_shape;
  // Layer::ComputeMask(ctx, inputs, previous_mask).
  std::function<Value(RunContext&, const Value&, const Value&)> compute_mask;
};

// layer.<attr> for the methods above (get_layer on models only); nullopt
// for any other name.
std::optional<Value> LayerMethod(const LayerApiSubject& subject,
                                 std::string_view attr);

// Raises NotSupportedError when `attr` is layer API (model API, for a
// Functional or Sequential model) of the profile's Keras that the
// playground does not model; returns otherwise (Python's AttributeError
// follows).
void RefuseUnmodelledLayerAttribute(const LayerApiSubject& subject,
                                    std::string_view attr);

// Cls.from_config(config) of a layer class `cls` (a program's subclass or
// a built-in layer class): cls(**config), with a Keras 3 dtype policy dict
// read as its name (keras/src/layers/layer.py from_config, Keras 3.15;
// tf_keras/src/engine/base_layer.py, 2.21).
Value FromConfigMethod(const Value& cls);

// The ValueError of count_params() on a layer that is not built yet.
[[noreturn]] void RaiseCountParamsOfUnbuiltLayer(const std::string& name,
                                                 bool tf_keras);

}  // namespace ap::keras
