#include "internal.h"

#include <algorithm>
#include <cstring>

namespace ap::ops::internal {

std::vector<int64_t> BroadcastStrides(const Shape& in, const Shape& out) {
  const size_t rank = out.size();
  std::vector<int64_t> strides(rank, 0);
  const std::vector<int64_t> own = RowMajorStrides(in);
  const size_t offset = rank - in.size();
  for (size_t i = 0; i < in.size(); ++i) {
    strides[offset + i] = in[i] == 1 ? 0 : own[i];
  }
  return strides;
}

int BCastCollapsedRank(const std::vector<Shape>& shapes) {
  // Mirrors tensorflow/core/util/bcast.h (BCastList constructor with
  // fewer_dims_optimization): walk from the innermost axis, skip axes where
  // every operand is 1, and start a new group whenever the pattern of
  // "operand is 1" changes.
  size_t rank = 0;
  for (const Shape& s : shapes) rank = std::max(rank, s.size());
  std::vector<bool> prev(shapes.size(), false), cur(shapes.size(), false);
  bool have_group = false;
  int groups = 0;
  for (size_t j = 0; j < rank; ++j) {
    bool any_not_one = false;
    for (size_t i = 0; i < shapes.size(); ++i) {
      const Shape& s = shapes[i];
      const int64_t d = j < s.size() ? s[s.size() - 1 - j] : 1;
      cur[i] = d == 1;
      if (d != 1) any_not_one = true;
    }
    if (!any_not_one) continue;
    if (!have_group || cur != prev) ++groups;
    have_group = true;
    prev = cur;
  }
  return std::max(groups, 1);
}

void RaiseDTypeMismatch(std::string_view op, int index, DType expected,
                        DType got, std::string_view name) {
  Error e =
      MakeOpError(ErrorKind::kDTypeMismatch, std::string(op), {}, {index});
  e.dtypes = {expected, got};
  // tensorflow/core/common_runtime/eager/execute.cc
  // (ValidateInputTypeAndPlacement) raises this before the kernel runs: no
  // {{function_node ...}} prefix, but the Python layer still appends "
  // [Op:<op>] name: <name>".
  e.eager_envelope = false;
  e.op_name = std::string(name);
  Raise(std::move(e));
}

void RaiseOp(Error e, std::string_view name) {
  e.op_name = std::string(name);
  Raise(std::move(e));
}

void ValidateMakeShape(const Shape& shape, std::string_view op) {
  // tensorflow/core/framework/tensor_shape.cc MakeShapeHelper.
  if (shape.size() > 254) {
    RaiseOpError(ErrorKind::kTooManyDimensions, std::string(op), {});
  }
  // One pass in order: the first negative dim or the first overflow wins.
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) {
      RaiseOpError(ErrorKind::kNegativeDimension, std::string(op), {}, {d});
    }
    const auto next = CheckedMultiply(n, d);
    if (!next) {
      RaiseOpError(ErrorKind::kShapeTooLarge, std::string(op), {shape});
    }
    n = *next;
  }
}

Tensor CopyOf(const Tensor& src, Shape shape, std::string_view op) {
  Tensor out = Tensor::Zeros(src.dtype(), std::move(shape), op);
  const int64_t bytes = src.num_elements() * DTypeSize(src.dtype());
  // b8() is the start of any tensor's buffer, as bytes.
  if (bytes > 0) std::memcpy(out.b8(), src.b8(), bytes);
  return out;
}

}  // namespace ap::ops::internal
