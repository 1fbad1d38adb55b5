// A value's text as a program sees it (str(), repr(), with a size limit),
// UTF-8 code points, and the TypeError/ValueError every Python file raises.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../value.h"

namespace ap::py {

[[noreturn]] void RaiseTypeError(std::string text);
[[noreturn]] void RaiseValueError(std::string text);

// str(v) and repr(v); LimitError past 64 Mi characters.
std::string PyStr(const Value& v);
std::string PyRepr(const Value& v);

// Code points of a UTF-8 string (one std::string each).
std::vector<std::string> Utf8Chars(const std::string& s);
int64_t Utf8Length(const std::string& s);

}  // namespace ap::py
