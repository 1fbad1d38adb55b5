// Shapes and the dimension arithmetic every op shares.
//
// Vocabulary used across the project (C++, JSON, UI): batch, Tq (query steps),
// Tv (value/key steps), dim (features), num_heads, key_dim, value_dim.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ap {

// A tensor's concrete shape (TF's TensorShape). Dims that may be unknown:
// ap::Dim and ap::PartialShape (partial_shape.h).
using Shape = std::vector<int64_t>;

// Product of dims, or nullopt on int64 overflow (absurd shapes must not wrap).
std::optional<int64_t> CheckedNumElements(const Shape& shape);
std::optional<int64_t> CheckedMultiply(int64_t a, int64_t b);

// TensorShape::DebugString(): "[32,2]", scalar "[]"; a negative dim (an
// unknown one in an inferred shape, see partial_shape.h) prints as "?".
std::string ShapeToTfString(const Shape& shape);

// Python tuple repr used by Keras and tensor.shape: "(1, 32, 2)", "(5,)", "()".
std::string ShapeToPyString(const Shape& shape);

// Python list repr used in some Keras messages: "[1, 32, 2]".
std::string ShapeToPyListString(const Shape& shape);

// Numpy broadcasting (right-aligned; each pair equal or one of them 1).
// Returns nullopt if incompatible; `failing_axis` (in the broadcast result's
// coordinates) is set for the first incompatible pair from the right.
std::optional<Shape> BroadcastShapes(const Shape& a, const Shape& b,
                                     int* failing_axis = nullptr);

// Row-major strides in elements.
std::vector<int64_t> RowMajorStrides(const Shape& shape);

}  // namespace ap
