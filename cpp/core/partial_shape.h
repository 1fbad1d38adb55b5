// Shapes whose dimensions may be unknown, for shape inference.
//
// Names follow TensorFlow's split (tensorflow/core/framework/tensor_shape.h,
// TF 2.21): a tensor that exists has a concrete `Shape` (TensorShape: int64
// sizes, shape.h); inference and symbolic tensors (keras.Input with None
// dims) work on a `PartialShape` (PartialTensorShape) of `Dim`s, each a size
// or unknown (Python's None, TF's "?"). The rank is always known: Keras
// symbolic tensors have one, so unknown rank is not modelled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shape.h"

namespace ap {

// One dimension: a size >= 0, or unknown. Unknown is stored as -1, the value
// TF's PartialTensorShape uses, so error shapes (ap::Shape) can carry it
// (ShapeToTfString prints it as "?").
class Dim {
 public:
  static constexpr int64_t kUnknownSize = -1;

  constexpr Dim() = default;  // unknown
  // Implicit so that PartialShape{Dim(), 32, 2} reads like (None, 32, 2).
  // A negative size (TF's -1) is unknown.
  constexpr Dim(int64_t size)
      : size_(size < 0 ? kUnknownSize : size) {}  // NOLINT
  static constexpr Dim Unknown() { return Dim(); }

  constexpr bool known() const { return size_ != kUnknownSize; }
  // The size; only meaningful when known().
  constexpr int64_t size() const { return size_; }
  // The size, or kUnknownSize.
  constexpr int64_t size_or_unknown() const { return size_; }
  constexpr bool Is(int64_t size) const { return known() && size_ == size; }
  // Could both be the same size (an unknown dim is compatible with anything).
  constexpr bool IsCompatibleWith(Dim other) const {
    return !known() || !other.known() || size_ == other.size_;
  }

  // Structural equality: unknown == unknown (unlike Python's Dimension, whose
  // == answers None); inference rules use IsCompatibleWith.
  friend constexpr bool operator==(Dim a, Dim b) { return a.size_ == b.size_; }
  friend constexpr bool operator!=(Dim a, Dim b) { return a.size_ != b.size_; }

 private:
  int64_t size_ = kUnknownSize;
};

using PartialShape = std::vector<Dim>;

PartialShape ToPartialShape(const Shape& shape);
bool IsFullyDefined(const PartialShape& shape);
// The concrete shape, or nullopt if a dim is unknown.
std::optional<Shape> ToShape(const PartialShape& shape);
// Unknown dims as -1 (TF's encoding): for Error::shapes.
Shape ToShapeWithUnknowns(const PartialShape& shape);

// "[?,32,2]" (PartialTensorShape::DebugString), "(None, 32, 2)" (Python's
// TensorShape repr in Keras 3 and tensor.shape).
std::string PartialShapeToTfString(const PartialShape& shape);
// A graph tensor's shape as TensorFlow's C++ prints it: [?,5].
std::string PartialShapeToGraphString(const PartialShape& shape);
std::string PartialShapeToPyString(const PartialShape& shape);

// Broadcasting with unknown dims, as
// tensorflow/python/framework/common_shapes.py broadcast_shape (TF 2.21):
// per pair, 1 vs d -> d, unknown vs 1 -> unknown, unknown vs n > 1 -> n,
// unknown vs unknown -> unknown, equal -> it, n vs m (both > 1) -> error.
// Returns nullopt if incompatible; `failing_axis` as BroadcastShapes.
// On concrete shapes the same as BroadcastShapes.
std::optional<PartialShape> BroadcastPartialShapes(const PartialShape& a,
                                                   const PartialShape& b,
                                                   int* failing_axis = nullptr);

}  // namespace ap
