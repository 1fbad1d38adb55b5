// Shape rules and error texts as the kernels check them
// (tensorflow/core/kernels, TF 2.21): cwise_ops_common.h (BinaryOpShared),
// matmul_op_impl.h, softmax_op_functor.h, reduction_ops_common.cc,
// concat_op.cc, pack_op.cc, shape_ops.h, reshape_op.h, transpose_op.cc,
// tile_ops.cc; the Python-level checks of array_ops.py and nn_ops.py.
#include "shape_inference.h"

#include <algorithm>
#include <limits>
#include <set>
#include <string>

#include "internal.h"

namespace ap::ops {

namespace {

Shape ErrorShape(const PartialShape& s) { return ToShapeWithUnknowns(s); }

void InsertDim(PartialShape& shape, int64_t at, Dim d) {
  shape.insert(shape.begin() + at, d);
}

// Raises an op error of `kind` for `op` with the given operand integers.
[[noreturn]] void RaiseKind(ErrorKind kind, const std::string& op,
                            std::initializer_list<int64_t> ints,
                            const std::string& suffix = "") {
  Error e = MakeOpError(kind, op, {}, ints);
  e.op_suffix = suffix;
  Raise(std::move(e));
}

}  // namespace

Shape Concrete(const PartialShape& shape) { return ToShapeWithUnknowns(shape); }

PartialShape InferBinaryShape(BinaryOp op, const PartialShape& x,
                              const PartialShape& y, std::string_view name) {
  int failing_axis = -1;
  auto out = BroadcastPartialShapes(x, y, &failing_axis);
  if (!out) {
    const std::string type(BinaryOpType(op));
    const Shape sx = ErrorShape(x), sy = ErrorShape(y);
    Error e = MakeOpError(ErrorKind::kIncompatibleShapes, type, {sx, sy});
    const int out_rank = static_cast<int>(std::max(x.size(), y.size()));
    for (const PartialShape* s : {&x, &y}) {
      const int axis = failing_axis - (out_rank - static_cast<int>(s->size()));
      e.failing_axes.push_back(axis >= 0 ? axis : -1);
    }
    internal::RaiseOp(std::move(e), name);
  }
  return std::move(*out);
}

PartialShape InferWhereShape(const PartialShape& cond, const PartialShape& x,
                             const PartialShape& y) {
  // SelectV2Op::Compute: BCastList<3> over (cond, then, else).
  auto cx = BroadcastPartialShapes(cond, x);
  std::optional<PartialShape> out;
  if (cx) out = BroadcastPartialShapes(*cx, y);
  if (out) return std::move(*out);
  const Shape sc = ErrorShape(cond), sx = ErrorShape(x), sy = ErrorShape(y);
  Error e =
      MakeOpError(ErrorKind::kSelectNotBroadcastable, "SelectV2", {sc, sx, sy});
  // Mark, per operand, the first axis (from the right) whose known size is
  // neither 1 nor the size the other operands agree on.
  const PartialShape* shapes[3] = {&cond, &x, &y};
  const size_t rank = std::max({cond.size(), x.size(), y.size()});
  std::vector<int> axes(3, -1);
  for (size_t j = 0; j < rank && axes == std::vector<int>(3, -1); ++j) {
    Dim target = 1;
    bool conflict = false;
    for (const PartialShape* s : shapes) {
      const Dim d = j < s->size() ? (*s)[s->size() - 1 - j] : Dim(1);
      if (d.Is(1) || !d.known()) continue;
      if (target.Is(1)) {
        target = d;
      } else if (d != target) {
        conflict = true;
      }
    }
    if (!conflict) continue;
    for (int k = 0; k < 3; ++k) {
      const PartialShape& s = *shapes[k];
      if (j < s.size() && !s[s.size() - 1 - j].Is(1)) {
        axes[k] = static_cast<int>(s.size() - 1 - j);
      }
    }
  }
  e.failing_axes = axes;
  Raise(std::move(e));
}

PartialShape InferMatMulShape(const PartialShape& a, const PartialShape& b,
                              bool transpose_a, bool transpose_b) {
  const int ra = static_cast<int>(a.size()), rb = static_cast<int>(b.size());
  const bool batched = ra > 2 || rb > 2;
  const std::string type = batched ? "BatchMatMulV2" : "MatMul";
  const Shape sa = ErrorShape(a), sb = ErrorShape(b);
  if (!batched) {
    // The CPU MatMul kernel is BatchMatMulOp with is_legacy_matmul: equal
    // ranks first, then rank 2.
    if (ra != rb) RaiseOpError(ErrorKind::kMatMulNdimsDiffer, type, {sa, sb});
    if (ra != 2) RaiseOpError(ErrorKind::kMatMulRank2, type, {sa, sb}, {ra});
  } else {
    // BatchMatMulV2Op::ValidateInputTensors.
    for (int k = 0; k < 2; ++k) {
      const int rank = k == 0 ? ra : rb;
      if (rank < 2) {
        RaiseOpError(ErrorKind::kBatchMatMulRank, type, {}, {k, rank});
      }
    }
  }
  PartialShape out;
  if (batched) {
    const PartialShape a_batch(a.begin(), a.end() - 2);
    const PartialShape b_batch(b.begin(), b.end() - 2);
    int fa = -1;
    auto batch = BroadcastPartialShapes(a_batch, b_batch, &fa);
    if (!batch) {
      Error e = MakeOpError(ErrorKind::kBatchMatMulBatchDims, type, {sa, sb});
      const int out_rank =
          static_cast<int>(std::max(a_batch.size(), b_batch.size()));
      const int axa = fa - (out_rank - static_cast<int>(a_batch.size()));
      const int axb = fa - (out_rank - static_cast<int>(b_batch.size()));
      e.failing_axes = {axa >= 0 ? axa : -1, axb >= 0 ? axb : -1};
      Raise(std::move(e));
    }
    out = std::move(*batch);
  }
  const Dim a_rows = a[ra - 2], a_cols = a[ra - 1];
  const Dim b_rows = b[rb - 2], b_cols = b[rb - 1];
  const Dim k = transpose_a ? a_rows : a_cols;
  const Dim k2 = transpose_b ? b_cols : b_rows;
  if (!k.IsCompatibleWith(k2)) {
    Error e = MakeOpError(ErrorKind::kMatMulSizeIncompatible, type, {sa, sb});
    e.failing_axes = {transpose_a ? ra - 2 : ra - 1,
                      transpose_b ? rb - 1 : rb - 2};
    Raise(std::move(e));
  }
  out.push_back(transpose_a ? a_cols : a_rows);
  out.push_back(transpose_b ? b_rows : b_cols);
  return out;
}

PartialShape InferSoftmaxShape(const PartialShape& logits, int axis) {
  const int rank = static_cast<int>(logits.size());
  const Shape error_shape = ErrorShape(logits);
  // nn_ops.py _wrap_2d_function: the last axis goes straight to the kernel;
  // any other axis is range-checked in Python first (InvalidArgumentError
  // without kernel, so no {{function_node}} prefix and no [Op:...] suffix).
  const bool is_last_dim = axis == -1 || axis == rank - 1;
  if (!is_last_dim && (axis < -rank || axis >= rank)) {
    RaiseOpError(ErrorKind::kSoftmaxAxis, "", {error_shape}, {axis, rank});
  }
  if (rank == 0) {
    // SoftmaxOp::Compute.
    RaiseOpError(ErrorKind::kSoftmaxRank, "Softmax", {error_shape});
  }
  return logits;
}

PartialShape InferUnaryShape(const PartialShape& x) { return x; }

PartialShape InferEqualityShape(const PartialShape& x, const PartialShape& y) {
  // BinaryOpShared::BinaryOpState with incompatible_shape_error=false.
  if (std::optional<PartialShape> out = BroadcastPartialShapes(x, y)) {
    return *out;
  }
  return {};
}

PartialShape InferMakeShape(const Shape& dims, std::string_view op) {
  internal::ValidateMakeShape(dims, op);
  return ToPartialShape(dims);
}

DotAttentionInference InferDotAttentionShapes(const PartialShape& q,
                                              const PartialShape& k,
                                              const PartialShape& v,
                                              bool transpose_k) {
  DotAttentionInference out;
  out.scores = InferMatMulShape(q, k, false, transpose_k);
  out.output = InferMatMulShape(InferSoftmaxShape(out.scores), v);
  return out;
}

namespace {

Dim WindowOutput(Dim steps, int64_t window, int64_t stride, int64_t dilation,
                 bool same_padding) {
  if (!steps.known()) return Dim();
  return Dim(
      ConvOutputSize(steps.size(), window, stride, dilation, same_padding));
}

}  // namespace

PartialShape InferConv1DShape(const PartialShape& x, const PartialShape& kernel,
                              int64_t stride, int64_t dilation,
                              bool same_padding) {
  const Dim width = kernel[0];
  return {x[0],
          width.known()
              ? WindowOutput(x[1], width.size(), stride, dilation, same_padding)
              : Dim(),
          kernel[2]};
}

PartialShape InferPool1DShape(const PartialShape& x, int64_t window,
                              int64_t stride, bool same_padding) {
  return {x[0], WindowOutput(x[1], window, stride, 1, same_padding), x[2]};
}

ReduceInference InferReduceShape(ReduceOp op, const PartialShape& x,
                                 const std::optional<std::vector<int>>& axes,
                                 bool keepdims) {
  const int rank = static_cast<int>(x.size());
  const Shape sx = ErrorShape(x);
  ReduceInference r;
  r.reduced.assign(rank, 0);
  if (!axes) {
    r.reduced.assign(rank, 1);
  } else {
    const std::string type(ReduceOpType(op));
    // tf.reduce_* hands `axis` to the op as given: one axis is usually a
    // Python int (the fast path, which names the op), several a list (the
    // slow path, which does not; see Error::fast_path).
    const bool fast_path = axes->size() == 1;
    for (int a : *axes) {
      if (a < -rank || a >= rank) {
        Error e = MakeOpError(ErrorKind::kReductionAxis, type, {sx}, {a, rank});
        e.fast_path = fast_path;
        Raise(std::move(e));
      }
      const int wrapped = a < 0 ? a + rank : a;
      if (r.reduced[wrapped]) {
        Error e = MakeOpError(ErrorKind::kReductionDuplicateAxis, type, {sx},
                              {wrapped});
        e.fast_path = fast_path;
        Raise(std::move(e));
      }
      r.reduced[wrapped] = 1;
    }
  }
  for (int i = 0; i < rank; ++i) {
    if (!r.reduced[i]) {
      r.shape.push_back(x[i]);
    } else if (keepdims) {
      r.shape.push_back(1);
    }
  }
  return r;
}

PartialShape InferCumSumShape(const PartialShape& x, int axis) {
  const int rank = static_cast<int>(x.size());
  // ScanOp::Compute prints the axis after adding the rank to a negative one.
  const int ax = axis < 0 ? axis + rank : axis;
  if (ax < 0 || ax >= rank) {
    const Shape sx = ErrorShape(x);
    RaiseOpError(ErrorKind::kCumsumAxis, "Cumsum", {sx}, {ax, rank});
  }
  return x;
}

PartialShape InferArgMaxShape(const PartialShape& x, int axis) {
  const int rank = static_cast<int>(x.size());
  const Shape sx = ErrorShape(x);
  if (axis < -rank || axis >= rank) {
    RaiseOpError(ErrorKind::kArgMaxAxis, "ArgMax", {sx}, {axis, rank});
  }
  const int ax = axis < 0 ? axis + rank : axis;
  if (x[ax].Is(0)) {
    RaiseOpError(ErrorKind::kArgMaxEmpty, "ArgMax", {sx}, {axis});
  }
  PartialShape out = x;
  out.erase(out.begin() + ax);
  return out;
}

PartialShape InferConcatShape(const std::vector<PartialShape>& values,
                              int64_t axis) {
  const std::string type = "ConcatV2";
  if (values.empty()) {
    internal::RaiseNotSupported("tf.concat needs at least one tensor.");
  }
  if (values.size() == 1) return values[0];
  const std::string suffix = "_N_" + std::to_string(values.size());
  auto raise = [&](Error e) {
    e.op_suffix = suffix;
    Raise(std::move(e));
  };
  // ConcatV2 in TF 2.21 eager: axis 0 passes the range check even for a
  // rank-0 first input, then each input in order: a scalar, a rank that
  // differs from input 0's, a dimension (other than the axis) that differs.
  const PartialShape& p0 = values[0];
  const Shape s0 = ErrorShape(p0);
  const int64_t input_dims = static_cast<int64_t>(p0.size());
  const int64_t ax = axis < 0 ? axis + input_dims : axis;
  if (!(0 <= ax && ax < input_dims) && axis != 0) {
    raise(MakeOpError(ErrorKind::kConcatAxis, type, {s0}, {axis, input_dims}));
  }
  PartialShape out = p0;
  Dim axis_total = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const PartialShape& pi = values[i];
    const Shape si = ErrorShape(pi);
    if (pi.empty()) raise(MakeOpError(ErrorKind::kConcatScalars, type, {si}));
    if (static_cast<int64_t>(pi.size()) != input_dims) {
      raise(MakeOpError(ErrorKind::kConcatRank, type, {s0, si},
                        {static_cast<int64_t>(i)}));
    }
    for (int64_t j = 0; j < input_dims; ++j) {
      if (j == ax) continue;
      if (!pi[j].IsCompatibleWith(p0[j])) {
        Error e = MakeOpError(ErrorKind::kConcatDim, type, {s0, si},
                              {j, static_cast<int64_t>(i)});
        e.failing_axes = {static_cast<int>(j), static_cast<int>(j)};
        raise(std::move(e));
      }
      if (!out[j].known()) out[j] = pi[j];  // a known size pins it
    }
    // Concrete sizes each fit in memory already: no overflow.
    axis_total = axis_total.known() && pi[ax].known()
                     ? Dim(axis_total.size() + pi[ax].size())
                     : Dim::Unknown();
  }
  out[ax] = axis_total;
  return out;
}

