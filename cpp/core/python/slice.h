// The objects a subscript builds that a framework reads back: Python's
// slice `start:stop:step` and `...`.
#pragma once

#include <string>

#include "../value.h"

namespace ap::py {

// A Python slice object `start:stop:step` (each None or int).
class SliceObject : public Object {
 public:
  SliceObject(Value start, Value stop, Value step)
      : start(std::move(start)), stop(std::move(stop)), step(std::move(step)) {}
  std::string TypeName() const override { return "slice"; }
  std::string Repr() const override;
  Value start, stop, step;
};

// Python's `...`.
class EllipsisObject : public Object {
 public:
  std::string TypeName() const override { return "ellipsis"; }
  std::string Repr() const override { return "Ellipsis"; }
};

}  // namespace ap::py
