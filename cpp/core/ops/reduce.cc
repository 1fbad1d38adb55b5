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

AP_MINSIZE AP_NOINLINE void ReduceInt(
    ReduceOp op, const Tensor& x,
    const std::array<std::vector<int64_t>, 1>& strides, int64_t count,
    Tensor& out) {
  const int64_t n_out = out.num_elements();
  // int32: wrapping sums and products; Mean is the integer quotient
  // (truncated toward zero) like TF's MeanReducer on ints.
  int32_t* acc = out.i32();  // accumulate in place: same dtype
  const int32_t init =
      op == ReduceOp::kMax    ? std::numeric_limits<int32_t>::min()
      : op == ReduceOp::kMin  ? std::numeric_limits<int32_t>::max()
      : op == ReduceOp::kProd ? 1
                              : 0;
  std::fill(acc, acc + n_out, init);
  const int32_t* in = x.i32();
  internal::ForEachBroadcast<1>(
      x.shape(), strides, [&](int64_t i, const std::array<int64_t, 1>& off) {
        int32_t& a = acc[off[0]];
        const int32_t v = in[i];
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
  int32_t* o = out.i32();
  for (int64_t i = 0; i < n_out; ++i) {
    int32_t v = acc[i];
    if (op == ReduceOp::kMean) {
      // An empty int mean would divide by zero (a crash in C++); give 0.
      if (count == 0) {
        v = 0;
      } else if (count <= std::numeric_limits<int32_t>::max()) {
        const int32_t c = static_cast<int32_t>(count);
        v = (c == 1) ? v : v / c;
      } else {
        v = 0;
      }
    }
    o[i] = v;
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

Tensor Softmax(const Tensor& logits, int axis) {
  const std::string type = "Softmax";
  if (logits.dtype() != DType::kFloat32) {
    internal::RaiseNotSupported(
        "TensorFlow has no Softmax kernel for " +
        std::string(DTypeName(logits.dtype())) +
        " tensors (it fails with \"Value for attr 'T' of " +
        std::string(DTypeName(logits.dtype())) +
        " is not in the list of allowed values\"); the playground does not "
        "reproduce that message. Cast to float32 first.");
  }
  const Shape out_shape =
      Concrete(InferSoftmaxShape(ToPartialShape(logits.shape()), axis));
  const int rank = logits.rank();
  const int ax = axis < 0 ? axis + rank : axis;
  Tensor out = Tensor::Uninitialized(DType::kFloat32, out_shape, type);
  const AxisSplit s = SplitAt(logits.shape(), ax);
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
    internal::RaiseNotSupported(
        "TensorFlow has no " + type +
        " kernel for bool tensors (it fails with \"Value for attr 'T' of "
        "bool is not in the list of allowed values\"); the playground does "
        "not reproduce that message. Cast to int32 or float32 first.");
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
  ReduceInt(op, x, strides, count, out);
  return out;
}

Tensor CumSum(const Tensor& x, int axis) {
  const std::string type = "Cumsum";
  if (x.dtype() == DType::kBool) {
    internal::RaiseNotSupported(
        "TensorFlow has no Cumsum kernel for bool tensors (it fails with "
        "\"Value for attr 'T' of bool is not in the list of allowed "
        "values\"); the playground does not reproduce that message. Cast to "
        "int32 or float32 first.");
  }
  const Shape out_shape =
      Concrete(InferCumSumShape(ToPartialShape(x.shape()), axis));
  const int ax = axis < 0 ? axis + x.rank() : axis;
  Tensor out = Tensor::Zeros(x.dtype(), out_shape, type);
  const AxisSplit s = SplitAt(x.shape(), ax);
  for (int64_t a = 0; a < s.outer; ++a) {
    for (int64_t c = 0; c < s.inner; ++c) {
      const int64_t base = a * s.size * s.inner + c;
      if (x.dtype() == DType::kFloat32) {
        float acc = 0;
        for (int64_t k = 0; k < s.size; ++k) {
          acc += x.f32()[base + k * s.inner];
          out.f32()[base + k * s.inner] = acc;
        }
      } else {
        int32_t acc = 0;
        for (int64_t k = 0; k < s.size; ++k) {
          acc = internal::WrapAdd(acc, x.i32()[base + k * s.inner]);
          out.i32()[base + k * s.inner] = acc;
        }
      }
    }
  }
  return out;
}

Tensor ArgMax(const Tensor& x, int axis) {
  const std::string type = "ArgMax";
  if (x.dtype() == DType::kBool) {
    internal::RaiseNotSupported(
        "TensorFlow has no ArgMax kernel for bool tensors (it fails with "
        "\"Value for attr 'T' of bool is not in the list of allowed "
        "values\"); the playground does not reproduce that message. Cast to "
        "int32 or float32 first.");
  }
  const Shape out_shape =
      Concrete(InferArgMaxShape(ToPartialShape(x.shape()), axis));
  const int ax = axis < 0 ? axis + x.rank() : axis;
  CurrentBudget()->ChargeElements(x.num_elements(), compute_cost::kRead,
                                  type);  // reads
  Tensor out = Tensor::Zeros(DType::kInt32, out_shape, type);
  const AxisSplit s = SplitAt(x.shape(), ax);
  for (int64_t a = 0; a < s.outer; ++a) {
    for (int64_t c = 0; c < s.inner; ++c) {
      const int64_t base = a * s.size * s.inner + c;
      int64_t best = 0;
      double best_v = x.GetAsDouble(base);
      for (int64_t k = 1; k < s.size; ++k) {
        const double v = x.GetAsDouble(base + k * s.inner);
        if (v > best_v) {
          best_v = v;
          best = k;
        }
      }
      out.i32()[a * s.inner + c] = static_cast<int32_t>(best);
    }
  }
  return out;
}

}  // namespace ap::ops
