// Helpers shared by the op families (not part of the public ops API):
// broadcast iteration, TensorFlow's BCast dimension collapsing, dtype checks
// and the common error builders.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../error.h"
#include "../tensor.h"

// Size over speed for the functions of an -O3 source that are not hot
// (validation, error text, a memcpy per row): clang's per-function -Oz. The
// WASM build compiles the hot sources -O3 (cpp/wasm/CMakeLists.txt).
#if defined(__clang__)
#define AP_MINSIZE __attribute__((minsize))
#else
#define AP_MINSIZE
#endif
// On a hot helper called from an AP_MINSIZE function: inlined there, its
// loops would be compiled for size too.
#define AP_NOINLINE __attribute__((noinline))

namespace ap::ops::internal {

// Strides of `in` (row-major) seen from a broadcast output of shape `out`:
// 0 on broadcast (size-1 or missing) axes.
std::vector<int64_t> BroadcastStrides(const Shape& in, const Shape& out);

// The rank TensorFlow's BCast (fewer_dims_optimization) reshapes two operands
// to: runs of axes with the same "which operand is 1" pattern merge, axes
// where every operand is 1 drop out. Binary cwise kernels handle at most 5.
int BCastCollapsedRank(const std::vector<Shape>& shapes);

// Calls f(out_index, offsets) for every element of `out` in row-major order;
// offsets[k] is the element offset into operand k (see BroadcastStrides).
template <size_t N, typename F>
void ForEachBroadcast(const Shape& out,
                      const std::array<std::vector<int64_t>, N>& strides,
                      F&& f) {
  const int rank = static_cast<int>(out.size());
  for (int64_t d : out) {
    if (d == 0) return;
  }
  std::array<int64_t, N> off{};
  if (rank == 0) {
    f(int64_t{0}, off);
    return;
  }
  std::vector<int64_t> idx(rank, 0);
  std::array<int64_t, N> base{};
  std::array<int64_t, N> inner_stride;
  for (size_t k = 0; k < N; ++k) inner_stride[k] = strides[k][rank - 1];
  const int64_t inner = out[rank - 1];
  int64_t o = 0;
  while (true) {
    for (int64_t i = 0; i < inner; ++i) {
      for (size_t k = 0; k < N; ++k) off[k] = base[k] + i * inner_stride[k];
      f(o++, off);
    }
    int d = rank - 2;
    for (; d >= 0; --d) {
      ++idx[d];
      for (size_t k = 0; k < N; ++k) base[k] += strides[k][d];
      if (idx[d] < out[d]) break;
      for (size_t k = 0; k < N; ++k) base[k] -= strides[k][d] * out[d];
      idx[d] = 0;
    }
    if (d < 0) break;
  }
}

// "cannot compute {op} as input #{index}(zero-based) was expected to be a
// {expected} tensor but is a {got} tensor": raised by TF's eager executor
// before the kernel runs, so without the function_node prefix.
[[noreturn]] void RaiseDTypeMismatch(std::string_view op, int index,
                                     DType expected, DType got,
                                     std::string_view name = "");

// The op is valid TensorFlow but needs a dtype the playground does not model
// (or TF rejects the dtype with an attr-list error we do not reproduce):
// error.h's helper, so that internal::RaiseNotSupported keeps working.
using ap::RaiseNotSupported;

// TF's InvalidArgumentError for an op that has no kernel for `dtype`
// ("Value for attr 'T' of int64 is not in the list of allowed values: ...
// [Op:Exp] name: "), for the ops attr_errors.cc lists (HasAttrList);
// NotSupportedError for any other op.
bool HasAttrList(std::string_view op);
[[noreturn]] void RaiseAttrNotAllowed(std::string_view op, DType dtype,
                                      std::string_view name = "");

// Raises `e` after filling op_name.
[[noreturn]] void RaiseOp(Error e, std::string_view name = "");

// Shape validation shared by creation ops (TensorShapeUtils::MakeShape):
// negative dims and element-count overflow.
void ValidateMakeShape(const Shape& shape, std::string_view op);

// Typed dispatch: calls f(T{}) with T = float, int32_t, uint8_t (bool),
// double or int64_t.
template <typename F>
auto DispatchDType(DType dtype, F&& f) {
  switch (dtype) {
    case DType::kInt32:
      return f(int32_t{});
    case DType::kBool:
      return f(uint8_t{});
    case DType::kFloat64:
      return f(double{});
    case DType::kInt64:
      return f(int64_t{});
    case DType::kFloat32:
    default:
      return f(float{});
  }
}

// Data movement (transpose, pad, select, slices) copies elements without
// looking at them: calls f(T{}) with T = uint32_t for float32/int32 (the same
// bits), uint64_t for float64/int64 or uint8_t for bool, so each op has
// three loops instead of five.
template <typename F>
auto DispatchElementSize(DType dtype, F&& f) {
  if (dtype == DType::kBool) return f(uint8_t{});
  if (DTypeSize(dtype) == 8) return f(uint64_t{});
  return f(uint32_t{});
}
template <typename T>
const T* Raw(const Tensor& t) {
  return reinterpret_cast<const T*>(t.b8());
}
template <typename T>
T* Raw(Tensor& t) {
  return reinterpret_cast<T*>(t.b8());
}

template <typename T>
T* Data(Tensor& t);
template <>
inline float* Data<float>(Tensor& t) {
  return t.f32();
}
template <>
inline int32_t* Data<int32_t>(Tensor& t) {
  return t.i32();
}
template <>
inline uint8_t* Data<uint8_t>(Tensor& t) {
  return t.b8();
}
template <>
inline double* Data<double>(Tensor& t) {
  return t.f64();
}
template <>
inline int64_t* Data<int64_t>(Tensor& t) {
  return t.i64();
}
template <typename T>
const T* Data(const Tensor& t);
template <>
inline const float* Data<float>(const Tensor& t) {
  return t.f32();
}
template <>
inline const int32_t* Data<int32_t>(const Tensor& t) {
  return t.i32();
}
template <>
inline const uint8_t* Data<uint8_t>(const Tensor& t) {
  return t.b8();
}
template <>
inline const double* Data<double>(const Tensor& t) {
  return t.f64();
}
template <>
inline const int64_t* Data<int64_t>(const Tensor& t) {
  return t.i64();
}

// Tensor::Zeros followed by a copy of `src`'s elements (same dtype and count).
Tensor CopyOf(const Tensor& src, Shape shape, std::string_view op);

// Wrapping int32 arithmetic (TF on CPU wraps; C++ signed overflow is UB).
inline int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) +
                              static_cast<uint32_t>(b));
}
inline int32_t WrapSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) -
                              static_cast<uint32_t>(b));
}
inline int32_t WrapMul(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) *
                              static_cast<uint32_t>(b));
}
inline int64_t WrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) +
                              static_cast<uint64_t>(b));
}
inline int64_t WrapSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) -
                              static_cast<uint64_t>(b));
}
inline int64_t WrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) *
                              static_cast<uint64_t>(b));
}

}  // namespace ap::ops::internal
