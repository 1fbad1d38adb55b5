// keras.utils' data helpers as notebooks use them before a model:
// to_categorical, pad_sequences, normalize and set_random_seed, with
// Keras' texts (keras/src/utils/numerical_utils.py and sequence_utils.py,
// Keras 3.15; tf_keras/src/utils/np_utils.py, tf-keras 2.21).
#pragma once

#include <memory>

#include "../profile.h"
#include "native.h"

namespace ap::tf {

// Adds the helpers to `utils`; plot_model / model_to_dot are refused.
void AddKerasUtils(Module& utils, Profile profile);

// tf.one_hot(indices, depth): float32 ones at each in-range index, zeros
// for an index outside [0, depth). Integer indices only.
Tensor OneHot(const Tensor& indices, int64_t depth);

// keras.utils (tf.keras.utils is the same module): the helpers above.
Value MakeKerasUtilsModule(Profile profile);

// keras.saving: register_keras_serializable (a decorator that returns what
// it decorates); saving and loading models are not modelled.
Value MakeKerasSavingModule(Profile profile);

// keras.preprocessing (its `sequence.pad_sequences`).
Value MakePreprocessingModule(Profile profile);

}  // namespace ap::tf
