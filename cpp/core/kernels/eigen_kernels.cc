// The Eigen formulations of MatMul and Softmax: what the hand-written
// kernels (gemm.cc, softmax.cc) are measured against. See kernels.h.
#include <cmath>

#include "eigen_view.h"
#include "kernels.h"

namespace ap::kernels {

void SgemmEigen(int64_t m, int64_t n, int64_t k, const float* a, bool trans_a,
                const float* b, bool trans_b, float* c) {
  auto out = Matrix(c, m, n);
  const auto a_rows = Matrix(a, trans_a ? k : m, trans_a ? m : k);
  const auto b_rows = Matrix(b, trans_b ? n : k, trans_b ? k : n);
  if (trans_a && trans_b) {
    out.noalias() = a_rows.transpose() * b_rows.transpose();
  } else if (trans_a) {
    out.noalias() = a_rows.transpose() * b_rows;
  } else if (trans_b) {
    out.noalias() = a_rows * b_rows.transpose();
  } else {
    out.noalias() = a_rows * b_rows;
  }
}

void SgemmSmall(int64_t m, int64_t n, int64_t k, const float* a, bool trans_a,
                const float* b, bool trans_b, float* c) {
  auto out = Matrix(c, m, n);
  const auto a_rows = Matrix(a, trans_a ? k : m, trans_a ? m : k);
  const auto b_rows = Matrix(b, trans_b ? n : k, trans_b ? k : n);
  out.setZero();
  // One rank-1 update per k, row by row: c[i, :] += a[i, p] * b[p, :], so
  // each element is ((0 + a0 b0) + a1 b1) + ..., as in Sgemm's panels.
  for (Eigen::Index p = 0; p < static_cast<Eigen::Index>(k); ++p) {
    for (Eigen::Index i = 0; i < out.rows(); ++i) {
      const float a_ip = trans_a ? a_rows(p, i) : a_rows(i, p);
      if (trans_b) {
        out.row(i) += a_ip * b_rows.col(p).transpose();
      } else {
        out.row(i) += a_ip * b_rows.row(p);
      }
    }
  }
}

void SoftmaxRowsEigen(const float* in, float* out, int64_t rows, int64_t len) {
  if (len <= 0) return;
  const auto x = Matrix(in, rows, len);
  auto y = Matrix(out, rows, len);
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const float mx = x.row(r).maxCoeff();
    y.row(r) = (x.row(r).array() - mx).exp().matrix();
    y.row(r) /= y.row(r).sum();
  }
}

}  // namespace ap::kernels