PartialShape InferStackShape(const std::vector<PartialShape>& values,
                             const std::vector<DType>& dtypes, int64_t axis) {
  const std::string type = "Pack";
  if (values.empty()) {
    internal::RaiseNotSupported("tf.stack needs at least one tensor.");
  }
  const std::string suffix = "_N_" + std::to_string(values.size());
  const int64_t expanded = static_cast<int64_t>(values[0].size()) + 1;
  if (axis < -expanded || axis >= expanded) {
    // array_ops.py stack() raises ValueError before calling Pack.
    const Shape s0 = ErrorShape(values[0]);
    RaiseOpError(ErrorKind::kPackAxis, "", {s0}, {axis, expanded});
  }
  for (size_t i = 1; i < dtypes.size(); ++i) {
    if (dtypes[i] != dtypes[0]) {
      Error e = MakeOpError(ErrorKind::kDTypeMismatch, type, {},
                            {static_cast<int64_t>(i)});
      e.dtypes = {dtypes[0], dtypes[i]};
      e.eager_envelope = false;
      e.op_suffix = suffix;
      Raise(std::move(e));
    }
  }
  PartialShape out = values[0];
  for (size_t i = 1; i < values.size(); ++i) {
    const PartialShape& pi = values[i];
    bool compatible = pi.size() == out.size();
    for (size_t j = 0; compatible && j < pi.size(); ++j) {
      compatible = pi[j].IsCompatibleWith(values[0][j]);
    }
    if (!compatible) {
      const Shape s0 = ErrorShape(values[0]), si = ErrorShape(pi);
      Error e = MakeOpError(ErrorKind::kPackShapes, type, {s0, si},
                            {static_cast<int64_t>(i)});
      e.op_suffix = suffix;
      Raise(std::move(e));
    }
    for (size_t j = 0; j < pi.size(); ++j) {
      if (!out[j].known()) out[j] = pi[j];
    }
  }
  const int64_t ax = axis < 0 ? axis + expanded : axis;
  InsertDim(out, ax, static_cast<int64_t>(values.size()));
  return out;
}

