// tf-keras raises an error of its traced train/test/predict step (a
// tf.function) with the step's traceback folded into the message: "in user
// code:", the frames of tf-keras' own files that the traceback filter keeps,
// then the error itself, indented. The frames are those of tf-keras 2.21's
// sources (tf_keras/src/engine/training.py, input_spec.py); the install
// location is written as a standard pip install's.
#pragma once

#include <optional>
#include <string>

#include "../error.h"

namespace ap::keras {

enum class TracedStep { kTrain, kTest, kPredict };

// The traced step's error for `error`, raised by the model's own input
// checks (engine/input_spec.py) while a Functional or Sequential model ran on
// the step's inputs; nullopt for any other error, whose frames are not
// modelled.
std::optional<Error> TfKerasTracedInputSpecError(TracedStep step,
                                                 const Error& error);

// The traced step's error for a crossentropy loss' static shape check
// (`message`, as tf-keras words it), raised in backend.py under
// compile_utils' LossesContainer; `sparse` for
// sparse_categorical_crossentropy, else categorical_crossentropy.
Error TfKerasTracedCrossentropyError(TracedStep step, bool sparse,
                                     const std::string& message);

// The same for mean_squared_error (`mse`) or mean_absolute_error, whose
// subtraction in the graph raised `message`.
Error TfKerasTracedMeanErrorError(TracedStep step, bool mse,
                                  const std::string& message);

}  // namespace ap::keras
