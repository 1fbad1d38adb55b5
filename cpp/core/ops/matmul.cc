// tf.matmul: MatMul (both rank 2) or BatchMatMulV2 (broadcast batch dims).
// Texts: tensorflow/core/kernels/matmul_op_impl.h (MatMulOp and
// BaseBatchMatMulOp::ValidateInputTensors).
#include "../kernels/eigen_view.h"
#include "../kernels/kernels.h"
#include "internal.h"
#include "ops.h"
#include "shape_inference.h"

namespace ap::ops {

namespace {

// The products that are not float32 (whose SIMD GEMM is kernels::Sgemm):
// Eigen's coefficient-by-coefficient product (lazyProduct), each output
// element summed over k in increasing order. Integer products wrap in TF,
// so int32 and int64 run over the same bits as uint32 / uint64: modular
// arithmetic, where a signed product could overflow (UB), and the order of
// the sums does not matter. Not Eigen's blocked GEMM: these products are
// rare and small, and that GEMM was ~50 KB of WASM per scalar type.
// T is uint32_t, uint64_t or double.
template <typename T>
AP_NOINLINE void GemmLazy(const T* a, int64_t cols_a, bool ta, const T* b,
                          int64_t cols_b, bool tb, T* out, int64_t m, int64_t n,
                          int64_t k) {
  using kernels::Matrix;
  auto c = Matrix(out, m, n);
  // op(a) (m x k) and op(b) (k x n); a stored with cols_a columns, b with
  // cols_b.
  const auto a_rows = Matrix(a, ta ? k : m, cols_a);
  const auto b_rows = Matrix(b, tb ? n : k, cols_b);
  if (ta && tb) {
    c = a_rows.transpose().lazyProduct(b_rows.transpose());
  } else if (ta) {
    c = a_rows.transpose().lazyProduct(b_rows);
  } else if (tb) {
    c = a_rows.lazyProduct(b_rows.transpose());
  } else {
    c = a_rows.lazyProduct(b_rows);
  }
}

// GemmLazy over a's dtype (int32 and int64 as their unsigned bits).
void GemmOther(const Tensor& a, int64_t a_off, int64_t cols_a, bool ta,
               const Tensor& b, int64_t b_off, int64_t cols_b, bool tb,
               Tensor& out, int64_t out_off, int64_t m, int64_t n, int64_t k) {
  auto run = [&](auto tag) {
    using T = decltype(tag);
    GemmLazy(internal::Raw<T>(a) + a_off, cols_a, ta,
             internal::Raw<T>(b) + b_off, cols_b, tb,
             internal::Raw<T>(out) + out_off, m, n, k);
  };
  switch (a.dtype()) {
    case DType::kFloat64:
      run(double{});
      break;
    case DType::kInt64:
      run(uint64_t{});
      break;
    default:  // int32
      run(uint32_t{});
      break;
  }
}

}  // namespace

AP_MINSIZE Tensor MatMul(const Tensor& a, const Tensor& b, bool transpose_a,
                         bool transpose_b) {
  // tf.matmul picks MatMul unless an operand has rank > 2.
  const bool batched = a.rank() > 2 || b.rank() > 2;
  const std::string type = batched ? "BatchMatMulV2" : "MatMul";
  if (a.dtype() != b.dtype()) {
    internal::RaiseDTypeMismatch(type, 1, a.dtype(), b.dtype());
  }
  if (a.dtype() == DType::kBool) {
    internal::RaiseAttrNotAllowed(type, a.dtype());
  }

  const Shape out_shape = Concrete(InferMatMulShape(ToPartialShape(a.shape()),
                                                    ToPartialShape(b.shape()),
                                                    transpose_a, transpose_b));
  const int ra = a.rank(), rb = b.rank();
  const int64_t a_rows = a.dim(ra - 2), a_cols = a.dim(ra - 1);
  const int64_t b_rows = b.dim(rb - 2), b_cols = b.dim(rb - 1);
  const Shape batch(out_shape.begin(), out_shape.end() - 2);
  const int64_t m = transpose_a ? a_cols : a_rows;
  const int64_t k = transpose_a ? a_rows : a_cols;
  const int64_t n = transpose_b ? b_rows : b_cols;
  Tensor out = Tensor::Uninitialized(a.dtype(), out_shape, type);
  if (out.num_elements() == 0) return out;  // k == 0 leaves zeros
  // k multiply-adds per output element, against the run's compute budget.
  CurrentBudget()->ChargeMultiplyAdds(out.num_elements(), k, type);

  // One product per broadcast batch index; the operand offsets come from
  // the broadcast walk (no per-batch tables, whatever the batch count).
  auto product = [&](int64_t i, int64_t a_off, int64_t b_off) {
    if (a.dtype() == DType::kFloat32) {
      kernels::Sgemm(m, n, k, a.f32() + a_off, transpose_a, b.f32() + b_off,
                     transpose_b, out.f32() + i * m * n);
    } else {
      GemmOther(a, a_off, a_cols, transpose_a, b, b_off, b_cols, transpose_b,
                out, i * m * n, m, n, k);
    }
  };
  if (!batched) {
    product(0, 0, 0);
    return out;
  }
  const Shape a_batch(a.shape().begin(), a.shape().end() - 2);
  const Shape b_batch(b.shape().begin(), b.shape().end() - 2);
  std::array<std::vector<int64_t>, 2> strides = {
      internal::BroadcastStrides(a_batch, batch),
      internal::BroadcastStrides(b_batch, batch)};
  const int64_t a_mat = a_rows * a_cols, b_mat = b_rows * b_cols;
  internal::ForEachBroadcast<2>(
      batch, strides, [&](int64_t i, const std::array<int64_t, 2>& off) {
        product(i, off[0] * a_mat, off[1] * b_mat);
      });
  return out;
}

AP_MINSIZE bool DotAttentionFuses(const Tensor& q, const Tensor& k,
                                  const Tensor& v, bool transpose_k) {
  const int rank = q.rank();
  if (q.dtype() != DType::kFloat32 || k.dtype() != DType::kFloat32 ||
      v.dtype() != DType::kFloat32 || rank < 2 || k.rank() != rank ||
      v.rank() != rank) {
    return false;
  }
  const int64_t tq = q.dim(rank - 2), d = q.dim(rank - 1);
  const int64_t tv = transpose_k ? k.dim(rank - 2) : k.dim(rank - 1);
  const int64_t kd = transpose_k ? k.dim(rank - 1) : k.dim(rank - 2);
  if (kd != d || v.dim(rank - 2) != tv || tq <= 0 || tv <= 0 || d <= 0 ||
      v.dim(rank - 1) <= 0) {
    return false;
  }
  for (int i = 0; i < rank - 2; ++i) {
    if (q.dim(i) <= 0 || k.dim(i) != q.dim(i) || v.dim(i) != q.dim(i)) {
      return false;
    }
  }
  return true;
}

AP_MINSIZE AttentionTensors DotAttention(const Tensor& q, const Tensor& k,
                                         const Tensor& v, bool transpose_k) {
  const bool fused = DotAttentionFuses(q, k, v, transpose_k);
  if (!fused) {
    AttentionTensors r;
    r.scores = MatMul(q, k, false, transpose_k);
    r.weights = Softmax(r.scores, -1);
    r.output = MatMul(r.weights, v);
    return r;
  }
  const int rank = q.rank();
  const int64_t tq = q.dim(rank - 2), d = q.dim(rank - 1);
  const int64_t tv = transpose_k ? k.dim(rank - 2) : k.dim(rank - 1);
  const int64_t dv = v.dim(rank - 1);
  // What MatMul, Softmax and MatMul allocate and charge, in their order.
  const std::string type = rank > 2 ? "BatchMatMulV2" : "MatMul";
  // InferDotAttentionShapes' result, which DotAttentionFuses has checked
  // cannot fail; built directly (this runs in the first verdict, and the
  // partial-shape round trip costs first-load bytes).
  Shape scores_shape(q.shape().begin(), q.shape().end() - 2);
  Shape out_shape = scores_shape;
  scores_shape.push_back(tq);
  scores_shape.push_back(tv);
  out_shape.push_back(tq);
  out_shape.push_back(dv);
  auto charge_product = [&](const Tensor& out, int64_t inner) {
    CurrentBudget()->ChargeMultiplyAdds(out.num_elements(), inner, type);
  };
  AttentionTensors r;
  r.scores = Tensor::Uninitialized(DType::kFloat32, scores_shape, type);
  charge_product(r.scores, d);
  r.weights = Tensor::Uninitialized(DType::kFloat32, scores_shape, "Softmax");
  r.output = Tensor::Uninitialized(DType::kFloat32, out_shape, type);
  charge_product(r.output, tv);
  const int64_t batches = r.scores.num_elements() / (tq * tv);
  for (int64_t b = 0; b < batches; ++b) {
    kernels::AttentionForward(
        tq, tv, d, dv, q.f32() + b * tq * d, k.f32() + b * tv * d, transpose_k,
        v.f32() + b * tv * dv, r.scores.f32() + b * tq * tv,
        r.weights.f32() + b * tq * tv, r.output.f32() + b * tq * dv);
  }
  return r;
}

}  // namespace ap::ops
