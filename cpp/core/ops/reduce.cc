// Softmax, reductions (Sum/Mean/Max/Min/Prod/Any/All), Cumsum and ArgMax.
// Texts: tensorflow/core/kernels/reduction_ops_common.cc (ReductionHelper),
// softmax_op.cc, scan_ops.cc, argmax_op.cc; tf.nn.softmax's axis check is
// Python (nn_ops.py _wrap_2d_function / _softmax).
#include <algorithm>
#include <cmath>
#include <limits>

#include "../kernels/eigen_view.h"
#include "../kernels/kernels.h"
#include "internal.h"
#include "ops.h"
#include "shape_inference.h"

namespace ap::ops {

namespace {

// One reduction step into accumulator `a` (float or double); NaN wins in
// max/min, as in TensorFlow.
template <typename Acc>
inline void Accumulate(ReduceOp op, Acc& a, Acc v) {
  switch (op) {
    case ReduceOp::kMax:
      if (v > a || std::isnan(v)) a = v;
      break;
    case ReduceOp::kMin:
      if (v < a || std::isnan(v)) a = v;
      break;
    case ReduceOp::kProd:
      a *= v;
      break;
    default:
      a += v;
  }
}

// Sizes of the axes before, at and after `axis`.
struct AxisSplit {
  int64_t outer = 1, size = 1, inner = 1;
};
AxisSplit SplitAt(const Shape& shape, int axis) {
  AxisSplit s;
  for (int i = 0; i < static_cast<int>(shape.size()); ++i) {
    if (i < axis) s.outer *= shape[i];
    if (i == axis) s.size = shape[i];
    if (i > axis) s.inner *= shape[i];
  }
  return s;
}

// The reduced axes as one block: x viewed as (outer, size, inner) with the
// reduced axes (size-1 axes aside) in the middle. False when kept axes lie
// between reduced ones (e.g. axes [0, 2] of a rank-3 tensor).
bool ReducedBlock(const Shape& shape, const std::vector<uint8_t>& reduced,
                  AxisSplit* s) {
  const int rank = static_cast<int>(shape.size());
  int first = rank, last = -1;
  for (int i = 0; i < rank; ++i) {
    if (reduced[i] && shape[i] != 1) {
      first = std::min(first, i);
      last = i;
    }
  }
  *s = AxisSplit{};
  for (int i = 0; i < rank; ++i) {
    if (i > first && i < last && !reduced[i] && shape[i] != 1) return false;
    (i < first ? s->outer : i <= last ? s->size : s->inner) *= shape[i];
  }
  return true;
}

// One combining step of a reduction (NaN wins in max/min, as in
// TensorFlow). A scalar functor: Eigen then combines a reduced run strictly
// in order (its vectorised redux would add in lanes).
template <ReduceOp Op>
struct Combine {
  double operator()(double a, double v) const {
    Accumulate(Op, a, v);
    return a;
  }
};

// acc[o * inner + c] (holding the op's identity) combined with x[o, :, c] in
// order: every output element sees its inputs in input order, the sums and
// products of the element-by-element walk.
template <typename F>
void ReduceMiddleAxis(const float* in, const AxisSplit& s, double* acc) {
  const F f;
  for (int64_t o = 0; o < s.outer; ++o) {
    const auto x = kernels::Matrix(in + o * s.size * s.inner, s.size, s.inner);
    auto out = kernels::Flat(acc + o * s.inner, s.inner);
    if (s.size == 0) continue;
    if (s.inner == 1) {
      // A contiguous run: Eigen's scalar redux, x0 then x1, ... in order
      // (then the identity first: 0 + -0 is +0, as from the walk).
      out(0) = f(out(0), x.col(0).cast<double>().redux(f));
      continue;
    }
    for (int64_t k = 0; k < s.size; ++k) {
      out = out.binaryExpr(x.row(k).transpose().array().cast<double>(), f);
    }
  }
}

AP_NOINLINE void ReduceMiddleAxis(ReduceOp op, const float* in,
                                  const AxisSplit& s, double* acc) {
  switch (op) {
    case ReduceOp::kMax:
      return ReduceMiddleAxis<Combine<ReduceOp::kMax>>(in, s, acc);
    case ReduceOp::kMin:
      return ReduceMiddleAxis<Combine<ReduceOp::kMin>>(in, s, acc);
    case ReduceOp::kProd:
      return ReduceMiddleAxis<Combine<ReduceOp::kProd>>(in, s, acc);
    default:
      return ReduceMiddleAxis<Combine<ReduceOp::kSum>>(in, s, acc);
  }
}

// Float reduction straight into the output buffer (used for huge outputs,
// over few elements each: the element-by-element walk, the same order).
AP_NOINLINE void ReduceFloatInPlace(
    ReduceOp op, const Tensor& x,
    const std::array<std::vector<int64_t>, 1>& strides, int64_t count,
    Tensor& out) {
  float* o = out.f32();
  const int64_t n_out = out.num_elements();
  const float init =
      op == ReduceOp::kMax    ? -std::numeric_limits<float>::infinity()
      : op == ReduceOp::kMin  ? std::numeric_limits<float>::infinity()
      : op == ReduceOp::kProd ? 1.0f
                              : 0.0f;
  std::fill(o, o + n_out, init);
  const float* in = x.f32();
  internal::ForEachBroadcast<1>(
      x.shape(), strides, [&](int64_t i, const std::array<int64_t, 1>& off) {
        Accumulate(op, o[off[0]], in[i]);
      });
  if (op == ReduceOp::kMean) {
    for (int64_t i = 0; i < n_out; ++i) o[i] /= static_cast<float>(count);
  }
}

// Any/All and the int32 reductions: not hot (the article reduces float32),
// compiled for size.
AP_MINSIZE AP_NOINLINE void ReduceBool(
    ReduceOp op, const Tensor& x,
    const std::array<std::vector<int64_t>, 1>& strides, Tensor& out) {
  const int64_t n_out = out.num_elements();
  const bool any = op == ReduceOp::kAny;
  uint8_t* o = out.b8();
  for (int64_t i = 0; i < n_out; ++i) o[i] = any ? 0 : 1;
  const uint8_t* in = x.b8();
  internal::ForEachBroadcast<1>(
      x.shape(), strides, [&](int64_t i, const std::array<int64_t, 1>& off) {
        if (any) {
          o[off[0]] |= in[i];
        } else {
          o[off[0]] &= in[i];
        }
      });
}

// I is int32_t or int64_t.
template <typename I>
AP_MINSIZE AP_NOINLINE void ReduceInt(
    ReduceOp op, const Tensor& x,
    const std::array<std::vector<int64_t>, 1>& strides, int64_t count,
    Tensor& out) {
  const int64_t n_out = out.num_elements();
  // Wrapping sums and products; Mean is the integer quotient (truncated
  // toward zero) like TF's MeanReducer on ints.
  I* acc = internal::Data<I>(out);  // accumulate in place: same dtype
  const I init = op == ReduceOp::kMax    ? std::numeric_limits<I>::min()
                 : op == ReduceOp::kMin  ? std::numeric_limits<I>::max()
                 : op == ReduceOp::kProd ? I{1}
                                         : I{0};
  std::fill(acc, acc + n_out, init);
  const I* in = internal::Data<I>(x);
  internal::ForEachBroadcast<1>(
      x.shape(), strides, [&](int64_t i, const std::array<int64_t, 1>& off) {
        I& a = acc[off[0]];
        const I v = in[i];
        switch (op) {
          case ReduceOp::kMax:
            if (v > a) a = v;
            break;
          case ReduceOp::kMin:
            if (v < a) a = v;
            break;
          case ReduceOp::kProd:
            a = internal::WrapMul(a, v);
            break;
          default:
            a = internal::WrapAdd(a, v);
        }
      });
  if (op != ReduceOp::kMean) return;
  for (int64_t i = 0; i < n_out; ++i) {
    // An empty int mean would divide by zero (a crash in C++); give 0.
    if (count == 0 || count > std::numeric_limits<I>::max()) {
      acc[i] = 0;
    } else if (count != 1) {
      acc[i] = acc[i] / static_cast<I>(count);
    }
  }
}

// The float64 reduction: accumulates in double in place, element by element
// in input order.
AP_MINSIZE AP_NOINLINE void ReduceDouble(
    ReduceOp op, const Tensor& x,
    const std::array<std::vector<int64_t>, 1>& strides, int64_t count,
    Tensor& out) {
  double* o = out.f64();
  const int64_t n_out = out.num_elements();
  const double init =
      op == ReduceOp::kMax    ? -std::numeric_limits<double>::infinity()
      : op == ReduceOp::kMin  ? std::numeric_limits<double>::infinity()
      : op == ReduceOp::kProd ? 1.0
                              : 0.0;
  std::fill(o, o + n_out, init);
  const double* in = x.f64();
  internal::ForEachBroadcast<1>(
      x.shape(), strides, [&](int64_t i, const std::array<int64_t, 1>& off) {
        Accumulate(op, o[off[0]], in[i]);
      });
  if (op == ReduceOp::kMean) {
    for (int64_t i = 0; i < n_out; ++i) o[i] /= static_cast<double>(count);
  }
}

// The float32 reduction: -O3 (Reduce around it is compiled for size).
AP_NOINLINE void ReduceFloat(ReduceOp op, const Tensor& x,
                             const std::array<std::vector<int64_t>, 1>& strides,
                             const AxisSplit* block, int64_t count,
                             Tensor& out) {
  const int64_t n_out = out.num_elements();
  // Accumulate in double when the accumulator is small (TF accumulates in
  // float with a tree reduction; the difference is in the last bits). A
  // huge output accumulates in float in place, so no unbudgeted buffer
  // larger than 8 MiB is ever allocated.
  if (n_out > (int64_t{1} << 20)) {
    ReduceFloatInPlace(op, x, strides, count, out);
    return;
  }
  const double init =
      op == ReduceOp::kMax    ? -std::numeric_limits<double>::infinity()
      : op == ReduceOp::kMin  ? std::numeric_limits<double>::infinity()
      : op == ReduceOp::kProd ? 1.0
                              : 0.0;
  std::vector<double> acc(n_out, init);
  const float* in = x.f32();
  if (block) {
    ReduceMiddleAxis(op, in, *block, acc.data());
  } else {
    // Kept axes between reduced ones: the element-by-element walk.
    internal::ForEachBroadcast<1>(
        x.shape(), strides, [&](int64_t i, const std::array<int64_t, 1>& off) {
          Accumulate(op, acc[off[0]], static_cast<double>(in[i]));
        });
  }
  auto sums = kernels::Flat(acc.data(), n_out);
  if (op == ReduceOp::kMean) sums /= static_cast<double>(count);  // 0/0 NaN
  kernels::Flat(out.f32(), n_out) = sums.cast<float>();
}

}  // namespace

std::string_view ReduceOpType(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum:
      return "Sum";
    case ReduceOp::kMean:
      return "Mean";
    case ReduceOp::kMax:
      return "Max";
    case ReduceOp::kMin:
      return "Min";
    case ReduceOp::kProd:
      return "Prod";
    case ReduceOp::kAny:
      return "Any";
    case ReduceOp::kAll:
      return "All";
  }
  return "Unknown";
}

