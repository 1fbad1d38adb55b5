// Creation ops: Fill (tf.fill / tf.zeros / tf.ones), Range, SequenceMask,
// random normal / uniform. Shape checks follow TensorShapeUtils::MakeShape
// (tensorflow/core/framework/tensor_shape.cc); Range texts are
// tensorflow/core/kernels/sequence_ops.cc; tf.sequence_mask is Python
// (array_ops.py) built from Max, Range, Cast and Less.
#include <algorithm>
#include <cmath>
#include <limits>

#include "internal.h"
#include "ops.h"

namespace ap::ops {

namespace {

int32_t SaturatingInt32(double v) {
  if (std::isnan(v)) return 0;
  if (v <= std::numeric_limits<int32_t>::min()) {
    return std::numeric_limits<int32_t>::min();
  }
  if (v >= std::numeric_limits<int32_t>::max()) {
    return std::numeric_limits<int32_t>::max();
  }
  return static_cast<int32_t>(v);
}

int64_t SaturatingInt64(double v) {
  if (std::isnan(v)) return 0;
  if (v <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  if (v >= 9223372036854775808.0) return std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(v);
}

}  // namespace

Tensor Fill(const Shape& shape, double value, DType dtype) {
  internal::ValidateMakeShape(shape, "Fill");  // InferMakeShape's rule
  // Every element is written below: no zeroing pass first.
  Tensor out = Tensor::Uninitialized(dtype, shape, "Fill");
  const int64_t n = out.num_elements();
  switch (dtype) {
    case DType::kFloat32:
      std::fill_n(out.f32(), n, static_cast<float>(value));
      break;
    case DType::kInt32:
      std::fill_n(out.i32(), n, SaturatingInt32(value));
      break;
    case DType::kBool:
      std::fill_n(out.b8(), n, static_cast<uint8_t>(value != 0));
      break;
    case DType::kFloat64:
      std::fill_n(out.f64(), n, value);
      break;
    case DType::kInt64:
      std::fill_n(out.i64(), n, SaturatingInt64(value));
      break;
  }
  return out;
}

Tensor Fill(const Shape& shape, const Tensor& value) {
  internal::ValidateMakeShape(shape, "Fill");  // InferMakeShape's rule
  Tensor out = Tensor::Uninitialized(value.dtype(), shape, "Fill");
  internal::DispatchElementSize(value.dtype(), [&](auto tag) {
    using T = decltype(tag);
    std::fill_n(internal::Raw<T>(out), out.num_elements(),
                *internal::Raw<T>(value));
    return 0;
  });
  return out;
}

Tensor Range(double start, double limit, double delta, DType dtype) {
  const std::string type = "Range";
  if (dtype == DType::kBool) {
    internal::RaiseNotSupported("tf.range does not produce bool tensors.");
  }
  auto raise = [&](ErrorKind kind) {
    Error e = MakeOpError(kind, type, {});
    e.dtypes = {dtype};
    e.reals = {start, limit, delta};
    if (kind == ErrorKind::kRangeDeltaZero) e.reals = {delta};
    Raise(std::move(e));
  };
  // RangeOp::Compute.
  if (delta == 0) raise(ErrorKind::kRangeDeltaZero);
  if (delta > 0 ? start > limit : start < limit) {
    raise(ErrorKind::kRangeStartLimit);
  }
  const bool integer = IsIntegerDType(dtype);
  int64_t size = 0;
  if (integer) {
    const int64_t s = SaturatingInt64(start);
    const int64_t l = SaturatingInt64(limit);
    const int64_t d = SaturatingInt64(delta);
    if (d == 0) raise(ErrorKind::kRangeDeltaZero);  // a delta below 1
    // In uint64: the span of two int64s and |INT64_MIN| do not overflow.
    const uint64_t span =
        l > s ? static_cast<uint64_t>(l) - s : static_cast<uint64_t>(s) - l;
    const uint64_t ad = d < 0 ? 0 - static_cast<uint64_t>(d) : d;
    const uint64_t count = span / ad + (span % ad != 0);  // Eigen::divup
    if (count > static_cast<uint64_t>(INT64_MAX)) {
      raise(ErrorKind::kRangeTooLarge);
    }
    size = static_cast<int64_t>(count);
  } else if (dtype == DType::kFloat64) {
    const double size_f = std::ceil(std::fabs((limit - start) / delta));
    if (!(size_f <= 9.2233720368547758e18)) raise(ErrorKind::kRangeTooLarge);
    size = static_cast<int64_t>(size_f);
  } else {
    const float s = static_cast<float>(start), l = static_cast<float>(limit),
                d = static_cast<float>(delta);
    const float size_f = std::ceil(std::fabs((l - s) / d));
    if (!(size_f <= 9.2233720368547758e18f)) raise(ErrorKind::kRangeTooLarge);
    size = static_cast<int64_t>(size_f);
  }
  Tensor out = Tensor::Zeros(dtype, {size}, type);
  if (integer) {
    int64_t v = SaturatingInt64(start);
    const int64_t d = SaturatingInt64(delta);
    for (int64_t i = 0; i < size; ++i) {
      if (dtype == DType::kInt64) {
        out.i64()[i] = v;
      } else {
        out.i32()[i] = static_cast<int32_t>(static_cast<uint32_t>(v));
      }
      v = internal::WrapAdd(v, d);
    }
  } else if (dtype == DType::kFloat64) {
    double v = start;
    for (int64_t i = 0; i < size; ++i) {
      out.f64()[i] = v;
      v += delta;
    }
  } else {
    // TF accumulates `val += delta` in T, so float ranges drift like TF's.
    float v = static_cast<float>(start);
    const float d = static_cast<float>(delta);
    for (int64_t i = 0; i < size; ++i) {
      out.f32()[i] = v;
      v += d;
    }
  }
  return out;
}

Tensor SequenceMask(const Tensor& lengths, std::optional<int64_t> maxlen) {
  if (lengths.dtype() == DType::kBool) {
    internal::RaiseNotSupported(
        "tf.sequence_mask needs integer (or float) lengths, not bool.");
  }
  // maxlen = maximum(0, max(lengths)) when not given (a float for float
  // lengths, so the comparison then happens in float).
  bool compare_float = false;
  double maxlen_v;
  if (maxlen) {
    maxlen_v = static_cast<double>(*maxlen);
  } else {
    Tensor m = Reduce(ReduceOp::kMax, lengths, std::nullopt, false);
    maxlen_v = std::max(0.0, m.GetAsDouble(0));
    compare_float = lengths.dtype() == DType::kFloat32;
  }
  // row_vector = range(0, maxlen, 1): raises Range's message for maxlen < 0
  // and charges the budget like TF's intermediate would.
  const DType range_dtype = compare_float ? DType::kFloat32 : DType::kInt32;
  Tensor row = Range(0, maxlen_v, 1, range_dtype);
  const int64_t cols = row.num_elements();
  Shape out_shape = lengths.shape();
  out_shape.push_back(cols);
  Tensor out = Tensor::Zeros(DType::kBool, out_shape, "Less");
  const int64_t rows = lengths.num_elements();
  for (int64_t r = 0; r < rows; ++r) {
    // matrix = cast(expand_dims(lengths, -1), maxlen.dtype); row < matrix.
    double len = lengths.GetAsDouble(r);
    if (!compare_float && lengths.dtype() == DType::kFloat32) {
      len = std::trunc(len);
    }
    uint8_t* o = out.b8() + r * cols;
    for (int64_t j = 0; j < cols; ++j) o[j] = static_cast<double>(j) < len;
  }
  return out;
}

Tensor RandomNormal(const Shape& shape, double mean, double stddev, Random& rng,
                    DType dtype) {
  internal::ValidateMakeShape(shape, "RandomStandardNormal");
  Tensor out = Tensor::Uninitialized(dtype, shape, "RandomStandardNormal");
  CurrentBudget()->ChargeElements(
      out.num_elements(), compute_cost::kRandomNormal, "RandomStandardNormal");
  if (dtype == DType::kFloat64) {
    double* o = out.f64();
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      o[i] = mean + stddev * static_cast<double>(rng.Normal());
    }
    return out;
  }
  const float m = static_cast<float>(mean), s = static_cast<float>(stddev);
  float* o = out.f32();
  for (int64_t i = 0; i < out.num_elements(); ++i) o[i] = m + s * rng.Normal();
  return out;
}

Tensor RandomUniform(const Shape& shape, double minval, double maxval,
                     DType dtype, Random& rng) {
  if (dtype == DType::kBool) {
    internal::RaiseNotSupported("tf.random.uniform does not produce bool.");
  }
  const std::string type =
      IsIntegerDType(dtype) ? "RandomUniformInt" : "RandomUniform";
  internal::ValidateMakeShape(shape, type);
  if (dtype == DType::kInt64) {
    const int64_t lo = SaturatingInt64(minval), hi = SaturatingInt64(maxval);
    Tensor out = Tensor::Zeros(dtype, shape, type);
    if (out.num_elements() == 0) return out;
    if (!(lo < hi)) {
      RaiseOpError(ErrorKind::kRandomIntRange, type, {shape}, {lo, hi});
    }
    CurrentBudget()->ChargeElements(out.num_elements(),
                                    compute_cost::kRandomUniform, type);
    const uint64_t range =
        static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    int64_t* o = out.i64();
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      // 64 random bits, reduced modulo the range as TF's
      // UniformDistribution<int64> does.
      const uint64_t bits =
          (static_cast<uint64_t>(rng.NextU32()) << 32) | rng.NextU32();
      o[i] = static_cast<int64_t>(static_cast<uint64_t>(lo) + bits % range);
    }
    return out;
  }
  if (dtype == DType::kInt32) {
    const int64_t lo = SaturatingInt32(minval), hi = SaturatingInt32(maxval);
    Tensor out = Tensor::Zeros(dtype, shape, type);
    // RandomUniformIntOp::Compute checks minval < maxval only after the
    // early exit for an empty output.
    if (out.num_elements() == 0) return out;
    if (!(lo < hi)) {
      RaiseOpError(ErrorKind::kRandomIntRange, type, {shape}, {lo, hi});
    }
    CurrentBudget()->ChargeElements(out.num_elements(),
                                    compute_cost::kRandomUniform, type);
    const uint64_t range = static_cast<uint64_t>(hi - lo);
    int32_t* o = out.i32();
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      // Multiply-shift maps 32 random bits onto [0, range) without modulo.
      const uint64_t r = (static_cast<uint64_t>(rng.NextU32()) * range) >> 32;
      o[i] = static_cast<int32_t>(lo + static_cast<int64_t>(r));
    }
    return out;
  }
  Tensor out = Tensor::Uninitialized(dtype, shape, type);
  CurrentBudget()->ChargeElements(out.num_elements(),
                                  compute_cost::kRandomUniform, type);
  if (dtype == DType::kFloat64) {
    double* o = out.f64();
    for (int64_t i = 0; i < out.num_elements(); ++i) {
      o[i] =
          minval + (maxval - minval) * static_cast<double>(rng.UniformFloat());
    }
    return out;
  }
  const float lo = static_cast<float>(minval), hi = static_cast<float>(maxval);
  float* o = out.f32();
  for (int64_t i = 0; i < out.num_elements(); ++i) {
    o[i] = lo + (hi - lo) * rng.UniformFloat();
  }
  return out;
}

}  // namespace ap::ops