PartialShape InferExpandDimsShape(const PartialShape& x, int64_t axis) {
  const Shape sx = ErrorShape(x);
  const int64_t rank = static_cast<int64_t>(x.size());
  if (axis < -1 - rank || axis > rank) {
    RaiseOpError(ErrorKind::kExpandDimsAxis, "ExpandDims", {sx}, {axis, rank});
  }
  PartialShape out = x;
  InsertDim(out, axis < 0 ? axis + rank + 1 : axis, 1);
  return out;
}

PartialShape InferSqueezeShape(const PartialShape& x,
                               const std::vector<int64_t>& axes) {
  const Shape sx = ErrorShape(x);
  const int64_t rank = static_cast<int64_t>(x.size());
  std::set<int64_t> wrapped;
  for (int64_t a : axes) {
    if (a < -rank || a >= rank) {
      RaiseOpError(ErrorKind::kSqueezeAxis, "Squeeze", {sx}, {a, rank});
    }
    wrapped.insert(a < 0 ? a + rank : a);
  }
  PartialShape out;
  for (int64_t i = 0; i < rank; ++i) {
    const Dim d = x[i];
    if (wrapped.empty()) {
      if (!d.Is(1)) out.push_back(d);
    } else if (!wrapped.count(i)) {
      out.push_back(d);
    } else if (!d.IsCompatibleWith(1)) {
      Error e = MakeOpError(ErrorKind::kSqueezeNotOne, "Squeeze", {sx},
                            {i, d.size()});
      e.failing_axes = {static_cast<int>(i)};
      Raise(std::move(e));
    }
  }
  return out;
}

