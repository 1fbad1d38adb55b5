// String formatting: format specs (f-strings, format(), str.format) and the
// printf-style `%` operator, with CPython's results for ints, floats and
// strings.
#pragma once

#include <string>

#include "../run_context.h"
#include "../value.h"

namespace ap::py {

// format(v, spec), as f-strings use it.
std::string FormatValue(RunContext& ctx, const Value& v,
                        const std::string& spec);
// "fmt" % args.
std::string PercentFormat(RunContext& ctx, const std::string& fmt,
                          const Value& args);

}  // namespace ap::py
