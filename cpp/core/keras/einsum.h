// Two-operand einsum as TensorFlow and Keras 3's TF backend compute it:
// the equations of MultiHeadAttention's projections and attention, and
// keras.ops.einsum. Labels are lowercase letters; float32 operands.
#pragma once

#include <string>

#include "../profile.h"
#include "../tensor.h"

namespace ap::keras {

// tf.einsum on two operands with TensorFlow's checks (named labels must
// agree exactly; no broadcasting) and its error texts.
Tensor Einsum(const std::string& equation, const Tensor& x, const Tensor& y);

// Keras 3's ops.einsum on the TF backend: the common forms run as
// reshape / transpose + matmul (their errors are MatMul's and Reshape's);
// tf_keras and every other form run tf.einsum.
Tensor BackendEinsum(Profile profile, const std::string& equation,
                     const Tensor& x, const Tensor& y);

}  // namespace ap::keras
