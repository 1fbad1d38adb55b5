// The weight initialisers the Embedding and recurrent layers accept by name
// ('glorot_uniform', 'orthogonal', 'uniform', 'zeros', 'ones'), with Keras'
// shapes and value ranges (keras/src/initializers/, Keras 3.15). The random
// values come from the playground's generator, not TensorFlow's.
#pragma once

#include <initializer_list>
#include <string>

#include "../random.h"
#include "../shape.h"
#include "../tensor.h"
#include "../value.h"

namespace ap::keras {

// The initializer's name if `v` is one of `allowed`; NotSupported otherwise
// (`what` names the argument: "kernel_initializer").
std::string InitializerName(const Value& v, const char* what,
                            std::initializer_list<const char*> allowed);

// A float32 tensor of `shape` from the named initializer. 'uniform' draws
// from [-uniform_limit, uniform_limit) (Keras' RandomUniform defaults to
// 0.05).
Tensor InitializeWeight(const std::string& name, const Shape& shape,
                        Random& rng, double uniform_limit = 0.05);

// keras.initializers.Orthogonal's shape and property for a 2-D shape:
// orthonormal columns when rows >= cols, else orthonormal rows (the values
// are the playground's; see the .cc for how they are made).
Tensor OrthogonalWeight(const Shape& shape, Random& rng);

}  // namespace ap::keras
