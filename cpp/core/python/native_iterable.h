// A native object the Python runtime iterates by asking it for a fresh
// iterator (a tf.data dataset): `for x in obj`, iter(), list() and len().
#pragma once

#include <cstdint>

#include "../run_context.h"
#include "../value.h"

namespace ap::py {

class NativeIterable {
 public:
  virtual ~NativeIterable() = default;
  // iter(obj): a new iterator (an IteratorObject); `self` is obj's Value.
  virtual Value PyIter(RunContext& ctx, const Value& self) const = 0;
  // len(obj); raises the type's TypeError when it has none.
  virtual int64_t PyLength() const = 0;
};

// The interface of `v`, or null.
inline const NativeIterable* AsNativeIterable(const Value& v) {
  return v.kind() == Value::Kind::kObject
             ? dynamic_cast<const NativeIterable*>(v.as_object().get())
             : nullptr;
}

}  // namespace ap::py
