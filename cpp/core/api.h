// The one entry point the command line and the WASM binding share: run a
// program and get a JSON document back. Never throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "error.h"
#include "tensor.h"

namespace ap {

struct RunOptions {
  Profile profile = Profile::kKeras3;
  uint64_t seed = 0;           // tf.random.* and weight initialisers
  ResourceLimits limits;       // per tensor and live total
  int64_t max_steps = 100000;  // statements + calls executed per run
};

// The attn-run --json document (issue 3):
// {"ok", "profile", "error", "variables", "stdout", "steps", ...}.
std::string RunProgramToJson(std::string_view source, const RunOptions& options);

}  // namespace ap
