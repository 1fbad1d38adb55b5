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
#include <set>

#include "internal.h"
#include "ops.h"

namespace ap::ops {

namespace {

int64_t Product(const Shape& s, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t i = from; i < to; ++i) p *= s[i];
  return p;
}

// shape.insert(shape.begin() + at, d) without instantiating vector::insert
// in this -O3 source (~1.9 KB of WASM for one call per op).
AP_MINSIZE void InsertDim(Shape& shape, int64_t at, Dim d) {
  shape.push_back(d);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i > at; --i) {
    std::swap(shape[i], shape[i - 1]);
  }
}

// Copies `count` elements of the same dtype between raw buffers.
AP_MINSIZE void CopyElements(const Tensor& src, int64_t src_off, Tensor& dst,
                             int64_t dst_off, int64_t count) {
  if (count <= 0) return;
  const int size = DTypeSize(src.dtype());
  const uint8_t* from = src.dtype() == DType::kBool ? src.b8()
                        : src.dtype() == DType::kInt32
                            ? reinterpret_cast<const uint8_t*>(src.i32())
                            : reinterpret_cast<const uint8_t*>(src.f32());
  uint8_t* to = dst.dtype() == DType::kBool ? dst.b8()
                : dst.dtype() == DType::kInt32
                    ? reinterpret_cast<uint8_t*>(dst.i32())
                    : reinterpret_cast<uint8_t*>(dst.f32());
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
  if (paddings.dtype() != DType::kInt32) {
    internal::RaiseNotSupported(
        "tf.pad paddings must be an int32 tensor here (TensorFlow also "
        "accepts int64, which the playground does not model).");
  }
  const int dims = x.rank();
  // PadOp::Compute, in this order.
  constexpr int kMaxDims = 8;
  if (dims > kMaxDims) {
    RaiseOpError(ErrorKind::kPadRank, type, {x.shape()}, {kMaxDims, dims});
  }
  if (paddings.rank() != 2 || paddings.dim(1) != 2) {
    RaiseOpError(ErrorKind::kPadNotMatrix, type, {paddings.shape()});
  }
  if (paddings.dim(0) != dims) {
    RaiseOpError(ErrorKind::kPadFirstDim, type, {paddings.shape(), x.shape()});
  }
  Shape out_shape(dims);
  std::vector<int64_t> before(dims);
  for (int d = 0; d < dims; ++d) {
    const int64_t b = paddings.i32()[2 * d];
    const int64_t a = paddings.i32()[2 * d + 1];
    if (b < 0 || a < 0) {
      Error e = MakeOpError(ErrorKind::kPadNegative, type,
                            {x.shape(), paddings.shape()}, {b, a});
      e.failing_axes = {d, -1};
      Raise(std::move(e));
    }
    before[d] = b;
    out_shape[d] = b + x.dim(d) + a;  // int32 paddings: cannot overflow
  }
  Tensor out = Tensor::Zeros(x.dtype(), out_shape, type);
  const int64_t n = out.num_elements();
  if (constant != 0) {
    for (int64_t i = 0; i < n; ++i) {
      switch (out.dtype()) {
        case DType::kFloat32:
          out.f32()[i] = static_cast<float>(constant);
          break;
        case DType::kInt32:
          out.i32()[i] = static_cast<int32_t>(constant);
          break;
        case DType::kBool:
          out.b8()[i] = constant != 0;
          break;
      }
    }
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
  const int64_t rank = x.rank();
  if (axis < -1 - rank || axis > rank) {
    RaiseOpError(ErrorKind::kExpandDimsAxis, "ExpandDims", {x.shape()},
                 {axis, rank});
  }
  const int64_t at = axis < 0 ? axis + rank + 1 : axis;
  Shape shape = x.shape();
  InsertDim(shape, at, 1);
  return x.WithShape(std::move(shape));
}

AP_MINSIZE Tensor Squeeze(const Tensor& x, const std::vector<int64_t>& axes) {
  const int64_t rank = x.rank();
  std::set<int64_t> wrapped;
  for (int64_t a : axes) {
    if (a < -rank || a >= rank) {
      RaiseOpError(ErrorKind::kSqueezeAxis, "Squeeze", {x.shape()}, {a, rank});
    }
    wrapped.insert(a < 0 ? a + rank : a);
  }
  Shape shape;
  for (int64_t i = 0; i < rank; ++i) {
    const Dim d = x.dim(static_cast<int>(i));
    if (!wrapped.empty()) {
      if (wrapped.count(i)) {
        if (d != 1) {
          Error e = MakeOpError(ErrorKind::kSqueezeNotOne, "Squeeze",
                                {x.shape()}, {i, d});
          e.failing_axes = {static_cast<int>(i)};
          Raise(std::move(e));
        }
      } else {
        shape.push_back(d);
      }
    } else if (d != 1) {
      shape.push_back(d);
    }
  }
  return x.WithShape(std::move(shape));
}

AP_MINSIZE Tensor Reshape(const Tensor& x, const std::vector<int64_t>& sizes) {
  const std::string type = "Reshape";
  // ReshapeOp::ValidateSizes.
  Shape shape;
  int64_t product = 1;      // of the known, non-zero sizes
  int64_t shape_elems = 1;  // of the shape built so far (-1 counts as 1)
  int64_t unknown = -1;
  bool has_zero = false;
  for (size_t d = 0; d < sizes.size(); ++d) {
    const int64_t size = sizes[d];
    if (size == -1) {
      if (unknown != -1) {
        RaiseOpError(ErrorKind::kReshapeTwoUnknown, type, {x.shape()},
                     {unknown, static_cast<int64_t>(d)});
      }
      unknown = static_cast<int64_t>(d);
      shape.push_back(1);
    } else if (size < 0) {
      RaiseOpError(ErrorKind::kReshapeNegativeDim, type, {x.shape()},
                   {static_cast<int64_t>(d), size});
    } else if (size == 0) {
      shape.push_back(0);
      has_zero = true;
      shape_elems = 0;
    } else {
      const auto next = CheckedMultiply(shape_elems, size);
      if (!next) {
        Error e =
            MakeOpError(ErrorKind::kReshapeTooManyElements, type, {x.shape()});
        e.ints = sizes;
        Raise(std::move(e));
      }
      shape_elems = *next;
      shape.push_back(size);
      product *= size;  // <= shape_elems, so no overflow
    }
  }
  const int64_t n_in = x.num_elements();
  if (unknown != -1) {
    // Zero-sized input dims are left out of the count when the requested
    // shape has a zero, so the other dims can still be inferred.
    int64_t input_elems = 1;
    bool input_has_zero = false;
    for (Dim d : x.shape()) {
      if (d > 0 || !has_zero) {
        input_elems *= d;
      } else {
        input_has_zero = true;
      }
    }
    const int64_t missing = input_elems / product;
    if (!input_has_zero && product * missing != input_elems) {
      RaiseOpError(ErrorKind::kReshapeMultiple, type, {x.shape()},
                   {input_elems, product});
    }
    shape[unknown] = missing;
  }
  const auto n_out = CheckedNumElements(shape);
  if (!n_out || *n_out != n_in) {
    RaiseOpError(ErrorKind::kReshapeCount, type, {x.shape()},
                 {n_in, n_out.value_or(-1)});
  }
  return x.WithShape(std::move(shape));
}

AP_MINSIZE Tensor
Transpose(const Tensor& x, const std::optional<std::vector<int64_t>>& perm_in) {
  const std::string type = "Transpose";
  const int dims = x.rank();
  std::vector<int64_t> perm;
  if (perm_in) {
    perm = *perm_in;
  } else {
    for (int i = dims - 1; i >= 0; --i) perm.push_back(i);
  }
  // TransposeOp::Compute.
  if (static_cast<int64_t>(perm.size()) != dims) {
    RaiseOpError(ErrorKind::kTransposePermSize, type, {x.shape()},
                 {dims, static_cast<int64_t>(perm.size())});
  }
  // TransposeOp::Compute (transpose_op.cc, TF 2.21) counts a negative
  // entry from the end; the messages show the wrapped values.
  for (int64_t& d : perm) {
    if (d < 0) d += dims;
  }
  std::vector<uint8_t> bits(dims, 0);
  Shape out_shape;
  for (int i = 0; i < dims; ++i) {
    const int64_t d = perm[i];
    if (d < 0 || d >= dims) {
      RaiseOpError(ErrorKind::kTransposePermInvalid, type, {x.shape()},
                   {d, dims});
    }
    bits[d] = 1;
    out_shape.push_back(x.dim(static_cast<int>(d)));
  }
  for (int i = 0; i < dims; ++i) {
    if (!bits[i]) {
      Error e =
          MakeOpError(ErrorKind::kTransposePermMissing, type, {x.shape()}, {i});
      for (int64_t p : perm) e.ints.push_back(p);
      Raise(std::move(e));
    }
  }
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
  auto raise = [&](Error e) {
    e.op_suffix = suffix;
    Raise(std::move(e));
  };
  for (size_t i = 1; i < values.size(); ++i) {
    if (values[i].dtype() != values[0].dtype()) {
      Error e = MakeOpError(ErrorKind::kDTypeMismatch, type, {},
                            {static_cast<int64_t>(i)});
      e.dtypes = {values[0].dtype(), values[i].dtype()};
      e.eager_envelope = false;
      raise(std::move(e));
    }
  }
  // ConcatV2 in TF 2.21 eager: axis 0 passes the range check even for a
  // rank-0 first input, then each input in order: a scalar, a rank that
  // differs from input 0's, a dimension (other than the axis) that differs.
  const Shape& s0 = values[0].shape();
  const int64_t input_dims = values[0].rank();
  const int64_t ax = axis < 0 ? axis + input_dims : axis;
  if (!(0 <= ax && ax < input_dims) && axis != 0) {
    raise(MakeOpError(ErrorKind::kConcatAxis, type, {s0}, {axis, input_dims}));
  }
  Dim axis_total = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const Shape& si = values[i].shape();
    if (si.empty()) raise(MakeOpError(ErrorKind::kConcatScalars, type, {si}));
    if (static_cast<int64_t>(si.size()) != input_dims) {
      raise(MakeOpError(ErrorKind::kConcatRank, type, {s0, si},
                        {static_cast<int64_t>(i)}));
    }
    for (int64_t j = 0; j < input_dims; ++j) {
      if (j == ax) continue;
      if (si[j] != s0[j]) {
        Error e = MakeOpError(ErrorKind::kConcatDim, type, {s0, si},
                              {j, static_cast<int64_t>(i)});
        e.failing_axes = {static_cast<int>(j), static_cast<int>(j)};
        raise(std::move(e));
      }
    }
    axis_total += si[ax];  // each fits in memory already: no overflow
  }
  Shape out_shape = s0;
  out_shape[ax] = axis_total;
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
  if (values.empty()) {
    internal::RaiseNotSupported("tf.stack needs at least one tensor.");
  }
  const std::string suffix = "_N_" + std::to_string(values.size());
  const int64_t expanded = values[0].rank() + 1;
  if (axis < -expanded || axis >= expanded) {
    // array_ops.py stack() raises ValueError before calling Pack.
    Error e = MakeOpError(ErrorKind::kPackAxis, "", {values[0].shape()},
                          {axis, expanded});
    Raise(std::move(e));
  }
  auto raise = [&](Error e) {
    e.op_suffix = suffix;
    Raise(std::move(e));
  };
  for (size_t i = 1; i < values.size(); ++i) {
    if (values[i].dtype() != values[0].dtype()) {
      Error e = MakeOpError(ErrorKind::kDTypeMismatch, type, {},
                            {static_cast<int64_t>(i)});
      e.dtypes = {values[0].dtype(), values[i].dtype()};
      e.eager_envelope = false;
      raise(std::move(e));
    }
  }
  const Shape& s0 = values[0].shape();
  for (size_t i = 1; i < values.size(); ++i) {
    if (values[i].shape() != s0) {
      raise(MakeOpError(ErrorKind::kPackShapes, type, {s0, values[i].shape()},
                        {static_cast<int64_t>(i)}));
    }
  }
  const int64_t ax = axis < 0 ? axis + expanded : axis;
  Shape out_shape = s0;
  InsertDim(out_shape, ax, static_cast<Dim>(values.size()));
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
  const Dim dim = x.shape()[d];
  if (d + 1 == rank) {
    for (int64_t m = 0; m < mult[d]; ++m) {
      CopyElements(x, in_off, out, out_off + m * dim, dim);
    }
    return;
  }
  for (Dim i = 0; i < dim; ++i) {
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
  const int64_t rank = x.rank();
  if (static_cast<int64_t>(multiples.size()) != rank) {
    RaiseOpError(ErrorKind::kTileMultiplesLength, type, {x.shape()},
                 {rank, static_cast<int64_t>(multiples.size())});
  }
  if (rank == 0) return x;
  Shape out_shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (multiples[i] < 0) {
      RaiseOpError(ErrorKind::kTileMultipleNegative, type, {x.shape()},
                   {i, multiples[i]});
    }
    // An overflowing dim saturates; Tensor::Zeros then reports the overflow
    // as a ResourceExhaustedError (TF itself would abort here).
    out_shape.push_back(
        CheckedMultiply(x.dim(static_cast<int>(i)), multiples[i])
            .value_or(std::numeric_limits<int64_t>::max()));
  }
  Tensor out = Tensor::Zeros(x.dtype(), out_shape, type);
  if (out.num_elements() == 0) return out;
  TileRec(x, out, multiples, RowMajorStrides(x.shape()),
          RowMajorStrides(out_shape), 0, 0, 0);
  return out;
}

}  // namespace ap::ops
