#include "slice.h"

#include "../repr.h"

namespace ap::py {

std::string SliceObject::Repr() const {
  return "slice(" + ap::Repr(start) + ", " + ap::Repr(stop) + ", " +
         ap::Repr(step) + ")";
}

}  // namespace ap::py
