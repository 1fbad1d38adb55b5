// tf.nn.conv1d on channels-last float32 tensors: TensorFlow runs it as
// Conv2D over an inserted height axis of 1 (tensorflow/python/ops/nn_ops.py,
// conv1d), so dtype errors name Conv2D. Direct loops: the playground's
// programs convolve a few hundred steps at most.
#include <algorithm>

#include "internal.h"
#include "ops.h"
#include "shape_inference.h"

namespace ap::ops {

namespace {
// Windows beyond this many steps are refused before any index arithmetic
// (no program has them; it keeps every product below int64).
constexpr int64_t kMaxWindow = int64_t{1} << 31;
}  // namespace

int64_t ConvOutputSize(int64_t steps, int64_t window, int64_t stride,
                       int64_t dilation, bool same_padding) {
  if (steps <= 0) return 0;
  if (same_padding) return (steps - 1) / stride + 1;
  // The window's span, saturated: a span beyond the steps leaves no output.
  int64_t span = 0;
  if (__builtin_mul_overflow(window - 1, dilation, &span) || span >= steps) {
    return 0;
  }
  return (steps - span - 1) / stride + 1;
}

Tensor Conv1D(const Tensor& x, const Tensor& kernel, int64_t stride,
              int64_t dilation, bool same_padding) {
  const std::string type = "Conv2D";
  if (x.dtype() != kernel.dtype()) {
    internal::RaiseDTypeMismatch(type, 1, x.dtype(), kernel.dtype());
  }
  if (x.dtype() != DType::kFloat32 || x.rank() != 3 || kernel.rank() != 3 ||
      x.dim(2) != kernel.dim(1) || stride < 1 || dilation < 1 ||
      dilation > kMaxWindow || kernel.dim(0) > kMaxWindow ||
      (kernel.dim(0) - 1) * dilation > kMaxWindow) {
    RaiseNotSupported(
        "a 1-D convolution other than float32 (batch, steps, channels) by "
        "(width, channels, filters)");
  }
  const int64_t batch = x.dim(0), steps = x.dim(1), in = x.dim(2);
  const int64_t width = kernel.dim(0), filters = kernel.dim(2);
  const int64_t out_steps = Concrete(InferConv1DShape(
      ToPartialShape(x.shape()), ToPartialShape(kernel.shape()), stride,
      dilation, same_padding))[1];
  // SAME pads (total / 2) before, the rest after
  // (tensorflow/core/framework/kernel_shape_util.cc).
  const int64_t span = (width - 1) * dilation + 1;
  const int64_t pad_total =
      same_padding
          ? std::max<int64_t>((out_steps - 1) * stride + span - steps, 0)
          : 0;
  const int64_t pad_before = pad_total / 2;
  Tensor out =
      Tensor::Zeros(DType::kFloat32, {batch, out_steps, filters}, type);
  CurrentBudget()->ChargeMultiplyAdds(out.num_elements(), width * in, type);
  const float* xs = x.f32();
  const float* ks = kernel.f32();
  float* os = out.f32();
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t t = 0; t < out_steps; ++t) {
      float* row = os + (b * out_steps + t) * filters;
      for (int64_t k = 0; k < width; ++k) {
        const int64_t s = t * stride + k * dilation - pad_before;
        if (s < 0 || s >= steps) continue;
        const float* in_row = xs + (b * steps + s) * in;
        for (int64_t c = 0; c < in; ++c) {
          const float v = in_row[c];
          const float* w = ks + (k * in + c) * filters;
          for (int64_t f = 0; f < filters; ++f) row[f] += v * w[f];
        }
      }
    }
  }
  return out;
}

}  // namespace ap::ops
