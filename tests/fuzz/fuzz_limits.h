// The small limits the fuzz targets run programs under: small enough that
// one input takes milliseconds under ASan, large enough that every limit is
// reachable (so the fuzzer also exercises each limit's error path).
#pragma once

#include "core/api.h"

namespace ap::fuzz {

inline RunOptions SmallRunOptions() {
  RunOptions o;
  o.max_steps = 2000;
  o.limits.max_tensor_elements = int64_t{1} << 16;
  o.limits.max_total_bytes = int64_t{4} << 20;
  o.limits.max_compute = int64_t{1} << 24;
  o.run_limits.max_source_bytes = 64 << 10;
  o.run_limits.max_literal_chars = 4096;
  o.run_limits.max_sequence_length = 100000;
  o.run_limits.max_work = 2000000;
  o.run_limits.max_stdout_bytes = 64 << 10;
  o.run_limits.max_recorded_steps = 200;
  return o;
}

}  // namespace ap::fuzz
