// Shape inference: each op's output shape from its operands' shapes and its
// static attributes, separate from the compute (ONNX's split of an op into
// inference + kernel; TF's REGISTER_OP(...).SetShapeFn). The shapes may have
// unknown dims (partial_shape.h), as symbolic tensors do.
//
// Each function raises the same structured Error as its op when the known
// dims already break the op's rule, and does not raise when an unknown dim
// could still make it valid; error shapes carry unknown dims as -1, printed
// "?" like TF's PartialTensorShape. Dtype checks stay in the ops (TF's eager
// executor makes them before the shape checks). The op is then: its dtype
// checks, inference on the concrete shapes, allocate, kernel.
//
// Range and SequenceMask keep their shape rules in the op: their shapes come
// from the values of their operands (start, limit, delta; the lengths), not
// from shapes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "../partial_shape.h"
#include "ops.h"

namespace ap::ops {

// Numpy broadcasting (BroadcastPartialShapes); kIncompatibleShapes.
PartialShape InferBinaryShape(BinaryOp op, const PartialShape& x,
                              const PartialShape& y,
                              std::string_view name = "");

// SelectV2 (tf.where with x and y): cond, x and y broadcast together.
PartialShape InferWhereShape(const PartialShape& cond, const PartialShape& x,
                             const PartialShape& y);

// tf.matmul: MatMul (both rank 2) or BatchMatMulV2 (broadcast batch dims).
PartialShape InferMatMulShape(const PartialShape& a, const PartialShape& b,
                              bool transpose_a = false,
                              bool transpose_b = false);

// tf.nn.softmax: the logits' shape.
PartialShape InferSoftmaxShape(const PartialShape& logits, int axis = -1);

// Elementwise unary ops (Neg, Exp, Relu, ...) and Cast: the operand's shape;
// they have no shape error.
PartialShape InferUnaryShape(const PartialShape& x);

// x == y and x != y as Python operators (incompatible_shape_error=false):
// the broadcast shape, or a scalar when the known dims cannot broadcast.
PartialShape InferEqualityShape(const PartialShape& x, const PartialShape& y);

// Fill, Eye and the random ops: the shape they are asked for, with
// MakeShapeHelper's errors (a negative dim, too many dims, too many
// elements) naming `op`.
PartialShape InferMakeShape(const Shape& dims, std::string_view op);

// The attention forward pass (ops::DotAttention) as its three ops infer it:
// MatMul(q, k) with k transposed, Softmax, MatMul(weights, v).
struct DotAttentionInference {
  PartialShape scores, output;
};
DotAttentionInference InferDotAttentionShapes(const PartialShape& q,
                                              const PartialShape& k,
                                              const PartialShape& v,
                                              bool transpose_k);

// Keras' Conv1D as TF runs it (Conv2D): x (batch, steps, channels) by a
// kernel (width, channels, filters) -> (batch, out_steps, filters); and
// MaxPool / AvgPool of (batch, steps, channels). The ops refuse what they do
// not model before inference runs.
PartialShape InferConv1DShape(const PartialShape& x, const PartialShape& kernel,
                              int64_t stride, int64_t dilation,
                              bool same_padding);
PartialShape InferPool1DShape(const PartialShape& x, int64_t window,
                              int64_t stride, bool same_padding);

// tf.reduce_*: the output shape and which input axes are reduced.
struct ReduceInference {
  PartialShape shape;
  std::vector<uint8_t> reduced;  // per input axis, 1 if reduced
};
ReduceInference InferReduceShape(ReduceOp op, const PartialShape& x,
                                 const std::optional<std::vector<int>>& axes,
                                 bool keepdims);

// Cumsum: the input's shape. ArgMax: the axis removed; an unknown size
// along it could be 0, so only a known 0 raises.
PartialShape InferCumSumShape(const PartialShape& x, int axis);
PartialShape InferArgMaxShape(const PartialShape& x, int axis);

// ConcatV2 (tf.concat of one tensor is an identity: its shape, unchecked).
// The sizes along `axis` add up; an unknown one makes the total unknown.
PartialShape InferConcatShape(const std::vector<PartialShape>& values,
                              int64_t axis);
// Pack: every input the same shape (unknown dims merge with known ones).
// Its dtype check sits between the axis and the shape checks, so it is here.
PartialShape InferStackShape(const std::vector<PartialShape>& values,
                             const std::vector<DType>& dtypes, int64_t axis);
PartialShape InferExpandDimsShape(const PartialShape& x, int64_t axis);
// axes empty: removes every dim known to be 1 (an unknown dim stays, as
// Keras 3's ops.squeeze infers; TF's graph shape function would give an
// unknown rank, which is not modelled).
PartialShape InferSqueezeShape(const PartialShape& x,
                               const std::vector<int64_t>& axes);
// One requested size may be -1: inferred when the input's size is known.
PartialShape InferReshapeShape(const PartialShape& x,
                               const std::vector<int64_t>& sizes);
// perm nullopt: reversed. The returned perm has negative entries wrapped.
struct TransposeInference {
  PartialShape shape;
  std::vector<int64_t> perm;
};
TransposeInference InferTransposeShape(
    const PartialShape& x, const std::optional<std::vector<int64_t>>& perm);
// An overflowing product saturates at int64 max (the allocation then fails).
PartialShape InferTileShape(const PartialShape& x,
                            const std::vector<int64_t>& multiples);

// Pad/PadV2 (`type`): paddings is int32 [rank, 2]; `paddings_values` its
// elements row-major (before, after per dim). A known dim grows by both.
PartialShape InferPadShape(const PartialShape& x,
                           const PartialShape& paddings_shape,
                           const std::vector<int64_t>& paddings_values,
                           std::string_view type);
// MatrixBandPart: the input's shape (num_lower/num_upper within its known
// rows/cols).
PartialShape InferBandPartShape(const PartialShape& x, int64_t num_lower,
                                int64_t num_upper);
// GatherV2 (batch_dims 0): params[:axis] + indices + params[axis+1:]. The
// index range is a property of the values, checked by the kernel.
PartialShape InferGatherShape(const PartialShape& params,
                              const PartialShape& indices, int64_t axis);
// Split into num_split equal parts (the shape of each) / SplitV into `sizes`
// (one may be -1; the shape of every part).
PartialShape InferSplitShape(const PartialShape& x, int64_t num_split,
                             int64_t axis);
std::vector<PartialShape> InferSplitVShapes(const PartialShape& x,
                                            const std::vector<int64_t>& sizes,
                                            int64_t axis);

// StridedSlice (a Python subscript): the output shape, and per input axis
// the slice's size, canonical begin and stride (for the copy; begin is
// meaningful on known dims only). `name` as ops::StridedSlice.
struct StridedSliceInference {
  PartialShape shape;
  PartialShape processing;
  std::vector<int64_t> begin, stride;
};
StridedSliceInference InferStridedSlice(const PartialShape& x,
                                        const std::vector<SliceItem>& items,
                                        std::string_view name);

// The concrete shape inferred from concrete operands (every dim known).
Shape Concrete(const PartialShape& shape);

}  // namespace ap::ops
