// Resource limits of one program run. Every limit fails cleanly with a
// LimitError (or a SyntaxError for the parser's), never a crash or a hang.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ap::py {

struct RunLimits {
  int64_t max_steps = 100000;         // statements + loop iterations + calls
  int max_call_depth = 100;           // nested def calls (RecursionError)
  size_t max_source_bytes = 1 << 20;  // program text
  int max_nesting = 100;              // brackets, blocks, unary operators
  size_t max_literal_chars = 100000;  // one string or number literal
  // Items of a list/str built at run time. 2 Mi: a Value is 152 bytes
  // natively (about 80 in WASM), so one list stays within ~300 MB, beside the
  // 256 MiB tensor budget, under the WASM module's 1 GB maximum.
  int64_t max_sequence_length = 2000000;
  int64_t max_work = 50000000;  // element visits in copies, searches, joins
  size_t max_stdout_bytes = 1 << 20;  // text printed
  size_t max_recorded_steps = 5000;   // trace steps kept (the rest: truncated)
};

}  // namespace ap::py