PartialShape InferReshapeShape(const PartialShape& x,
                               const std::vector<int64_t>& sizes) {
  const std::string type = "Reshape";
  const Shape sx = ErrorShape(x);
  // ReshapeOp::ValidateSizes.
  PartialShape out;
  int64_t product = 1;      // of the known, non-zero sizes
  int64_t shape_elems = 1;  // of the shape built so far (-1 counts as 1)
  int64_t unknown = -1;
  bool has_zero = false;
  for (size_t d = 0; d < sizes.size(); ++d) {
    const int64_t size = sizes[d];
    if (size == -1) {
      if (unknown != -1) {
        RaiseOpError(ErrorKind::kReshapeTwoUnknown, type, {sx},
                     {unknown, static_cast<int64_t>(d)});
      }
      unknown = static_cast<int64_t>(d);
      out.push_back(1);
    } else if (size < 0) {
      RaiseOpError(ErrorKind::kReshapeNegativeDim, type, {sx},
                   {static_cast<int64_t>(d), size});
    } else if (size == 0) {
      out.push_back(0);
      has_zero = true;
      shape_elems = 0;
    } else {
      const auto next = CheckedMultiply(shape_elems, size);
      if (!next) {
        Error e = MakeOpError(ErrorKind::kReshapeTooManyElements, type, {sx});
        e.ints = sizes;
        Raise(std::move(e));
      }
      shape_elems = *next;
      out.push_back(size);
      product *= size;  // <= shape_elems, so no overflow
    }
  }
  const auto concrete = ToShape(x);
  if (!concrete) {
    // The input's size is unknown: the -1 is too (TF's graph shape function
    // also checks divisibility by the known dims, with a text of its own
    // that the playground does not model).
    if (unknown != -1) out[unknown] = Dim::Unknown();
    return out;
  }
  const auto n_in = CheckedNumElements(*concrete).value_or(-1);
  if (unknown != -1) {
    // Zero-sized input dims are left out of the count when the requested
    // shape has a zero, so the other dims can still be inferred.
    int64_t input_elems = 1;
    bool input_has_zero = false;
    for (int64_t d : *concrete) {
      if (d > 0 || !has_zero) {
        input_elems *= d;
      } else {
        input_has_zero = true;
      }
    }
    const int64_t missing = input_elems / product;
    if (!input_has_zero && product * missing != input_elems) {
      RaiseOpError(ErrorKind::kReshapeMultiple, type, {sx},
                   {input_elems, product});
    }
    out[unknown] = missing;
  }
  const auto n_out = CheckedNumElements(ToShapeWithUnknowns(out));
  if (!n_out || *n_out != n_in) {
    RaiseOpError(ErrorKind::kReshapeCount, type, {sx},
                 {n_in, n_out.value_or(-1)});
  }
  return out;
}

