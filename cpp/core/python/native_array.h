// A native array-like object (numpy's ndarray and scalars) as the Python
// runtime sees it: len(), iteration, item assignment, conversion to a
// Python number (int(x), float(x), format specs) and its class's module.
// The runtime asks it through this interface instead of knowing its type.
#pragma once

#include <cstdint>
#include <string>

#include "../value.h"

namespace ap::py {

class NativeArrayLike {
 public:
  virtual ~NativeArrayLike() = default;
  // Whether iter(x) works (a numpy scalar has no iter).
  virtual bool PyIterable() const { return true; }
  // len(x); raises the type's TypeError when it has none.
  virtual int64_t PyLength() const = 0;
  // x[index] = value; `self` is the object's Value.
  virtual void PySetItem(const Value& self, const Value& index,
                         const Value& value) = 0;
  // The Python int/float/bool of a one-element value (int(x), float(x));
  // raises the type's TypeError otherwise.
  virtual Value PyScalar() const = 0;
  // Whether format(x, spec) formats that scalar (a numpy scalar or a 0-d
  // array) rather than refusing a non-empty spec.
  virtual bool PyFormatsAsScalar() const = 0;
  // The module type(x) names ("numpy").
  virtual std::string PyModule() const = 0;
};

// The interface of `v`, or null.
inline NativeArrayLike* AsNativeArrayLike(const Value& v) {
  return v.kind() == Value::Kind::kObject
             ? dynamic_cast<NativeArrayLike*>(v.as_object().get())
             : nullptr;
}

}  // namespace ap::py
