// Conversions from Python values to TensorFlow arguments, with TF's rules
// and messages (tf.convert_to_tensor, shapes, axes, dtypes).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "../run_context.h"
#include "../value.h"

namespace ap::tf {

// tf.convert_to_tensor(value, dtype=hint): tensors pass through (a dtype
// clash raises ValueError as TF does), nested lists/tuples of numbers become
// int32 (int64 when an int does not fit int32) / float32 / bool tensors,
// Python scalars take the hint's dtype (an int beyond int32 wraps when the
// hint is int32, as in TF).
Tensor ToTensor(const Value& v, std::optional<DType> hint = std::nullopt);

// The dtype a Python scalar/list would get on its own: int32, int64, float32,
// bool.
std::optional<DType> InferPythonDType(const Value& v);

// A shape argument: list/tuple of ints, TensorShape, an int, or a 1-D int
// tensor. `fn` names the function in errors.
Shape ToShape(const Value& v, std::string_view fn);

// An int argument (Python int or scalar int tensor).
int64_t ToInt(const Value& v, std::string_view what);
// A float argument (int, float or scalar tensor).
double ToDouble(const Value& v, std::string_view what);
// A list of ints (or a single int) for axis/perm arguments.
std::vector<int64_t> ToIntList(const Value& v, std::string_view what);

// tf.float32, "float32", np.float32 -> DType; raises TypeError otherwise.
DType ToDType(const Value& v);

}  // namespace ap::tf
