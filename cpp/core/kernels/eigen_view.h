// Tensor storage seen as Eigen maps, without a copy: flat arrays for
// elementwise work and row-major matrices (with a row stride where the rows
// are not packed) for products and reductions. The only header of the core
// that includes Eigen, so every translation unit sees Eigen's configuration
// below.
#pragma once

#include <cstdint>

// Exact IEEE sqrt: with fast math, Eigen 3.4's SSE sqrt is an rsqrt estimate
// and one Newton step (Eigen/src/Core/arch/SSE/MathFunctions.h), 1-2 bits off
// the std::sqrt the WASM build (no Eigen SIMD backend) would compute.
#if defined(EIGEN_FAST_MATH) && EIGEN_FAST_MATH != 0
#error "ap needs EIGEN_FAST_MATH 0: include Eigen through kernels/eigen_view.h"
#endif
#define EIGEN_FAST_MATH 0
#include <Eigen/Core>

namespace ap::kernels {

template <typename T>
using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <typename T>
using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

template <typename T>
using RowMajorMatrix =
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// Rows `stride` elements apart (stride >= cols).
template <typename T>
using MatrixMap =
    Eigen::Map<RowMajorMatrix<T>, Eigen::Unaligned, Eigen::OuterStride<>>;
template <typename T>
using ConstMatrixMap =
    Eigen::Map<const RowMajorMatrix<T>, Eigen::Unaligned, Eigen::OuterStride<>>;

// n contiguous elements from p.
template <typename T>
ArrayMap<T> Flat(T* p, int64_t n) {
  return ArrayMap<T>(p, static_cast<Eigen::Index>(n));
}
template <typename T>
ConstArrayMap<T> Flat(const T* p, int64_t n) {
  return ConstArrayMap<T>(p, static_cast<Eigen::Index>(n));
}

// rows x cols, row-major, row r at p + r * stride (stride 0: packed rows).
template <typename T>
MatrixMap<T> Matrix(T* p, int64_t rows, int64_t cols, int64_t stride = 0) {
  return MatrixMap<T>(p, static_cast<Eigen::Index>(rows),
                      static_cast<Eigen::Index>(cols),
                      Eigen::OuterStride<>(stride ? stride : cols));
}
template <typename T>
ConstMatrixMap<T> Matrix(const T* p, int64_t rows, int64_t cols,
                         int64_t stride = 0) {
  return ConstMatrixMap<T>(p, static_cast<Eigen::Index>(rows),
                           static_cast<Eigen::Index>(cols),
                           Eigen::OuterStride<>(stride ? stride : cols));
}

}  // namespace ap::kernels
