// numpy's ndarray as a Python value: an object over a Tensor (float64,
// int64, float32, int32 or bool) with numpy's printing, attributes,
// indexing, broadcasting and errors. Other parts of the core (tf
// conversions, Keras' predict/fit) use only this contract; the objects
// are implemented in array_object.cc, which depends on array_ops.
#pragma once

#include <optional>

#include "../value.h"

namespace ap::np {

// True if `v` is a numpy.ndarray (not a numpy scalar).
bool IsNdarray(const Value& v);

// Wraps `t` (any dtype, any rank, shared storage) as a numpy.ndarray.
Value MakeNdarray(Tensor t);

// The tensor under an ndarray. Precondition: IsNdarray(v).
const Tensor& NdarrayTensor(const Value& v);

// True if `v` is a numpy scalar (np.float64(1.5), np.mean's result).
bool IsNumpyScalar(const Value& v);

// A numpy scalar of `t`'s dtype from a one-element tensor (np.float32(1.5)).
Value MakeNumpyScalar(Tensor t);

// The 0-d tensor under a numpy scalar. Precondition: IsNumpyScalar(v).
const Tensor& NumpyScalarTensor(const Value& v);

// The dtype a numpy dtype object (a.dtype) or scalar type (np.float32)
// names; nullopt for any other value.
std::optional<DType> NumpyDTypeOf(const Value& v);

// A numpy dtype object, as ndarray.dtype gives it: prints "float64",
// repr "dtype('float64')".
Value MakeNumpyDType(DType dtype);

// np.float32, np.int64, ...: a dtype and a scalar constructor.
Value MakeScalarType(DType dtype);

// Item assignment: the array object now holds `t` (same shape and dtype).
void ReplaceNdarrayTensor(const Value& v, Tensor t);

// bool(array): numpy's rule (one element, else ValueError).
bool TensorTruth(const Tensor& t);

}  // namespace ap::np
