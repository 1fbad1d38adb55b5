#include "tensor_digest.h"

#include <algorithm>

namespace ap {

TensorDigest DigestTensor(const Tensor& t, const Tensor::ValueStats& stats) {
  TensorDigest d;
  d.dtype = t.dtype();
  d.shape = t.shape();
  d.num_elements = t.num_elements();
  d.stats = stats;
  const int64_t n = std::min<int64_t>(d.num_elements, kPreviewValues);
  d.preview.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) d.preview.push_back(t.GetAsDouble(i));
  if (d.dtype == DType::kInt64) {
    d.int64_preview.assign(t.i64(), t.i64() + n);
  }
  return d;
}

}  // namespace ap