TransposeInference InferTransposeShape(
    const PartialShape& x, const std::optional<std::vector<int64_t>>& perm_in) {
  const std::string type = "Transpose";
  const int dims = static_cast<int>(x.size());
  const Shape sx = ErrorShape(x);
  TransposeInference r;
  if (perm_in) {
    r.perm = *perm_in;
  } else {
    for (int i = dims - 1; i >= 0; --i) r.perm.push_back(i);
  }
  // TransposeOp::Compute.
  if (static_cast<int64_t>(r.perm.size()) != dims) {
    RaiseOpError(ErrorKind::kTransposePermSize, type, {sx},
                 {dims, static_cast<int64_t>(r.perm.size())});
  }
  // TransposeOp::Compute (transpose_op.cc, TF 2.21) counts a negative
  // entry from the end; the messages show the wrapped values.
  for (int64_t& d : r.perm) {
    if (d < 0) d += dims;
  }
  std::vector<uint8_t> bits(dims, 0);
  for (int i = 0; i < dims; ++i) {
    const int64_t d = r.perm[i];
    if (d < 0 || d >= dims) {
      RaiseOpError(ErrorKind::kTransposePermInvalid, type, {sx}, {d, dims});
    }
    bits[d] = 1;
    r.shape.push_back(x[d]);
  }
  for (int i = 0; i < dims; ++i) {
    if (!bits[i]) {
      Error e = MakeOpError(ErrorKind::kTransposePermMissing, type, {sx}, {i});
      for (int64_t p : r.perm) e.ints.push_back(p);
      Raise(std::move(e));
    }
  }
  return r;
}

