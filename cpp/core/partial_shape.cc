#include "partial_shape.h"

#include <algorithm>

namespace ap {

PartialShape ToPartialShape(const Shape& shape) {
  return PartialShape(shape.begin(), shape.end());
}

bool IsFullyDefined(const PartialShape& shape) {
  return std::all_of(shape.begin(), shape.end(),
                     [](Dim d) { return d.known(); });
}

std::optional<Shape> ToShape(const PartialShape& shape) {
  if (!IsFullyDefined(shape)) return std::nullopt;
  return ToShapeWithUnknowns(shape);
}

Shape ToShapeWithUnknowns(const PartialShape& shape) {
  Shape out;
  out.reserve(shape.size());
  for (Dim d : shape) out.push_back(d.size_or_unknown());
  return out;
}

std::string PartialShapeToGraphString(const PartialShape& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ",";
    out += shape[i].known() ? std::to_string(shape[i].size()) : "?";
  }
  return out + "]";
}

std::string PartialShapeToTfString(const PartialShape& shape) {
  return ShapeToTfString(ToShapeWithUnknowns(shape));
}

std::string PartialShapeToPyString(const PartialShape& shape) {
  auto dim = [](Dim d) {
    return d.known() ? std::to_string(d.size()) : std::string("None");
  };
  if (shape.size() == 1) return "(" + dim(shape[0]) + ",)";
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ", ";
    out += dim(shape[i]);
  }
  return out + ")";
}

std::optional<PartialShape> BroadcastPartialShapes(const PartialShape& a,
                                                   const PartialShape& b,
                                                   int* failing_axis) {
  const size_t rank = std::max(a.size(), b.size());
  PartialShape out(rank, Dim(1));
  // From the right, like BroadcastShapes, so the reported axis agrees.
  for (size_t i = 0; i < rank; ++i) {
    const size_t out_axis = rank - 1 - i;
    const Dim da = i < a.size() ? a[a.size() - 1 - i] : Dim(1);
    const Dim db = i < b.size() ? b[b.size() - 1 - i] : Dim(1);
    if (da.Is(1)) {
      out[out_axis] = db;
    } else if (db.Is(1)) {
      out[out_axis] = da;
    } else if (!da.known()) {
      out[out_axis] = db;  // unknown vs n > 1 -> n; unknown vs unknown
    } else if (!db.known() || da == db) {
      out[out_axis] = da;
    } else {
      if (failing_axis) *failing_axis = static_cast<int>(out_axis);
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace ap
