// tf.nn.max_pool1d / avg_pool1d on channels-last tensors (MaxPool and
// AvgPool over an inserted height axis). SAME padding leaves the padded
// positions out: of the max, and of the average's count
// (tensorflow/core/kernels/avgpooling_op.cc).
#include <algorithm>
#include <limits>

#include "internal.h"
#include "ops.h"
#include "shape_inference.h"

namespace ap::ops {

namespace {

template <typename T>
void PoolRows(const T* xs, T* os, int64_t batch, int64_t steps,
              int64_t channels, int64_t out_steps, int64_t window,
              int64_t stride, int64_t pad_before, bool max) {
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t t = 0; t < out_steps; ++t) {
      const int64_t lo = std::max<int64_t>(t * stride - pad_before, 0);
      const int64_t hi = std::min(t * stride - pad_before + window, steps);
      T* row = os + (b * out_steps + t) * channels;
      for (int64_t c = 0; c < channels; ++c) {
        T acc = max ? std::numeric_limits<T>::lowest() : T(0);
        for (int64_t s = lo; s < hi; ++s) {
          const T v = xs[(b * steps + s) * channels + c];
          acc = max ? std::max(acc, v) : acc + v;
        }
        row[c] = max ? acc : acc / static_cast<T>(hi - lo);
      }
    }
  }
}

}  // namespace

Tensor Pool1D(const Tensor& x, int64_t window, int64_t stride,
              bool same_padding, bool max) {
  const std::string type = max ? "MaxPool" : "AvgPool";
  const bool int_max = max && x.dtype() == DType::kInt32;
  if ((x.dtype() != DType::kFloat32 && !int_max) || x.rank() != 3 ||
      window < 1 || stride < 1 || window > (int64_t{1} << 40) ||
      stride > (int64_t{1} << 40)) {
    RaiseNotSupported(
        "1-D pooling other than of a float32 (or, for the max, int32) tensor "
        "(batch, steps, channels)");
  }
  const int64_t batch = x.dim(0), steps = x.dim(1), channels = x.dim(2);
  const int64_t out_steps = Concrete(InferPool1DShape(
      ToPartialShape(x.shape()), window, stride, same_padding))[1];
  if (out_steps <= 0) {
    // TF's oneDNN kernel fails with an AbortedError naming its source file.
    RaiseNotSupported("pooling whose window is larger than the input");
  }
  const int64_t pad_total =
      same_padding
          ? std::max<int64_t>((out_steps - 1) * stride + window - steps, 0)
          : 0;
  Tensor out =
      Tensor::Uninitialized(x.dtype(), {batch, out_steps, channels}, type);
  // Each window is clipped to the steps.
  CurrentBudget()->ChargeMultiplyAdds(out.num_elements(),
                                      std::min(window, steps), type);
  if (int_max) {
    PoolRows(x.i32(), out.i32(), batch, steps, channels, out_steps, window,
             stride, pad_total / 2, true);
  } else {
    PoolRows(x.f32(), out.f32(), batch, steps, channels, out_steps, window,
             stride, pad_total / 2, max);
  }
  return out;
}

}  // namespace ap::ops
