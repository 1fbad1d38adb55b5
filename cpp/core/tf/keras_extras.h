// Small parts of the TensorFlow / Keras API that programs touch on the way
// to their models: the frameworks' versions, keras.ops extras,
// keras.random, tf.einsum, and Keras 3's private `keras.src` package (the
// same modules under another name).
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "../profile.h"
#include "native.h"

namespace ap::tf {

// tf.__version__; keras.__version__ and keras.version() (Keras 3 only: the
// tf.keras of tf-keras 2.21 has neither).
void AddVersions(Module& tf, Module& keras, Profile profile);

// keras.random (Keras 3): normal, uniform, randint; an int seed or none.
std::shared_ptr<Module> MakeKerasRandomModule();

// keras.src (Keras 3): backend (get_keras_mask only), layers, ops,
// activations, losses, models and random, taken from `keras`.
std::shared_ptr<Module> MakeKerasSrcModule(const Module& keras);

// tf.einsum with two float32 operands (other forms are refused).
void AddTfEinsum(Module& tf);

// keras.layers.concatenate / add / subtract / multiply / average /
// maximum / minimum / dot: the merge layers' functional forms.
void AddMergeFunctions(Module& layers);

// Refusals that name the nearest modelled layer (ReLU, the 2-D layers).
void AddLayerHints(Module& layers);

// keras.ops functions beyond the core set: tril, triu, tile, repeat, split,
// zeros_like, ones_like, full, full_like, eye, einsum (two operands),
// clip, rsqrt, take, var, std, norm, log_softmax, silu, gelu, one_hot.
void AddMoreKerasOps(Module& kops);

// `import keras.src.ops`, `from keras.src.backend import get_keras_mask`:
// a dotted name under `keras` whose every part is a module attribute of
// `keras`; nullopt otherwise.
std::optional<Value> ImportKerasSubmodule(const Module& keras,
                                          std::string_view rest);

}  // namespace ap::tf