PartialShape InferTileShape(const PartialShape& x,
                            const std::vector<int64_t>& multiples) {
  const Shape sx = ErrorShape(x);
  const std::string type = "Tile";
  const int64_t rank = static_cast<int64_t>(x.size());
  if (static_cast<int64_t>(multiples.size()) != rank) {
    RaiseOpError(ErrorKind::kTileMultiplesLength, type, {sx},
                 {rank, static_cast<int64_t>(multiples.size())});
  }
  PartialShape out;
  for (int64_t i = 0; i < rank; ++i) {
    if (multiples[i] < 0) {
      RaiseOpError(ErrorKind::kTileMultipleNegative, type, {sx},
                   {i, multiples[i]});
    }
    if (!x[i].known()) {
      // 0 times anything is 0 (TF's Tile shape function agrees).
      out.push_back(multiples[i] == 0 ? Dim(0) : Dim::Unknown());
      continue;
    }
    out.push_back(CheckedMultiply(x[i].size(), multiples[i])
                      .value_or(std::numeric_limits<int64_t>::max()));
  }
  return out;
}

PartialShape InferPadShape(const PartialShape& x,
                           const PartialShape& paddings_shape,
                           const std::vector<int64_t>& paddings_values,
                           std::string_view type_view) {
  const std::string type(type_view);
  const int dims = static_cast<int>(x.size());
  const Shape sx = ErrorShape(x), sp = ErrorShape(paddings_shape);
  // PadOp::Compute, in this order.
  constexpr int kMaxDims = 8;
  if (dims > kMaxDims) {
    RaiseOpError(ErrorKind::kPadRank, type, {sx}, {kMaxDims, dims});
  }
  if (paddings_shape.size() != 2 || !paddings_shape[1].IsCompatibleWith(2)) {
    RaiseOpError(ErrorKind::kPadNotMatrix, type, {sp});
  }
  if (!paddings_shape[0].IsCompatibleWith(dims)) {
    RaiseOpError(ErrorKind::kPadFirstDim, type, {sp, sx});
  }
  PartialShape out(dims);
  for (int d = 0; d < dims; ++d) {
    const int64_t b = paddings_values[2 * d];
    const int64_t a = paddings_values[2 * d + 1];
    if (b < 0 || a < 0) {
      Error e = MakeOpError(ErrorKind::kPadNegative, type, {sx, sp}, {b, a});
      e.failing_axes = {d, -1};
      Raise(std::move(e));
    }
    // int32 paddings: cannot overflow.
    out[d] = x[d].known() ? Dim(b + x[d].size() + a) : Dim::Unknown();
  }
  return out;
}

