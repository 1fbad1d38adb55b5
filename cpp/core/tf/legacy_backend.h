// The legacy backend real Keras 2-era programs import
// (`from tensorflow.keras import backend as K`; K.dot, K.sum, K.softmax,
// ...). Under Keras 3, tf.keras is keras._tf_keras.keras, whose
// backend is keras/src/legacy/backend.py (Keras 3.15) while `keras.backend`
// keeps its 14 names; under tf-keras it is tf_keras/src/backend.py.
#pragma once

#include <memory>

#include "../profile.h"
#include "native.h"

namespace ap::tf {

// The legacy backend module: about 70 of its functions (a function it has
// but the playground does not model raises NotSupportedError naming it).
std::shared_ptr<Module> MakeLegacyBackendModule(Profile profile);

// Wires the Keras 2-era parts into `keras` (the module `import keras`
// gives under Keras 3, tf.keras under tf-keras): keras.utils' helpers,
// keras.preprocessing.sequence, and under tf-keras the legacy backend.
// Returns what `tf.keras` is: `keras` itself under tf-keras; under Keras 3
// a view of `keras` whose `backend` is the legacy one.
Value WireLegacyKeras(const std::shared_ptr<Module>& keras, Profile profile);

}  // namespace ap::tf
