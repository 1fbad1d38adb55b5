// Eye (Python-level in TF: matrix_diag of ones), MatrixBandPart, GatherV2,
// Split and SplitV. Texts: matrix_band_part_op.cc, gather_op.cc
// (SliceDebugString of the bad index), split_op.cc / split_v_op.cc.
#include <string>

#include "internal.h"
#include "ops.h"

namespace ap::ops {

namespace {

std::string DimsText(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) out += ",";
    out += std::to_string(s[i]);
  }
  return out + "]";
}

[[noreturn]] void RaiseOpText(std::string op, std::string text,
                              std::string name = "", std::string suffix = "") {
  Error e;
  e.cls = ErrorClass::kInvalidArgumentError;
  e.kind = ErrorKind::kText;
  e.text = std::move(text);
  e.op = std::move(op);
  e.op_suffix = std::move(suffix);
  internal::RaiseOp(std::move(e), name);
}

// Copies element `src` of x into element `dst` of out (same dtype).
void CopyElement(const Tensor& x, int64_t src, Tensor& out, int64_t dst) {
  switch (x.dtype()) {
    case DType::kFloat32:
      out.f32()[dst] = x.f32()[src];
      break;
    case DType::kInt32:
      out.i32()[dst] = x.i32()[src];
      break;
    case DType::kBool:
      out.b8()[dst] = x.b8()[src];
      break;
  }
}

// A slice of x along `axis`: [begin, begin + size).
Tensor AxisSlice(const Tensor& x, int axis, Dim begin, Dim size,
                 std::string_view op) {
  Shape out_shape = x.shape();
  out_shape[axis] = size;
  Tensor out = Tensor::Zeros(x.dtype(), out_shape, op);
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= x.dim(i);
  for (int i = axis + 1; i < x.rank(); ++i) inner *= x.dim(i);
  const Dim n = x.dim(axis);
  int64_t o = 0;
  for (int64_t a = 0; a < outer; ++a) {
    for (Dim k = begin; k < begin + size; ++k) {
      for (int64_t b = 0; b < inner; ++b) {
        CopyElement(x, (a * n + k) * inner + b, out, o++);
      }
    }
  }
  return out;
}

}  // namespace

Tensor Eye(Dim rows, Dim cols, const Shape& batch, DType dtype) {
  Shape shape = batch;
  shape.push_back(rows);
  shape.push_back(cols);
  internal::ValidateMakeShape(shape, "MatrixDiagV3");
  Tensor out = Tensor::Zeros(dtype, shape, "MatrixDiagV3");
  int64_t matrices = 1;
  for (Dim d : batch) matrices *= d;
  for (int64_t m = 0; m < matrices; ++m) {
    for (Dim i = 0; i < std::min(rows, cols); ++i) {
      const int64_t k = m * rows * cols + i * cols + i;
      switch (dtype) {
        case DType::kFloat32:
          out.f32()[k] = 1.0f;
          break;
        case DType::kInt32:
          out.i32()[k] = 1;
          break;
        case DType::kBool:
          out.b8()[k] = 1;
          break;
      }
    }
  }
  return out;
}