PartialShape InferBandPartShape(const PartialShape& x, int64_t num_lower,
                                int64_t num_upper) {
  const std::string op = "MatrixBandPart";
  if (x.size() < 2) {
    const Shape sx = ErrorShape(x);
    RaiseOpError(ErrorKind::kBandPartRank, op, {sx});
  }
  const Dim rows = x[x.size() - 2], cols = x[x.size() - 1];
  if (rows.known() && num_lower > rows.size()) {
    RaiseKind(ErrorKind::kBandPartLower, op, {rows.size(), num_lower});
  }
  if (cols.known() && num_upper > cols.size()) {
    RaiseKind(ErrorKind::kBandPartUpper, op, {cols.size(), num_upper});
  }
  return x;
}

PartialShape InferGatherShape(const PartialShape& params,
                              const PartialShape& indices, int64_t axis) {
  const std::string op = "GatherV2";
  const int rank = static_cast<int>(params.size());
  // A scalar index is a Python int or a tensor: the fast path (a list of
  // indices is the slow one, MakeOpError's default).
  auto raise = [&](Error e) {
    if (indices.empty()) e.fast_path = true;
    Raise(std::move(e));
  };
  // GatherOp::Compute (gather_op.cc, TF 2.21).
  if (rank == 0) raise(MakeOpError(ErrorKind::kGatherParamsScalar, op, {}));
  const int64_t min_dims = axis < 0 ? -axis : axis + 1;
  if (rank < min_dims) {
    raise(MakeOpError(ErrorKind::kGatherAxis, op, {}, {min_dims, rank}));
  }
  const int a = static_cast<int>(axis < 0 ? axis + rank : axis);
  PartialShape out(params.begin(), params.begin() + a);
  out.insert(out.end(), indices.begin(), indices.end());
  out.insert(out.end(), params.begin() + a + 1, params.end());
  return out;
}

PartialShape InferSplitShape(const PartialShape& x, int64_t num_split,
                             int64_t axis) {
  const std::string op = "Split";
  if (num_split <= 0) {
    // TF 2.21 eager appends the name for 0 but not for a negative count.
    Error e = MakeOpError(ErrorKind::kSplitNumAttr, op, {}, {num_split});
    e.fast_path = num_split == 0;
    Raise(std::move(e));
  }
  // The function node is named after the op and its num_split attr.
  const std::string suffix = "_num_split_" + std::to_string(num_split);
  // SplitOpBase::ComputeEasyCases (split_op.cc, TF 2.21).
  const int rank = static_cast<int>(x.size());
  if (axis < -rank || axis >= rank) {
    RaiseKind(ErrorKind::kSplitAxis, op, {axis, rank}, suffix);
  }
  const int a = static_cast<int>(axis < 0 ? axis + rank : axis);
  PartialShape part = x;
  if (x[a].known()) {
    const int64_t size = x[a].size();
    if (size % num_split != 0) {
      RaiseKind(ErrorKind::kSplitUneven, op, {a, size, num_split}, suffix);
    }
    part[a] = size / num_split;
  }
  return part;
}