namespace {

// Softmax of float64 logits viewed as (outer, size, inner) along the middle
// axis: tensorflow/core/kernels/softmax_op_functor.h (TF 2.21) subtracts
// the max, exponentiates, then multiplies by the inverse of the sum.
AP_NOINLINE void SoftmaxDouble(const double* in, double* o, int64_t outer,
                               int64_t size, int64_t inner) {
  for (int64_t a = 0; a < outer; ++a) {
    for (int64_t c = 0; c < inner; ++c) {
      const int64_t base = a * size * inner + c;
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < size; ++k) {
        const double v = in[base + k * inner];
        mx = v > mx ? v : mx;
      }
      double sum = 0;
      for (int64_t k = 0; k < size; ++k) {
        const double e = std::exp(in[base + k * inner] - mx);
        o[base + k * inner] = e;
        sum += e;
      }
      const double inv = 1.0 / sum;
      for (int64_t k = 0; k < size; ++k) o[base + k * inner] *= inv;
    }
  }
}

}  // namespace

Tensor Softmax(const Tensor& logits, int axis) {
  const std::string type = "Softmax";
  if (!IsFloatDType(logits.dtype())) {
    internal::RaiseAttrNotAllowed(type, logits.dtype());
  }
  const Shape out_shape =
      Concrete(InferSoftmaxShape(ToPartialShape(logits.shape()), axis));
  const int rank = logits.rank();
  const int ax = axis < 0 ? axis + rank : axis;
  Tensor out = Tensor::Uninitialized(logits.dtype(), out_shape, type);
  const AxisSplit s = SplitAt(logits.shape(), ax);
  if (logits.dtype() == DType::kFloat64) {
    CurrentBudget()->ChargeElements(logits.num_elements(),
                                    compute_cost::kTranscendental, type);
    SoftmaxDouble(logits.f64(), out.f64(), s.outer, s.size, s.inner);
    return out;
  }
  const float* in = logits.f32();
  float* o = out.f32();
  if (s.inner == 1) {
    // The usual case (the last axis): contiguous rows, vectorised.
    kernels::SoftmaxRows(in, o, s.outer, s.size);
    return out;
  }
  for (int64_t a = 0; a < s.outer; ++a) {
    for (int64_t c = 0; c < s.inner; ++c) {
      const int64_t base = a * s.size * s.inner + c;
      // Subtract the row max so exp never overflows (NaN never wins).
      float mx = -std::numeric_limits<float>::infinity();
      for (int64_t k = 0; k < s.size; ++k) {
        const float v = in[base + k * s.inner];
        mx = v > mx ? v : mx;
      }
      // The same exp as the vectorised rows, so every axis rounds alike.
      double sum = 0;
      for (int64_t k = 0; k < s.size; ++k) {
        const float e = kernels::ExpNonPositive(in[base + k * s.inner] - mx);
        o[base + k * s.inner] = e;
        sum += e;
      }
      const float inv = static_cast<float>(1.0 / sum);
      for (int64_t k = 0; k < s.size; ++k) o[base + k * s.inner] *= inv;
    }
  }
  return out;
}

