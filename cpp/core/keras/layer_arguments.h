// Keras' argument standardisers shared by the convolution, pooling and core
// layers: standardize_tuple (keras/src/utils/argument_validation.py, Keras
// 3.15) / normalize_tuple (tf_keras/src/utils/conv_utils.py, 2.21), and
// activations.get with the activations the playground computes.
#pragma once

#include <string>
#include <vector>

#include "../run_context.h"
#include "../tensor.h"
#include "../value.h"

namespace ap::keras {

// An int or a sequence of `n` ints as a tuple; Keras' ValueError for a
// wrong length or a value <= 0 (< 0 with allow_zero).
std::vector<int64_t> StandardizeTuple(Profile profile, const Value& value,
                                      int n, const std::string& name,
                                      bool allow_zero = false);
// Python's str() of the tuple: "(3,)".
std::string TupleStr(const std::vector<int64_t>& values);

// activations.get(identifier): "" for linear (None, "linear"), else the
// name. Keras' ValueError for an unknown name; NotSupported for a Keras
// activation the playground does not compute.
std::string ActivationName(Profile profile, const Value& identifier);
// The activation applied to `x` ("" is linear: x itself).
Tensor ApplyActivation(Profile profile, const std::string& name,
                       const Tensor& x);

}  // namespace ap::keras