std::vector<PartialShape> InferSplitVShapes(const PartialShape& x,
                                            const std::vector<int64_t>& sizes,
                                            int64_t axis) {
  const std::string op = "SplitV";
  // (TF: [] becomes a float32 tensor, which SplitV's Tlen attr rejects with
  // the op's whole OpDef; not worth its bytes here.)
  if (sizes.empty()) internal::RaiseNotSupported("tf.split into no parts");
  const std::string suffix = "_num_split_" + std::to_string(sizes.size());
  // SplitVOpBase::ComputeEasyCases (split_v_op.cc, TF 2.21), in its order.
  const int rank = static_cast<int>(x.size());
  if (axis < -rank || axis >= rank) {
    RaiseKind(ErrorKind::kSplitAxis, op, {axis, rank}, suffix);
  }
  const int a = static_cast<int>(axis < 0 ? axis + rank : axis);
  const Dim size = x[a];
  if (sizes.size() == 1) {
    if (!size.IsCompatibleWith(sizes[0])) {
      RaiseKind(ErrorKind::kSplitVOneOutput, op, {size.size(), sizes[0]},
                suffix);
    }
    return {x};
  }
  int unknown = -1;
  int64_t determined = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1) {
      if (unknown >= 0) RaiseKind(ErrorKind::kSplitVTwoUnknown, op, {}, suffix);
      unknown = static_cast<int>(i);
    } else {
      determined += sizes[i];  // int32 sizes: no overflow in int64
    }
  }
  std::vector<PartialShape> parts(sizes.size(), x);
  if (!size.known()) {
    // The -1 part's size is unknown too; the others are as given.
    for (size_t i = 0; i < sizes.size(); ++i) parts[i][a] = sizes[i];
    return parts;
  }
  if (!((unknown < 0 && determined == size.size()) ||
        (unknown >= 0 && determined <= size.size()))) {
    RaiseKind(ErrorKind::kSplitVDetermined, op, {determined}, suffix);
  }
  std::vector<int64_t> resolved = sizes;
  if (unknown >= 0) resolved[unknown] = size.size() - determined;
  for (size_t i = 0; i < resolved.size(); ++i) {
    if (resolved[i] < 0) {
      RaiseKind(ErrorKind::kSplitVNegative, op,
                {static_cast<int64_t>(i), resolved[i]}, suffix);
    }
    parts[i][a] = resolved[i];
  }
  return parts;
}

// Mirrors tensorflow/core/util/strided_slice_op.cc (BuildDenseSpec and
// ValidateStridedSliceOp): ellipsis expansion, canonical begin/end with
// clamping for ranges, and "slice index ... out of bounds." for an index.
StridedSliceInference InferStridedSlice(const PartialShape& x,
                                        const std::vector<SliceItem>& items_in,
                                        std::string_view name) {
  const std::string type = "StridedSlice";
  const Shape sx = ToShapeWithUnknowns(x);
  auto raise = [&](ErrorKind kind, std::initializer_list<int64_t> ints) {
    internal::RaiseOp(MakeOpError(kind, type, {sx}, ints), name);
  };
  std::vector<SliceItem> items = items_in;
  int ellipses = 0;
  for (const SliceItem& it : items) {
    if (it.kind == SliceItem::Kind::kEllipsis) ++ellipses;
  }
  if (ellipses > 1) raise(ErrorKind::kSliceMultipleEllipsis, {});
  // A scalar takes only None and ... (TF 2.21 eager).
  if (x.empty()) {
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
  const int64_t dims = static_cast<int64_t>(x.size());
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
  StridedSliceInference r;
  PartialShape& processing = r.processing;
  processing.resize(dims);
  for (int64_t i = 0; i < dims; ++i) {
    const int64_t s = stride[i];
    if (s == 0) raise(ErrorKind::kSliceStrideZero, {i});
    if (!x[i].known()) {
      // An unknown dim gives an unknown size (1 if shrunk), as TF's
      // ValidateStridedSliceOp does for a partial shape.
      processing[i] = shrink[i] ? Dim(1) : Dim::Unknown();
      continue;
    }
    const int64_t dim = x[i].size();
    if (shrink[i]) {
      const int64_t fwd = begin[i] < 0 ? dim + begin[i] : begin[i];
      begin[i] = fwd;
      if (fwd < 0 || fwd >= dim) {
        Error e = MakeOpError(ErrorKind::kSliceOutOfBounds, type, {sx},
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
  for (int64_t g : final_gather) {
    if (g >= 0) {
      r.shape.push_back(processing[g]);
    } else if (g == kNewAxis) {
      r.shape.push_back(1);
    }
  }
  r.begin = std::move(begin);
  r.stride = std::move(stride);
  return r;
}

}  // namespace ap::ops