AP_MINSIZE Tensor Reduce(ReduceOp op, const Tensor& x,
                         const std::optional<std::vector<int>>& axes,
                         bool keepdims) {
  const std::string type(ReduceOpType(op));
  const bool logical = op == ReduceOp::kAny || op == ReduceOp::kAll;
  if (logical && x.dtype() != DType::kBool) {
    internal::RaiseDTypeMismatch(type, 0, DType::kBool, x.dtype());
  }
  if (!logical && x.dtype() == DType::kBool) {
    internal::RaiseAttrNotAllowed(type, x.dtype());
  }
  const int rank = x.rank();
  const ReduceInference inferred =
      InferReduceShape(op, ToPartialShape(x.shape()), axes, keepdims);
  // (uint8_t, not vector<bool>: its -O3 assign() was 2.3 KB of WASM.)
  const std::vector<uint8_t>& reduced = inferred.reduced;
  // Every element is read, whatever the output size: charge the reads.
  CurrentBudget()->ChargeElements(x.num_elements(), compute_cost::kRead, type);
  const Shape out_shape = Concrete(inferred.shape);
  Shape kept_shape;
  int64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    if (reduced[i]) {
      count *= x.dim(i);
    } else {
      kept_shape.push_back(x.dim(i));
    }
  }
  const DType out_dtype = x.dtype();
  Tensor out = Tensor::Zeros(out_dtype, out_shape, type);

  // For every input element, the offset of its output element: the kept
  // axes' row-major strides, 0 on reduced axes.
  std::vector<int64_t> kept_strides = RowMajorStrides(kept_shape);
  std::array<std::vector<int64_t>, 1> strides;
  strides[0].assign(rank, 0);
  for (int i = 0, k = 0; i < rank; ++i) {
    if (!reduced[i]) strides[0][i] = kept_strides[k++];
  }

  if (logical) {
    ReduceBool(op, x, strides, out);
    return out;
  }

  if (x.dtype() == DType::kFloat32) {
    AxisSplit block;
    const bool adjacent = ReducedBlock(x.shape(), reduced, &block);
    ReduceFloat(op, x, strides, adjacent ? &block : nullptr, count, out);
    return out;
  }
  switch (x.dtype()) {
    case DType::kFloat64:
      ReduceDouble(op, x, strides, count, out);
      break;
    case DType::kInt64:
      ReduceInt<int64_t>(op, x, strides, count, out);
      break;
    default:
      ReduceInt<int32_t>(op, x, strides, count, out);
      break;
  }
  return out;
}

