// Runs a learner's program and records what happened, statement by
// statement: the uncaught error (with its line and column), the errors
// `except` caught, stdout, the globals at the end and a step trace with the
// names each statement bound and the layer/op calls it made. Never throws.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../python/run_limits.h"
#include "../run_context.h"
#include "../value.h"
#include "run_result.h"

namespace ap {

// `predefined` globals exist before the first statement (embedding, tests);
// they are reported among the globals like any other binding.
RunResult RunProgram(
    std::string_view source, RunContext& ctx, const py::RunLimits& limits = {},
    const std::vector<std::pair<std::string, Value>>& predefined = {});

}  // namespace ap
