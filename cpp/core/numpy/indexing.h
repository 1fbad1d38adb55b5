// numpy indexing on ndarrays: x[index] and x[index] = value.
#pragma once

#include "../value.h"

namespace ap::np {

// x[index]: basic indexing (ints, slices, None, ...), or one int list / int
// or bool array; numpy's IndexError texts.
Value Subscript(const Value& x, const Value& index);

// x[index] = value: basic indexing, or a bool mask with a scalar value.
// The array object gets a new tensor (every name bound to it sees it).
void SetItem(const Value& x, const Value& index, const Value& value);

}  // namespace ap::np