Tensor CumSum(const Tensor& x, int axis) {
  const std::string type = "Cumsum";
  if (x.dtype() == DType::kBool) {
    internal::RaiseAttrNotAllowed(type, x.dtype());
  }
  const Shape out_shape =
      Concrete(InferCumSumShape(ToPartialShape(x.shape()), axis));
  const int ax = axis < 0 ? axis + x.rank() : axis;
  Tensor out = Tensor::Zeros(x.dtype(), out_shape, type);
  const AxisSplit s = SplitAt(x.shape(), ax);
  for (int64_t a = 0; a < s.outer; ++a) {
    for (int64_t c = 0; c < s.inner; ++c) {
      const int64_t base = a * s.size * s.inner + c;
      internal::DispatchDType(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (!std::is_same_v<T, uint8_t>) {
          const T* in = internal::Data<T>(x);
          T* o = internal::Data<T>(out);
          T acc = 0;
          for (int64_t k = 0; k < s.size; ++k) {
            if constexpr (std::is_integral_v<T>) {
              acc = internal::WrapAdd(acc, in[base + k * s.inner]);
            } else {
              acc += in[base + k * s.inner];
            }
            o[base + k * s.inner] = acc;
          }
        }
        return 0;
      });
    }
  }
  return out;
}

Tensor ArgMax(const Tensor& x, int axis, DType output_type) {
  const std::string type = "ArgMax";
  const Shape out_shape =
      Concrete(InferArgMaxShape(ToPartialShape(x.shape()), axis));
  const int ax = axis < 0 ? axis + x.rank() : axis;
  CurrentBudget()->ChargeElements(x.num_elements(), compute_cost::kRead,
                                  type);  // reads
  Tensor out = Tensor::Zeros(output_type, out_shape, type);
  const AxisSplit s = SplitAt(x.shape(), ax);
  internal::DispatchDType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = internal::Data<T>(x);
    for (int64_t a = 0; a < s.outer; ++a) {
      for (int64_t c = 0; c < s.inner; ++c) {
        const int64_t base = a * s.size * s.inner + c;
        int64_t best = 0;
        T best_v = in[base];
        for (int64_t k = 1; k < s.size; ++k) {
          const T v = in[base + k * s.inner];
          if (v > best_v) {
            best_v = v;
            best = k;
          }
        }
        if (output_type == DType::kInt64) {
          out.i64()[a * s.inner + c] = best;
        } else {
          out.i32()[a * s.inner + c] = static_cast<int32_t>(best);
        }
      }
    }
    return 0;
  });
  return out;
}

}  // namespace ap::ops
