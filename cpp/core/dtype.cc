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
  }
  return "DT_INVALID";
}

int DTypeSize(DType dtype) { return dtype == DType::kBool ? 1 : 4; }

std::optional<DType> ParseDType(std::string_view name) {
  if (name == "float32" || name == "float") return DType::kFloat32;
  if (name == "int32") return DType::kInt32;
  if (name == "bool") return DType::kBool;
  return std::nullopt;
}

}  // namespace ap
