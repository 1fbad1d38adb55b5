// Eye (Python-level in TF: matrix_diag of ones), MatrixBandPart, GatherV2,
// Split and SplitV. Texts: matrix_band_part_op.cc, gather_op.cc
// (SliceDebugString of the bad index), split_op.cc / split_v_op.cc, and
// the attr checks that run before a kernel (op_def_util.cc).
#include <algorithm>
#include <string>

#include "internal.h"
#include "ops.h"
#include "shape_inference.h"

namespace ap::ops {

namespace {

// Copies element `src` of x into element `dst` of out (same dtype).
void CopyElement(const Tensor& x, int64_t src, Tensor& out, int64_t dst) {
  internal::DispatchElementSize(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    internal::Raw<T>(out)[dst] = internal::Raw<T>(x)[src];
    return 0;
  });
}

// Index i of an int32 or int64 indices tensor.
int64_t IndexAt(const Tensor& indices, int64_t i) {
  return indices.dtype() == DType::kInt64 ? indices.i64()[i] : indices.i32()[i];
}

// A slice of x along `axis`: [begin, begin + size).
Tensor AxisSlice(const Tensor& x, int axis, int64_t begin, int64_t size,
                 std::string_view op) {
  Shape out_shape = x.shape();
  out_shape[axis] = size;
  Tensor out = Tensor::Zeros(x.dtype(), out_shape, op);
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= x.dim(i);
  for (int i = axis + 1; i < x.rank(); ++i) inner *= x.dim(i);
  const int64_t n = x.dim(axis);
  int64_t o = 0;
  for (int64_t a = 0; a < outer; ++a) {
    for (int64_t k = begin; k < begin + size; ++k) {
      for (int64_t b = 0; b < inner; ++b) {
        CopyElement(x, (a * n + k) * inner + b, out, o++);
      }
    }
  }
  return out;
}

}  // namespace

Tensor Eye(int64_t rows, int64_t cols, const Shape& batch, DType dtype) {
  // linalg_ops_impl.py eye (TF 2.21): ones(batch + [min(rows, cols)]), then
  // matrix_diag of it (square) or matrix_set_diag into zeros(batch + [rows,
  // cols]); a negative size fails in the first Fill.
  Shape diag = batch;
  diag.push_back(std::min(rows, cols));
  internal::ValidateMakeShape(diag, "Fill");
  Shape shape = batch;
  shape.push_back(rows);
  shape.push_back(cols);
  const char* op = rows == cols ? "MatrixDiagV3" : "Fill";
  internal::ValidateMakeShape(shape, op);
  Tensor out = Tensor::Zeros(dtype, shape, op);
  int64_t matrices = 1;
  for (int64_t d : batch) matrices *= d;
  for (int64_t m = 0; m < matrices; ++m) {
    for (int64_t i = 0; i < std::min(rows, cols); ++i) {
      const int64_t k = m * rows * cols + i * cols + i;
      internal::DispatchDType(dtype, [&](auto tag) {
        using T = decltype(tag);
        internal::Data<T>(out)[k] = T{1};
        return 0;
      });
    }
  }
  return out;
}

Tensor BandPart(const Tensor& x, int64_t num_lower, int64_t num_upper) {
  const std::string op = "MatrixBandPart";
  const Shape out_shape = Concrete(
      InferBandPartShape(ToPartialShape(x.shape()), num_lower, num_upper));
  const int64_t rows = x.dim(x.rank() - 2), cols = x.dim(x.rank() - 1);
  Tensor out = Tensor::Zeros(x.dtype(), out_shape, op);
  const int64_t per = rows * cols;
  const int64_t matrices = per == 0 ? 0 : x.num_elements() / per;
  for (int64_t m = 0; m < matrices; ++m) {
    for (int64_t i = 0; i < rows; ++i) {
      for (int64_t j = 0; j < cols; ++j) {
        const bool keep = (num_lower < 0 || i - j <= num_lower) &&
                          (num_upper < 0 || j - i <= num_upper);
        if (keep)
          CopyElement(x, m * per + i * cols + j, out, m * per + i * cols + j);
      }
    }
  }
  return out;
}

Tensor Gather(const Tensor& params, const Tensor& indices, int64_t axis) {
  const std::string op = "GatherV2";
  const int rank = params.rank();
  const Shape out_shape = Concrete(InferGatherShape(
      ToPartialShape(params.shape()), ToPartialShape(indices.shape()), axis));
  const int a = static_cast<int>(axis < 0 ? axis + rank : axis);
  const int64_t limit = params.dim(a);
  // The first bad index (row-major), named by its coordinates.
  for (int64_t i = 0; i < indices.num_elements(); ++i) {
    const int64_t v = IndexAt(indices, i);
    if (v < 0 || v >= limit) {
      Error e = MakeOpError(ErrorKind::kGatherIndex, op, {indices.shape()},
                            {v, limit});
      const size_t at = e.ints.size();
      e.ints.resize(at + indices.rank());
      int64_t rest = i;
      for (int d = indices.rank() - 1; d >= 0; --d) {
        e.ints[at + d] = rest % indices.dim(d);  // dims > 0: i exists
        rest /= indices.dim(d);
      }
      // A scalar index is a Python int or a tensor: the fast path (a list
      // of indices is the slow one, MakeOpError's default).
      if (indices.rank() == 0) e.fast_path = true;
      Raise(std::move(e));
    }
  }
  Tensor out = Tensor::Zeros(params.dtype(), out_shape, op);
  CurrentBudget()->ChargeElements(out.num_elements(),
                                  compute_cost::kStridedCopy, op);
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < a; ++i) outer *= params.dim(i);
  for (int i = a + 1; i < rank; ++i) inner *= params.dim(i);
  int64_t o = 0;
  for (int64_t p = 0; p < outer; ++p) {
    for (int64_t i = 0; i < indices.num_elements(); ++i) {
      const int64_t k = IndexAt(indices, i);
      for (int64_t b = 0; b < inner; ++b) {
        CopyElement(params, (p * limit + k) * inner + b, out, o++);
      }
    }
  }
  return out;
}

std::vector<Tensor> Split(const Tensor& x, int64_t num_split, int64_t axis) {
  const std::string op = "Split";
  const Shape part_shape =
      Concrete(InferSplitShape(ToPartialShape(x.shape()), num_split, axis));
  const int a = static_cast<int>(axis < 0 ? axis + x.rank() : axis);
  const int64_t each = part_shape[a];
  CurrentBudget()->ChargeElements(num_split, compute_cost::kTensorObject, op);
  std::vector<Tensor> parts;
  for (int64_t i = 0; i < num_split; ++i) {
    parts.push_back(AxisSlice(x, a, i * each, each, op));
  }
  return parts;
}

std::vector<Tensor> SplitV(const Tensor& x, const std::vector<int64_t>& sizes,
                           int64_t axis) {
  const std::string op = "SplitV";
  const std::vector<PartialShape> part_shapes =
      InferSplitVShapes(ToPartialShape(x.shape()), sizes, axis);
  // A single part is the input itself.
  if (sizes.size() == 1) return {x};
  const int a = static_cast<int>(axis < 0 ? axis + x.rank() : axis);
  std::vector<Tensor> parts;
  int64_t begin = 0;
  for (const PartialShape& part : part_shapes) {
    const int64_t s = part[a].size();
    parts.push_back(AxisSlice(x, a, begin, s, op));
    begin += s;
  }
  return parts;
}

}  // namespace ap::ops