Tensor BandPart(const Tensor& x, int64_t num_lower, int64_t num_upper) {
  const std::string op = "MatrixBandPart";
  if (x.rank() < 2) {
    RaiseOpText(op, "input must be at least 2-dim, received shape: " +
                        DimsText(x.shape()));
  }
  const Dim rows = x.dim(x.rank() - 2), cols = x.dim(x.rank() - 1);
  if (num_lower > rows) {
    RaiseOpText(op,
                "num_lower must be negative or less or equal to number of "
                "rows (" +
                    std::to_string(rows) +
                    ") got: " + std::to_string(num_lower));
  }
  if (num_upper > cols) {
    RaiseOpText(op,
                "num_upper must be negative or less or equal to number of "
                "columns (" +
                    std::to_string(cols) +
                    ") got: " + std::to_string(num_upper));
  }
  Tensor out = Tensor::Zeros(x.dtype(), x.shape(), op);
  const int64_t per = rows * cols;
  const int64_t matrices = per == 0 ? 0 : x.num_elements() / per;
  for (int64_t m = 0; m < matrices; ++m) {
    for (Dim i = 0; i < rows; ++i) {
      for (Dim j = 0; j < cols; ++j) {
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
  if (axis < -rank || axis >= rank) {
    RaiseOpText(op, "Expected axis in the range [" + std::to_string(-rank) +
                        ", " + std::to_string(rank) + "), but got " +
                        std::to_string(axis));
  }
  const int a = static_cast<int>(axis < 0 ? axis + rank : axis);
  const Dim limit = params.dim(a);
  // The first bad index (row-major), as gather_op.cc reports it.
  for (int64_t i = 0; i < indices.num_elements(); ++i) {
    const int64_t v = indices.i32()[i];
    if (v < 0 || v >= limit) {
      std::string where = "[";
      int64_t rest = i;
      std::vector<int64_t> coords(indices.rank());
      for (int d = indices.rank() - 1; d >= 0; --d) {
        coords[d] = indices.dim(d) == 0 ? 0 : rest % indices.dim(d);
        rest = indices.dim(d) == 0 ? 0 : rest / indices.dim(d);
      }
      for (size_t d = 0; d < coords.size(); ++d) {
        if (d) where += ",";
        where += std::to_string(coords[d]);
      }
      where += "]";
      if (indices.rank() == 0) where = "";
      RaiseOpText(op, "indices" + where + " = " + std::to_string(v) +
                          " is not in [0, " + std::to_string(limit) + ")");
    }
  }
  Shape out_shape(params.shape().begin(), params.shape().begin() + a);
  out_shape.insert(out_shape.end(), indices.shape().begin(),
                   indices.shape().end());
  out_shape.insert(out_shape.end(), params.shape().begin() + a + 1,
                   params.shape().end());
  Tensor out = Tensor::Zeros(params.dtype(), out_shape, op);
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < a; ++i) outer *= params.dim(i);
  for (int i = a + 1; i < rank; ++i) inner *= params.dim(i);
  int64_t o = 0;
  for (int64_t p = 0; p < outer; ++p) {
    for (int64_t i = 0; i < indices.num_elements(); ++i) {
      const int64_t k = indices.i32()[i];
      for (int64_t b = 0; b < inner; ++b) {
        CopyElement(params, (p * limit + k) * inner + b, out, o++);
      }
    }
  }
  return out;
}

std::vector<Tensor> Split(const Tensor& x, int64_t num_split, int64_t axis) {
  const std::string op = "Split";
  const int rank = x.rank();
  if (axis < -rank || axis >= rank) {
    RaiseOpText(op,
                "-input rank(-" + std::to_string(rank) +
                    ") <= split_dim < input rank (" + std::to_string(rank) +
                    "), but got " + std::to_string(axis),
                "split");
  }
  const int a = static_cast<int>(axis < 0 ? axis + rank : axis);
  if (num_split <= 0) {
    RaiseOpText(op,
                "Number of ways to split should be > 0, but got " +
                    std::to_string(num_split),
                "split");
  }
  const Dim size = x.dim(a);
  if (size % num_split != 0) {
    RaiseOpText(op,
                "Number of ways to split should evenly divide the split "
                "dimension, but got split_dim " +
                    std::to_string(a) + " (size = " + std::to_string(size) +
                    ") and num_split " + std::to_string(num_split),
                "split");
  }
  std::vector<Tensor> parts;
  const Dim each = size / num_split;
  for (int64_t i = 0; i < num_split; ++i) {
    parts.push_back(AxisSlice(x, a, i * each, each, op));
  }
  return parts;
}

std::vector<Tensor> SplitV(const Tensor& x, const std::vector<int64_t>& sizes,
                           int64_t axis) {
  const std::string op = "SplitV";
  const int rank = x.rank();
  if (axis < -rank || axis >= rank) {
    internal::RaiseNotSupported(
        "tf.split with an axis outside the input's rank");
  }
  const int a = static_cast<int>(axis < 0 ? axis + rank : axis);
  const Dim size = x.dim(a);
  int unknown = -1;
  int64_t known = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1 && unknown < 0) {
      unknown = static_cast<int>(i);
    } else if (sizes[i] < 0) {
      internal::RaiseNotSupported("tf.split with negative sizes");
    } else {
      known += sizes[i];
    }
  }
  std::vector<int64_t> resolved = sizes;
  if (unknown >= 0) {
    if (known > size) {
      internal::RaiseNotSupported("tf.split sizes larger than the dimension");
    }
    resolved[unknown] = size - known;
  } else if (known != size) {
    RaiseOpText(op,
                "Determined shape must either match input shape along "
                "split_dim exactly if fully specified, or be less than the "
                "size of the input along split_dim if not fully specified.  "
                "Got: " +
                    std::to_string(known),
                "split");
  }
  std::vector<Tensor> parts;
  Dim begin = 0;
  for (int64_t s : resolved) {
    parts.push_back(AxisSlice(x, a, begin, s, op));
    begin += s;
  }
  return parts;
}

}  // namespace ap::ops
