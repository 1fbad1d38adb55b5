#include "dtype.h"

namespace ap {

std::string_view DTypeName(DType dtype) {
  switch (dtype) {
    case DType::kFloat32:
      return "float32";
    case DType::kInt32:
      return "int32";
    case DType::kBool:
      return "bool";
    case DType::kFloat64:
      return "float64";
    case DType::kInt64:
      return "int64";
  }
  return "unknown";
}

std::string_view DTypeKernelName(DType dtype) {
  switch (dtype) {
    case DType::kFloat32:
      return "float";
    case DType::kInt32:
      return "int32";
    case DType::kBool:
      return "bool";
    case DType::kFloat64:
      return "double";
    case DType::kInt64:
      return "int64";
  }
  return "unknown";
}

std::string_view DTypeEnumName(DType dtype) {
  switch (dtype) {
    case DType::kFloat32:
      return "DT_FLOAT";
    case DType::kInt32:
      return "DT_INT32";
    case DType::kBool:
      return "DT_BOOL";
    case DType::kFloat64:
      return "DT_DOUBLE";
    case DType::kInt64:
      return "DT_INT64";
  }
  return "DT_INVALID";
}

int DTypeSize(DType dtype) {
  switch (dtype) {
    case DType::kBool:
      return 1;
    case DType::kFloat32:
    case DType::kInt32:
      return 4;
    case DType::kFloat64:
    case DType::kInt64:
      return 8;
  }
  return 4;
}

bool IsFloatDType(DType dtype) {
  return dtype == DType::kFloat32 || dtype == DType::kFloat64;
}

bool IsIntegerDType(DType dtype) {
  return dtype == DType::kInt32 || dtype == DType::kInt64;
}

std::optional<DType> ParseDType(std::string_view name) {
  if (name == "float32" || name == "float") return DType::kFloat32;
  if (name == "int32") return DType::kInt32;
  if (name == "bool") return DType::kBool;
  if (name == "float64" || name == "double") return DType::kFloat64;
  if (name == "int64") return DType::kInt64;
  return std::nullopt;
}

}  // namespace ap
