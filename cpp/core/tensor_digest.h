// What the run document shows of a tensor besides its full values, kept
// apart from the tensor so it can outlive the tensor's storage (the trace
// releases storage under memory pressure, see run/trace_store.h).
#pragma once

#include <cstdint>
#include <vector>

#include "dtype.h"
#include "shape.h"
#include "tensor.h"

namespace ap {

inline constexpr int kPreviewValues = 8;  // the corpus records the first 8

struct TensorDigest {
  DType dtype = DType::kFloat32;
  Shape shape;
  int64_t num_elements = 0;
  // The first kPreviewValues flattened elements, exactly (float32, float64,
  // int32 and bool all convert to double without loss).
  std::vector<double> preview;
  // For int64 only: the same elements as integers (beyond 2**53 a double
  // would round them).
  std::vector<int64_t> int64_preview;
  Tensor::ValueStats stats{};  // meaningful when num_elements > 0
};

// `stats` is t.ComputeValueStats(), passed in so callers can compute it once
// per storage for every view of it.
TensorDigest DigestTensor(const Tensor& t, const Tensor::ValueStats& stats);

// A trace tensor whose storage the trace gave back so the program could use
// the memory: the document shows its digest, without an id to fetch values.
struct ReleasedTensor {
  TensorDigest digest;
  int64_t live_limit_bytes = 0;  // the run's live-tensor limit
};

}  // namespace ap
