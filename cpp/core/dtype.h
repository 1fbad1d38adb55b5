// Element types the playground models, with TensorFlow's names and sizes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ap {

enum class DType { kFloat32, kInt32, kBool, kFloat64, kInt64 };

// "float32", "int32", "bool", "float64", "int64": the names tf.DType.name
// and Keras print.
std::string_view DTypeName(DType dtype);

// TensorFlow's short type name used in kernel messages ("float", "int32",
// "bool", "double", "int64").
std::string_view DTypeKernelName(DType dtype);

// TensorFlow's enum spelling used in graph-mode messages (DT_FLOAT, DT_INT32,
// DT_BOOL, DT_DOUBLE, DT_INT64).
std::string_view DTypeEnumName(DType dtype);

// Bytes per element as TensorFlow stores them; the memory budget counts these.
int DTypeSize(DType dtype);

bool IsFloatDType(DType dtype);    // float32, float64
bool IsIntegerDType(DType dtype);  // int32, int64

// Parses "float32", "int32", "bool", "float64", "int64" (and "float" as
// float32, "double" as float64); nullopt otherwise.
std::optional<DType> ParseDType(std::string_view name);

}  // namespace ap
