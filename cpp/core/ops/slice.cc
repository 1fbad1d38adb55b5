// Python subscripts on tensors: StridedSlice. The slice spec and its checks
// are InferStridedSlice (shape_inference.cc); this is the strided copy.
#include "internal.h"
#include "ops.h"
#include "shape_inference.h"

namespace ap::ops {

Tensor StridedSlice(const Tensor& x, const std::vector<SliceItem>& items,
                    std::string_view name) {
  const std::string type = "StridedSlice";
  const StridedSliceInference inferred =
      InferStridedSlice(ToPartialShape(x.shape()), items, name);
  const Shape final_shape = Concrete(inferred.shape);
  const Shape processing = Concrete(inferred.processing);
  const std::vector<int64_t>& begin = inferred.begin;
  const std::vector<int64_t>& stride = inferred.stride;
  const int64_t dims = x.rank();
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
