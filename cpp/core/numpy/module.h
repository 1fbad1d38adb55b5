// The `numpy` module a program imports: array creation, shape functions,
// math, reductions and numpy.random, with NumPy 2.4's dtypes and texts.
#pragma once

#include "../value.h"

namespace ap::np {

// The module object (built on the first import of a run that uses numpy,
// so programs without numpy never run this code).
Value NumpyModule();

}  // namespace ap::np
