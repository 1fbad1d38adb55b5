// int() and float() of text, scalars and one-element tensors, with CPython's
// error texts; round()'s half-to-even.
#pragma once

#include <cstdint>
#include <optional>

#include "../value.h"

namespace ap::py {

// A one-element tensor as a Python number (int(t), float(t), round(t)); any
// other value unchanged.
Value ScalarOf(const Value& v);
// int(raw) or int(raw, base).
Value ToInt(const Value& raw, std::optional<int64_t> base);
// float(raw).
Value ToFloat(const Value& raw);
// Python's round(): halves go to the even neighbour.
double RoundHalfEven(double x);

}  // namespace ap::py
