#include "shape.h"

#include <algorithm>
#include <limits>

namespace ap {

std::optional<int64_t> CheckedMultiply(int64_t a, int64_t b) {
  if (a < 0 || b < 0) return std::nullopt;
  if (a == 0 || b == 0) return 0;
  if (a > std::numeric_limits<int64_t>::max() / b) return std::nullopt;
  return a * b;
}

std::optional<int64_t> CheckedNumElements(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    auto next = CheckedMultiply(n, d);
    if (!next) return std::nullopt;
    n = *next;
  }
  return n;
}

static std::string JoinDims(const Shape& shape, const char* sep) {
  std::string out;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += sep;
    out += std::to_string(shape[i]);
  }
  return out;
}

std::string ShapeToTfString(const Shape& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ",";
    out += shape[i] < 0 ? "?" : std::to_string(shape[i]);
  }
  return out + "]";
}

// Python's spelling: an unknown dim (-1, see partial_shape.h) is None.
static std::string JoinPyDims(const Shape& shape) {
  std::string out;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ", ";
    out += shape[i] < 0 ? "None" : std::to_string(shape[i]);
  }
  return out;
}

std::string ShapeToPyString(const Shape& shape) {
  if (shape.size() == 1) return "(" + JoinPyDims(shape) + ",)";
  return "(" + JoinPyDims(shape) + ")";
}

std::string ShapeToPyListString(const Shape& shape) {
  return "[" + JoinPyDims(shape) + "]";
}

std::optional<Shape> BroadcastShapes(const Shape& a, const Shape& b,
                                     int* failing_axis) {
  const size_t rank = std::max(a.size(), b.size());
  Shape out(rank, 1);
  // Walk from the right so the reported axis is the first mismatch numpy sees.
  for (size_t i = 0; i < rank; ++i) {
    const size_t out_axis = rank - 1 - i;
    const int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    const int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da == db || db == 1) {
      out[out_axis] = da;
    } else if (da == 1) {
      out[out_axis] = db;
    } else {
      if (failing_axis) *failing_axis = static_cast<int>(out_axis);
      return std::nullopt;
    }
  }
  return out;
}

std::vector<int64_t> RowMajorStrides(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i) {
    strides[i] = strides[i + 1] * shape[i + 1];
  }
  return strides;
}

}  // namespace ap
