// Shape manipulation: Pad/PadV2, ExpandDims, Squeeze, Reshape, Transpose,
// ConcatV2, Pack (tf.stack), Tile. Texts from tensorflow/core/kernels:
// pad_op.cc, shape_ops.h (ExpandDims/Squeeze), reshape_op.h,
// transpose_op.cc, concat_op.cc, pack_op.cc, tile_ops.cc; tf.stack's axis
// check and tf.concat's single-input shortcut are Python (array_ops.py).
//
// Reshape, ExpandDims and Squeeze share the input's storage, as TF's
// kernels do (tensors are immutable), so they allocate nothing.
#include <algorithm>
#include <cstring>
#include <limits>

#include "internal.h"
#include "ops.h"
#include "shape_inference.h"

namespace ap::ops {

namespace {

int64_t Product(const Shape& s, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t i = from; i < to; ++i) p *= s[i];
  return p;
}

// Copies `count` elements of the same dtype between raw buffers.
AP_MINSIZE void CopyElements(const Tensor& src, int64_t src_off, Tensor& dst,
                             int64_t dst_off, int64_t count) {
  if (count <= 0) return;
  const int size = DTypeSize(src.dtype());
  // b8() is the start of any tensor's buffer, as bytes.
  const uint8_t* from = src.b8();
  uint8_t* to = dst.b8();
  std::memcpy(to + dst_off * size, from + src_off * size, count * size);
}

// Transpose's copy: -O3 (Transpose around it is compiled for size).
template <typename T>
AP_NOINLINE void TransposeCopy(
    const T* in, T* o, const Shape& out_shape,
    const std::array<std::vector<int64_t>, 1>& strides) {
  internal::ForEachBroadcast<1>(
      out_shape, strides,
      [&](int64_t i, const std::array<int64_t, 1>& off) { o[i] = in[off[0]]; });
}

}  // namespace

AP_MINSIZE Tensor Pad(const Tensor& x, const Tensor& paddings,
                      double constant) {
  // tf.pad uses Pad when constant_values is the Python scalar 0.
  const std::string type = constant == 0 ? "Pad" : "PadV2";
  if (!IsIntegerDType(paddings.dtype())) {
    internal::RaiseNotSupported(
        "tf.pad paddings must be an int32 or int64 tensor here.");
  }
  auto padding = [&](int64_t i) -> int64_t {
    return paddings.dtype() == DType::kInt64 ? paddings.i64()[i]
                                             : paddings.i32()[i];
  };
  const int dims = x.rank();
  std::vector<int64_t> paddings_values;
  if (paddings.rank() == 2 && paddings.dim(1) == 2 && paddings.dim(0) == dims) {
    for (int64_t i = 0; i < paddings.num_elements(); ++i) {
      paddings_values.push_back(padding(i));
    }
  }
  const Shape out_shape = Concrete(
      InferPadShape(ToPartialShape(x.shape()), ToPartialShape(paddings.shape()),
                    paddings_values, type));
  std::vector<int64_t> before(dims);
  for (int d = 0; d < dims; ++d) before[d] = padding(2 * d);
  Tensor out = Tensor::Zeros(x.dtype(), out_shape, type);
  const int64_t n = out.num_elements();
  if (constant != 0) {
    internal::DispatchDType(out.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T value = std::is_same_v<T, uint8_t> ? T(constant != 0)
                                                 : static_cast<T>(constant);
      std::fill_n(internal::Data<T>(out), n, value);
      return 0;
    });
  }
  if (x.num_elements() == 0) return out;
  const std::vector<int64_t> out_strides = RowMajorStrides(out_shape);
  int64_t base = 0;
  for (int d = 0; d < dims; ++d) base += before[d] * out_strides[d];
  std::array<std::vector<int64_t>, 1> strides = {out_strides};
  internal::DispatchElementSize(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = internal::Raw<T>(x);
    T* o = internal::Raw<T>(out);
    internal::ForEachBroadcast<1>(
        x.shape(), strides, [&](int64_t i, const std::array<int64_t, 1>& off) {
          o[base + off[0]] = in[i];
        });
    return 0;
  });
  return out;
}

AP_MINSIZE Tensor ExpandDims(const Tensor& x, int64_t axis) {
  return x.WithShape(
      Concrete(InferExpandDimsShape(ToPartialShape(x.shape()), axis)));
}

AP_MINSIZE Tensor Squeeze(const Tensor& x, const std::vector<int64_t>& axes) {
  return x.WithShape(
      Concrete(InferSqueezeShape(ToPartialShape(x.shape()), axes)));
}

AP_MINSIZE Tensor Reshape(const Tensor& x, const std::vector<int64_t>& sizes) {
  return x.WithShape(
      Concrete(InferReshapeShape(ToPartialShape(x.shape()), sizes)));
}

AP_MINSIZE Tensor
Transpose(const Tensor& x, const std::optional<std::vector<int64_t>>& perm_in) {
  const std::string type = "Transpose";
  const int dims = x.rank();
  const TransposeInference inferred =
      InferTransposeShape(ToPartialShape(x.shape()), perm_in);
  const std::vector<int64_t>& perm = inferred.perm;
  const Shape out_shape = Concrete(inferred.shape);
  Tensor out = Tensor::Uninitialized(x.dtype(), out_shape, type);
  CurrentBudget()->ChargeElements(out.num_elements(),
                                  compute_cost::kStridedCopy, type);
  const std::vector<int64_t> in_strides = RowMajorStrides(x.shape());
  std::array<std::vector<int64_t>, 1> strides;
  for (int i = 0; i < dims; ++i) strides[0].push_back(in_strides[perm[i]]);
  internal::DispatchElementSize(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    TransposeCopy(internal::Raw<T>(x), internal::Raw<T>(out), out_shape,
                  strides);
    return 0;
  });
  return out;
}

