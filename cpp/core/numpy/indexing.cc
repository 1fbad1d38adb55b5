// numpy's basic indexing and the index arrays the playground models (an
// int list, an int or bool array on its own), reading and assigning, with
// numpy's texts (numpy/_core/src/multiarray/mapping.c, NumPy 2.4).
#include "indexing.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "../error.h"
#include "../ops/ops.h"
#include "../python/slice.h"
#include "array_ops.h"
#include "ndarray.h"

namespace ap::np {

namespace {

// A numpy dtype or scalar type that is not an array.
[[noreturn]] void NotAnArray(const Value& x) {
  RaiseTypeError("'" + x.TypeName() + "' object is not subscriptable");
}

[[noreturn]] void InvalidIndex() {
  RaiseText(ErrorClass::kIndexError,
            "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis "
            "(`None`) and integer or boolean arrays are valid indices");
}

std::optional<int64_t> SliceBound(const Value& v) {
  if (v.is_none()) return std::nullopt;
  if (std::optional<int64_t> i = IndexInt(v)) return i;
  RaiseTypeError(
      "slice indices must be integers or None or have an __index__ method");
}

// Basic indexing with numpy's checks. `axes` gets, per item, the axis of the
// array it applies to (-1 for newaxis).
std::vector<ops::SliceItem> ParseIndex(const Tensor& t, const Value& index,
                                       std::vector<int>* axes) {
  ValueList items =
      index.kind() == Value::Kind::kTuple ? index.items() : ValueList{index};
  int consuming = 0, ellipses = 0;
  for (const Value& v : items) {
    if (v.is_none()) continue;
    if (v.kind() == Value::Kind::kObject &&
        dynamic_cast<const py::EllipsisObject*>(v.as_object().get())) {
      ++ellipses;
      continue;
    }
    ++consuming;
  }
  if (ellipses > 1) {
    RaiseText(ErrorClass::kIndexError,
              "an index can only have a single ellipsis ('...')");
  }
  std::vector<ops::SliceItem> out;
  int axis = 0;
  for (const Value& v : items) {
    ops::SliceItem item;
    if (v.is_none()) {
      item.kind = ops::SliceItem::Kind::kNewAxis;
      axes->push_back(-1);
    } else if (v.kind() == Value::Kind::kObject &&
               dynamic_cast<const py::EllipsisObject*>(v.as_object().get())) {
      item.kind = ops::SliceItem::Kind::kEllipsis;
      axes->push_back(-1);
      axis += t.rank() - consuming;
    } else if (v.kind() == Value::Kind::kObject &&
               dynamic_cast<const py::SliceObject*>(v.as_object().get())) {
      const auto* s = static_cast<const py::SliceObject*>(v.as_object().get());
      item.kind = ops::SliceItem::Kind::kRange;
      item.start = SliceBound(s->start);
      item.stop = SliceBound(s->stop);
      item.step = SliceBound(s->step);
      if (item.step && *item.step == 0) {
        RaiseValueError("slice step cannot be zero");
      }
      axes->push_back(axis++);
    } else if (std::optional<int64_t> i = IndexInt(v)) {
      if (consuming > t.rank()) break;
      const int64_t size = t.dim(axis);
      if (*i >= size || *i < -size) {
        RaiseText(ErrorClass::kIndexError,
                  "index " + std::to_string(*i) +
                      " is out of bounds for axis " + std::to_string(axis) +
                      " with size " + std::to_string(size));
      }
      item.kind = ops::SliceItem::Kind::kIndex;
      item.index = *i;
      axes->push_back(axis++);
    } else if (v.kind() == Value::Kind::kList || IsNdarray(v) ||
               v.kind() == Value::Kind::kBool || v.is_tensor()) {
      RaiseNotSupported(
          "integer or boolean array indexing of numpy arrays is not "
          "modelled by the playground");
    } else {
      InvalidIndex();
    }
    if (consuming > t.rank()) break;
    out.push_back(item);
  }
  if (consuming > t.rank()) {
    RaiseText(ErrorClass::kIndexError,
              "too many indices for array: array is " +
                  std::to_string(t.rank()) + "-dimensional, but " +
                  std::to_string(consuming) + " were indexed");
  }
  return out;
}

}  // namespace

namespace {

// x[[0, 2]], x[ints], x[mask] (one index array, not in a tuple).
bool IsIndexArray(const Value& index) {
  return index.kind() == Value::Kind::kList || IsNdarray(index) ||
         index.is_tensor();
}

Tensor IndexArray(const Value& index) {
  if (index.kind() == Value::Kind::kList && index.items().empty()) {
    return Tensor::Zeros(DType::kInt64, {0}, "index");
  }
  Tensor i = ToArray(index);
  if (IsFloatDType(i.dtype())) {
    RaiseText(ErrorClass::kIndexError,
              "arrays used as indices must be of integer (or boolean) type");
  }
  return i;
}

// The mask's leading axes must be the array's; true positions, row-major.
Tensor MaskPositions(const Tensor& t, const Tensor& mask) {
  if (mask.rank() > t.rank()) {
    RaiseText(ErrorClass::kIndexError,
              "too many indices for array: array is " +
                  std::to_string(t.rank()) + "-dimensional, but " +
                  std::to_string(mask.rank()) + " were indexed");
  }
  for (int axis = 0; axis < mask.rank(); ++axis) {
    if (mask.dim(axis) != t.dim(axis)) {
      RaiseText(ErrorClass::kIndexError,
                "boolean index did not match indexed array along axis " +
                    std::to_string(axis) + "; size of axis is " +
                    std::to_string(t.dim(axis)) +
                    " but size of corresponding boolean axis is " +
                    std::to_string(mask.dim(axis)));
    }
  }
  int64_t count = 0;
  for (int64_t i = 0; i < mask.num_elements(); ++i) count += mask.b8()[i];
  Tensor positions = Tensor::Zeros(DType::kInt32, {count}, "index");
  for (int64_t i = 0, n = 0; i < mask.num_elements(); ++i) {
    if (mask.b8()[i]) positions.i32()[n++] = static_cast<int32_t>(i);
  }
  return positions;
}

// The array with its first `k` axes made one.
Tensor MergeLeading(const Tensor& t, int k) {
  Shape shape{1};
  for (int i = 0; i < t.rank(); ++i) {
    if (i < k) {
      shape[0] *= t.dim(i);
    } else {
      shape.push_back(t.dim(i));
    }
  }
  return t.WithShape(shape);
}

Value AdvancedSubscript(const Tensor& t, const Value& index) {
  const Tensor i = IndexArray(index);
  if (i.dtype() == DType::kBool) {
    if (t.rank() == 0 && i.rank() == 0) {
      RaiseNotSupported("indexing a 0-d array with a boolean is not modelled");
    }
    return MakeNdarray(
        ops::Gather(MergeLeading(t, i.rank()), MaskPositions(t, i), 0));
  }
  if (t.rank() == 0) {
    RaiseText(ErrorClass::kIndexError,
              "too many indices for array: array is 0-dimensional, but 1 "
              "were indexed");
  }
  const Tensor wide = AsType(i, DType::kInt64);
  Tensor positions = Tensor::Zeros(DType::kInt32, wide.shape(), "index");
  const int64_t size = t.dim(0);
  for (int64_t n = 0; n < wide.num_elements(); ++n) {
    const int64_t v = wide.i64()[n];
    if (v >= size || v < -size) {
      RaiseText(ErrorClass::kIndexError,
                "index " + std::to_string(v) +
                    " is out of bounds for axis 0 with size " +
                    std::to_string(size));
    }
    positions.i32()[n] = static_cast<int32_t>(v < 0 ? v + size : v);
  }
  return MakeNdarray(ops::Gather(t, positions, 0));
}

}  // namespace

Value Subscript(const Value& x, const Value& index) {
  if (!IsArrayLike(x)) NotAnArray(x);
  const Tensor& t = ArrayTensorOf(x);
  if (IsNumpyScalar(x)) {
    RaiseText(ErrorClass::kIndexError, "invalid index to scalar variable.");
  }
  if (IsIndexArray(index)) return AdvancedSubscript(t, index);
  std::vector<int> axes;
  const std::vector<ops::SliceItem> items = ParseIndex(t, index, &axes);
  return Wrap(ops::StridedSlice(t, items));
}

void SetItem(const Value& x, const Value& index, const Value& value) {
  const Tensor& t = ArrayTensorOf(x);
  if (IsIndexArray(index)) {
    // x[mask] = scalar: where(mask, scalar, x).
    const Tensor mask = IndexArray(index);
    const Tensor v = ToArray(value, t.dtype());
    if (mask.dtype() != DType::kBool || v.rank() != 0) {
      RaiseNotSupported(
          "assigning through an integer index array, or an array through a "
          "boolean mask, is not modelled by the playground");
    }
    MaskPositions(t, mask);
    Shape shape = mask.shape();
    while (static_cast<int>(shape.size()) < t.rank()) shape.push_back(1);
    ReplaceNdarrayTensor(x, ops::Where(mask.WithShape(shape), v, t));
    return;
  }
  std::vector<int> axes;
  const std::vector<ops::SliceItem> items = ParseIndex(t, index, &axes);
  // The region: per array axis, first index, step and count.
  const int rank = t.rank();
  std::vector<int64_t> first(rank, 0), step(rank, 1), count(t.shape());
  std::vector<bool> kept(rank, true);
  for (size_t i = 0; i < items.size(); ++i) {
    const int axis = axes[i];
    if (axis < 0) continue;
    const int64_t size = t.dim(axis);
    const ops::SliceItem& item = items[i];
    if (item.kind == ops::SliceItem::Kind::kIndex) {
      first[axis] = item.index < 0 ? item.index + size : item.index;
      count[axis] = 1;
      kept[axis] = false;
      continue;
    }
    // Python's slice.indices(size).
    const int64_t st = item.step.value_or(1);
    auto clamp = [&](std::optional<int64_t> b, int64_t dflt) {
      if (!b) return dflt;
      int64_t x = *b < 0 ? *b + size : *b;
      if (st > 0) return std::min(std::max<int64_t>(x, 0), size);
      return std::min(std::max<int64_t>(x, -1), size - 1);
    };
    const int64_t lo = clamp(item.start, st > 0 ? 0 : size - 1);
    const int64_t hi = clamp(item.stop, st > 0 ? size : -1);
    const int64_t n = st > 0 ? (hi > lo ? (hi - lo + st - 1) / st : 0)
                             : (lo > hi ? (lo - hi - st - 1) / -st : 0);
    first[axis] = lo;
    step[axis] = st;
    count[axis] = n;
  }
  Shape region;
  for (int a = 0; a < rank; ++a) {
    if (kept[a]) region.push_back(count[a]);
  }
  Tensor src = ToArray(value, t.dtype());
  Shape src_shape = src.shape();
  while (src_shape.size() > region.size() && src_shape.front() == 1) {
    src_shape.erase(src_shape.begin());
  }
  std::optional<Shape> joint = BroadcastShapes(src_shape, region);
  if (src_shape.size() > region.size() || !joint || *joint != region) {
    RaiseValueError("could not broadcast input array from shape " +
                    NumpyShapeText(src.shape()) + " into shape " +
                    NumpyShapeText(region));
  }
  // Broadcast the values to the region, then copy them into a fresh copy of
  // the array (its storage may be shared with a tf tensor).
  Tensor values = BroadcastTo(src.WithShape(src_shape), region);
  Tensor out = Copy(t);
  const int64_t size = DTypeSize(t.dtype());
  const std::vector<int64_t> strides = RowMajorStrides(t.shape());
  std::vector<int64_t> pos(rank, 0);
  const uint8_t* from = MutableBytes(values);
  uint8_t* to = MutableBytes(out);
  for (int64_t n = 0; n < values.num_elements(); ++n) {
    int64_t offset = 0;
    for (int a = 0; a < rank; ++a) {
      offset += (first[a] + pos[a] * step[a]) * strides[a];
    }
    std::memcpy(to + offset * size, from + n * size, static_cast<size_t>(size));
    for (int a = rank - 1; a >= 0; --a) {
      if (++pos[a] < count[a]) break;
      pos[a] = 0;
    }
  }
  ReplaceNdarrayTensor(x, out);
}

}  // namespace ap::np
