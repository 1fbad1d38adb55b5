// Layers and models a program defines: `class MyLayer(layers.Layer)` and
// `class MyModel(keras.Model)`. Their instances are Python instances
// (python/classes.h) whose native part is a ProgramLayer: a keras::Layer
// whose call(), build(), compute_output_shape() and compute_mask() are the
// program's methods, reached back through the instance. Everything
// Layer.__call__ does around them (binding, masks, build once, the error
// frame, nodes on KerasTensors) is Layer::Call's, as for a modelled layer.
// Keras 3.15 (keras/src/layers/layer.py) and tf-keras 2.21
// (tf_keras/src/engine/base_layer.py).
#pragma once

#include <memory>
#include <string_view>

#include "../python/framework.h"
#include "../value.h"
#include "layer.h"

namespace ap::keras {

// The native types a program class may derive from: keras.layers.Layer
// (`model` false) and keras.Model (`model` true).
const py::NativeBase& ProgramLayerBase(bool model);

// AsLayer and LayerValue (layer.h) are defined here: they know the
// instances of a program's subclasses.

}  // namespace ap::keras
