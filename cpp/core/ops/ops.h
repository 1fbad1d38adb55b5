// TensorFlow ops with TensorFlow's shape rules and error texts
// (docs/spec/keras-semantics.md §4).
//
// Every function allocates through Tensor::Zeros or Tensor::Uninitialized
// (outputs written in full; either way the memory budget is checked first) and
// raises ErrorException with a structured Error whose `op` is the TF op type
// that would have failed ("AddV2", "BatchMatMulV2"). Dtype rules are TF's:
// binary ops need equal dtypes (the caller converts Python scalars first);
// there is no implicit promotion here.
//
// Each op is its shape inference (shape_inference.h: the shape checks and
// the output shape, also on shapes with unknown dims) followed by its kernel.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../random.h"
#include "../tensor.h"

namespace ap::ops {

// ---- Elementwise ----------------------------------------------------------

enum class BinaryOp {
  kAdd,                // AddV2
  kSub,                // Sub
  kMul,                // Mul
  kDiv,                // RealDiv (float only)
  kFloorDiv,           // FloorDiv
  kFloorMod,           // FloorMod
  kPow,                // Pow
  kMaximum,            // Maximum
  kMinimum,            // Minimum
  kSquaredDifference,  // SquaredDifference
  kEqual,              // Equal        -> bool
  kNotEqual,           // NotEqual     -> bool
  kLess,               // Less         -> bool
  kLessEqual,          // LessEqual    -> bool
  kGreater,            // Greater      -> bool
  kGreaterEqual,       // GreaterEqual -> bool
  kLogicalAnd,         // LogicalAnd (bool only)
  kLogicalOr,          // LogicalOr  (bool only)
};
std::string_view BinaryOpType(BinaryOp op);

// Numpy broadcasting. `name` is what follows " name: " in the message.
Tensor Binary(BinaryOp op, const Tensor& x, const Tensor& y,
              std::string_view name = "");

// Python `==` / `!=` on tensors (Tensor.__eq__): Equal/NotEqual with
// incompatible_shape_error=False, so shapes that do not broadcast give a
// scalar False (==) or True (!=) instead of an error.
Tensor EqualityOperator(const Tensor& x, const Tensor& y, bool not_equal);

enum class UnaryOp {
  kNeg,         // Neg
  kAbs,         // Abs
  kSquare,      // Square
  kSqrt,        // Sqrt
  kRsqrt,       // Rsqrt
  kExp,         // Exp
  kLog,         // Log
  kTanh,        // Tanh
  kSin,         // Sin
  kCos,         // Cos
  kErfc,        // Erfc
  kSigmoid,     // Sigmoid
  kRelu,        // Relu
  kLogicalNot,  // LogicalNot (bool only)
};
std::string_view UnaryOpType(UnaryOp op);
Tensor Unary(UnaryOp op, const Tensor& x);

Tensor Cast(const Tensor& x, DType dtype);

// SelectV2: cond (bool), x and y broadcast together.
Tensor Where(const Tensor& cond, const Tensor& x, const Tensor& y);

// ---- Linear algebra ------------------------------------------------------

// tf.matmul: MatMul when both are rank 2, otherwise BatchMatMulV2 with
// broadcast batch dims. Error shapes are the untransposed operands.
Tensor MatMul(const Tensor& a, const Tensor& b, bool transpose_a = false,
              bool transpose_b = false);

// ---- Activations and reductions -------------------------------------------

// tf.nn.softmax along `axis` (negative counts from the end).
Tensor Softmax(const Tensor& logits, int axis = -1);

// Dot-product attention as three ops: scores = MatMul(q, k, false,
// transpose_k), weights = Softmax(scores, -1), output = MatMul(weights, v).
// The same values, errors and budget charges as calling them in sequence;
// for float32 operands of equal rank and equal batch dims the three run
// fused block by block of query rows (kernels::AttentionForward), which keeps
// each block's scores and weights in cache.
struct AttentionTensors {
  Tensor scores, weights, output;
};
AttentionTensors DotAttention(const Tensor& q, const Tensor& k, const Tensor& v,
                              bool transpose_k);
// Whether DotAttention takes the fused path for these operands (then none of
// the three ops can fail on shapes or dtypes; only the budget can).
bool DotAttentionFuses(const Tensor& q, const Tensor& k, const Tensor& v,
                       bool transpose_k);

enum class ReduceOp { kSum, kMean, kMax, kMin, kProd, kAny, kAll };
std::string_view ReduceOpType(ReduceOp op);  // "Sum", "Mean", ...
// axes: nullopt reduces everything. Negative axes count from the end.
Tensor Reduce(ReduceOp op, const Tensor& x,
              const std::optional<std::vector<int>>& axes, bool keepdims);

Tensor CumSum(const Tensor& x, int axis);
// output_type int32 (keras.ops.argmax's) or int64 (tf.argmax's default).
Tensor ArgMax(const Tensor& x, int axis, DType output_type = DType::kInt32);

// Channels-last 1-D windows (conv.cc, pool.cc), float32 only (MaxPool also
// int32): x (batch, steps, channels). ConvOutputSize is the output steps
// (0 when VALID leaves none).
int64_t ConvOutputSize(int64_t steps, int64_t window, int64_t stride,
                       int64_t dilation, bool same_padding);
// Conv2D's kernel: kernel (width, channels, filters).
Tensor Conv1D(const Tensor& x, const Tensor& kernel, int64_t stride,
              int64_t dilation, bool same_padding);
Tensor Pool1D(const Tensor& x, int64_t window, int64_t stride,
              bool same_padding, bool max);

// ---- Shape manipulation -------------------------------------------------

// paddings: int32 [rank, 2]; mode CONSTANT.
Tensor Pad(const Tensor& x, const Tensor& paddings, double constant = 0);
Tensor ExpandDims(const Tensor& x, int64_t axis);
// axes empty: remove every dim of size 1.
Tensor Squeeze(const Tensor& x, const std::vector<int64_t>& axes);
// One entry may be -1.
Tensor Reshape(const Tensor& x, const std::vector<int64_t>& shape);
// perm nullopt: reverse the dims.
Tensor Transpose(const Tensor& x,
                 const std::optional<std::vector<int64_t>>& perm);
Tensor Concat(const std::vector<Tensor>& values, int64_t axis);  // ConcatV2
Tensor Stack(const std::vector<Tensor>& values, int64_t axis);   // Pack
Tensor Tile(const Tensor& x, const std::vector<int64_t>& multiples);

// One entry of a Python subscript: x[1], x[1:5:2], x[None], x[...].
struct SliceItem {
  enum class Kind { kIndex, kRange, kNewAxis, kEllipsis };
  Kind kind = Kind::kIndex;
  int64_t index = 0;                         // kIndex
  std::optional<int64_t> start, stop, step;  // kRange
};
// StridedSlice semantics (out-of-range index raises, ranges clamp).
// `name` is what eager shows after " name: ": Python's _slice_helper opens
// name_scope("strided_slice") with skip_on_eager=False, so at top level it
// is "strided_slice/" (inside an outer scope "outer/strided_slice/").
Tensor StridedSlice(const Tensor& x, const std::vector<SliceItem>& items,
                    std::string_view name = "strided_slice/");

// ---- Creation ---------------------------------------------------------

Tensor Fill(const Shape& shape, double value, DType dtype);
// tf.fill(dims, value) with a tensor value: its first element, its dtype
// (exact for int64 values beyond 2**53).
Tensor Fill(const Shape& shape, const Tensor& value);
Tensor Range(double start, double limit, double delta, DType dtype);
// lengths: int32 of any shape -> bool lengths.shape + [maxlen]. maxlen
// defaults to max(lengths).
Tensor SequenceMask(const Tensor& lengths, std::optional<int64_t> maxlen);
Tensor RandomNormal(const Shape& shape, double mean, double stddev, Random& rng,
                    DType dtype = DType::kFloat32);
Tensor RandomUniform(const Shape& shape, double minval, double maxval,
                     DType dtype, Random& rng);

// ---- Gather / split / band ops (extra_ops.cc) ------------------------------

// tf.eye: (batch..., rows, cols) with ones on the main diagonal.
Tensor Eye(int64_t rows, int64_t cols, const Shape& batch, DType dtype);
// MatrixBandPart: keeps (i, j) with (lower < 0 || i - j <= lower) and
// (upper < 0 || j - i <= upper) in the last two axes.
Tensor BandPart(const Tensor& x, int64_t num_lower, int64_t num_upper);
// GatherV2 with batch_dims = 0: params.shape[:axis] + indices.shape +
// params.shape[axis+1:]. indices: int32.
Tensor Gather(const Tensor& params, const Tensor& indices, int64_t axis);
// Split (equal parts) / SplitV (sizes; at most one -1).
std::vector<Tensor> Split(const Tensor& x, int64_t num_split, int64_t axis);
std::vector<Tensor> SplitV(const Tensor& x, const std::vector<int64_t>& sizes,
                           int64_t axis);

}  // namespace ap::ops
