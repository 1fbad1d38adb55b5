// Python subscripts on tensors: StridedSlice. Mirrors
// tensorflow/core/util/strided_slice_op.cc (BuildDenseSpec and
// ValidateStridedSliceOp): ellipsis expansion, canonical begin/end with
// clamping for ranges, and "slice index ... out of bounds." for an index.
#include <algorithm>

#include "internal.h"
#include "ops.h"

namespace ap::ops {

Tensor StridedSlice(const Tensor& x, const std::vector<SliceItem>& items_in,
                    std::string_view name) {
  const std::string type = "StridedSlice";
  auto raise = [&](ErrorKind kind, std::initializer_list<int64_t> ints) {
    internal::RaiseOp(MakeOpError(kind, type, {x.shape()}, ints), name);
  };
  std::vector<SliceItem> items = items_in;
  int ellipses = 0;
  for (const SliceItem& it : items) {
    if (it.kind == SliceItem::Kind::kEllipsis) ++ellipses;
  }
  if (ellipses > 1) raise(ErrorKind::kSliceMultipleEllipsis, {});
  // A scalar takes only None and ... (TF 2.21 eager).
  if (x.rank() == 0) {
    for (const SliceItem& it : items) {
      if (it.kind == SliceItem::Kind::kIndex ||
          it.kind == SliceItem::Kind::kRange) {
        raise(ErrorKind::kSliceScalarInput, {});
      }
    }
  }
  // No ellipsis: one is implied at the end.
  if (ellipses == 0) {
    SliceItem e;
    e.kind = SliceItem::Kind::kEllipsis;
    items.push_back(e);
  }
  int64_t add_axis_after_ellipsis = 0;
  bool seen = false;
  for (const SliceItem& it : items) {
    if (seen && it.kind == SliceItem::Kind::kNewAxis) ++add_axis_after_ellipsis;
    if (it.kind == SliceItem::Kind::kEllipsis) seen = true;
  }

  // BuildDenseSpec.
  const int64_t dims = x.rank();
  const int64_t sparse_dims = static_cast<int64_t>(items.size());
  std::vector<int64_t> begin(dims, 0), end(dims, 0), stride(dims, 1);
  std::vector<bool> begin_mask(dims, false), end_mask(dims, false),
      shrink(dims, false);
  constexpr int64_t kNewAxis = -1, kShrinkAxis = -2;
  std::vector<int64_t> final_gather;
  int64_t full = 0;
  for (int64_t i = 0; i < sparse_dims; ++i) {
    const SliceItem& it = items[i];
    if (it.kind == SliceItem::Kind::kEllipsis) {
      const int64_t next = std::min(
          dims - (sparse_dims - i) + 1 + add_axis_after_ellipsis, dims);
      for (; full < next; ++full) {
        begin_mask[full] = end_mask[full] = true;
        stride[full] = 1;
        final_gather.push_back(full);
      }
    } else if (it.kind == SliceItem::Kind::kNewAxis) {
      final_gather.push_back(kNewAxis);
    } else {
      if (full == dims) raise(ErrorKind::kSliceTooManyIndices, {full, dims});
      if (it.kind == SliceItem::Kind::kIndex) {
        begin[full] = it.index;
        stride[full] = 1;
        shrink[full] = true;
        final_gather.push_back(kShrinkAxis);
      } else {
        begin_mask[full] = !it.start.has_value();
        end_mask[full] = !it.stop.has_value();
        begin[full] = it.start.value_or(0);
        end[full] = it.stop.value_or(0);
        stride[full] = it.step.value_or(1);
        final_gather.push_back(full);
      }
      ++full;
    }
  }

  // ValidateStridedSliceOp step 3: canonical bounds and processing shape.
  Shape processing(dims);
  for (int64_t i = 0; i < dims; ++i) {
    const int64_t s = stride[i];
    const int64_t dim = x.dim(static_cast<int>(i));
    if (s == 0) raise(ErrorKind::kSliceStrideZero, {i});
    if (shrink[i]) {
      const int64_t fwd = begin[i] < 0 ? dim + begin[i] : begin[i];
      begin[i] = fwd;
      if (fwd < 0 || fwd >= dim) {
        Error e = MakeOpError(ErrorKind::kSliceOutOfBounds, type, {x.shape()},
                              {fwd, i, dim});
        e.failing_axes = {static_cast<int>(i)};
        internal::RaiseOp(std::move(e), name);
      }
      end[i] = fwd + 1;
      processing[i] = 1;
      continue;
    }
    const int64_t lo = s > 0 ? 0 : -1;
    const int64_t hi = s > 0 ? dim : dim - 1;
    auto canonical = [&](int64_t v, bool masked, bool is_end) {
      if (masked) {
        // begin -> valid_range[0] / end -> valid_range[1] for s > 0, and the
        // other way round for s < 0.
        return (s > 0) != is_end ? lo : hi;
      }
      const int64_t fwd = v < 0 ? dim + v : v;
      return fwd < lo ? lo : (fwd > hi ? hi : fwd);
    };
    begin[i] = canonical(begin[i], begin_mask[i], false);
    end[i] = canonical(end[i], end_mask[i], true);
    const int64_t interval = end[i] - begin[i];
    if (interval == 0 || ((interval < 0) != (s < 0))) {
      processing[i] = 0;
    } else {
      processing[i] = interval / s + (interval % s != 0 ? 1 : 0);
    }
  }

  // Step 4: final shape (shrunk axes dropped, new axes inserted).
  Shape final_shape;
  for (int64_t g : final_gather) {
    if (g >= 0) {
      final_shape.push_back(processing[g]);
    } else if (g == kNewAxis) {
      final_shape.push_back(1);
    }
  }

  Tensor out = Tensor::Zeros(x.dtype(), final_shape, type);
  if (out.num_elements() == 0) return out;
  const std::vector<int64_t> in_strides = RowMajorStrides(x.shape());
  int64_t base = 0;
  std::array<std::vector<int64_t>, 1> strides;
  for (int64_t i = 0; i < dims; ++i) {
    base += begin[i] * in_strides[i];
    strides[0].push_back(stride[i] * in_strides[i]);
  }
  internal::DispatchElementSize(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = internal::Raw<T>(x);
    T* o = internal::Raw<T>(out);
    internal::ForEachBroadcast<1>(
        processing, strides, [&](int64_t i, const std::array<int64_t, 1>& off) {
          o[i] = in[base + off[0]];
        });
    return 0;
  });
  return out;
}

}  // namespace ap::ops