AP_MINSIZE Tensor Concat(const std::vector<Tensor>& values, int64_t axis) {
  const std::string type = "ConcatV2";
  if (values.empty()) {
    internal::RaiseNotSupported("tf.concat needs at least one tensor.");
  }
  // tf.concat returns identity(values[0]) for a single tensor: no kernel,
  // so no axis check.
  if (values.size() == 1) return values[0];
  const std::string suffix = "_N_" + std::to_string(values.size());
  for (size_t i = 1; i < values.size(); ++i) {
    if (values[i].dtype() != values[0].dtype()) {
      Error e = MakeOpError(ErrorKind::kDTypeMismatch, type, {},
                            {static_cast<int64_t>(i)});
      e.dtypes = {values[0].dtype(), values[i].dtype()};
      e.eager_envelope = false;
      e.op_suffix = suffix;
      Raise(std::move(e));
    }
  }
  std::vector<PartialShape> shapes;
  for (const Tensor& v : values) shapes.push_back(ToPartialShape(v.shape()));
  const Shape out_shape = Concrete(InferConcatShape(shapes, axis));
  const Shape& s0 = values[0].shape();
  const int64_t ax = axis < 0 ? axis + values[0].rank() : axis;
  const int64_t axis_total = out_shape[ax];
  Tensor out;
  try {
    out = Tensor::Zeros(values[0].dtype(), out_shape, type);
  } catch (ErrorException& ex) {
    ex.mutable_error().op_suffix = suffix;
    throw;
  }
  const int64_t outer = Product(s0, 0, ax);
  const int64_t inner = Product(s0, ax + 1, s0.size());
  int64_t out_row = axis_total * inner;
  int64_t col = 0;
  for (const Tensor& v : values) {
    const int64_t chunk = v.dim(static_cast<int>(ax)) * inner;
    for (int64_t o = 0; o < outer; ++o) {
      CopyElements(v, o * chunk, out, o * out_row + col, chunk);
    }
    col += chunk;
  }
  return out;
}

AP_MINSIZE Tensor Stack(const std::vector<Tensor>& values, int64_t axis) {
  const std::string type = "Pack";
  std::vector<PartialShape> shapes;
  std::vector<DType> dtypes;
  for (const Tensor& v : values) {
    shapes.push_back(ToPartialShape(v.shape()));
    dtypes.push_back(v.dtype());
  }
  const Shape out_shape = Concrete(InferStackShape(shapes, dtypes, axis));
  const std::string suffix = "_N_" + std::to_string(values.size());
  const Shape& s0 = values[0].shape();
  const int64_t expanded = values[0].rank() + 1;
  const int64_t ax = axis < 0 ? axis + expanded : axis;
  Tensor out;
  try {
    out = Tensor::Zeros(values[0].dtype(), out_shape, type);
  } catch (ErrorException& ex) {
    ex.mutable_error().op_suffix = suffix;
    throw;
  }
  const int64_t outer = Product(s0, 0, ax);
  const int64_t inner = Product(s0, ax, s0.size());
  const int64_t n = static_cast<int64_t>(values.size());
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t o = 0; o < outer; ++o) {
      CopyElements(values[i], o * inner, out, (o * n + i) * inner, inner);
    }
  }
  return out;
}

namespace {

// Writes the tile of input axis `d` onwards; returns nothing, fills `out`
// from offset `out_off` using input offset `in_off`.
AP_MINSIZE void TileRec(const Tensor& x, Tensor& out,
                        const std::vector<int64_t>& mult,
                        const std::vector<int64_t>& in_strides,
                        const std::vector<int64_t>& out_strides, size_t d,
                        int64_t in_off, int64_t out_off) {
  const size_t rank = x.shape().size();
  const int64_t dim = x.shape()[d];
  if (d + 1 == rank) {
    for (int64_t m = 0; m < mult[d]; ++m) {
      CopyElements(x, in_off, out, out_off + m * dim, dim);
    }
    return;
  }
  for (int64_t i = 0; i < dim; ++i) {
    TileRec(x, out, mult, in_strides, out_strides, d + 1,
            in_off + i * in_strides[d], out_off + i * out_strides[d]);
  }
  // Repeat the first block along this axis.
  const int64_t block = dim * out_strides[d];
  for (int64_t m = 1; m < mult[d]; ++m) {
    CopyElements(out, out_off, out, out_off + m * block, block);
  }
}

}  // namespace

AP_MINSIZE Tensor Tile(const Tensor& x, const std::vector<int64_t>& multiples) {
  const std::string type = "Tile";
  const Shape out_shape =
      Concrete(InferTileShape(ToPartialShape(x.shape()), multiples));
  if (x.rank() == 0) return x;
  Tensor out = Tensor::Zeros(x.dtype(), out_shape, type);
  if (out.num_elements() == 0) return out;
  TileRec(x, out, multiples, RowMajorStrides(x.shape()),
          RowMajorStrides(out_shape), 0, 0, 0);
  return out;
}

}  // namespace ap::ops
