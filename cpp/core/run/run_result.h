// What a program run produced: its uncaught and caught errors, stdout, the
// globals at the end and the step trace. Filled by RunProgram (run.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../error.h"
#include "../run_context.h"
#include "../value.h"

namespace ap {

struct RunError {
  Error error;
  // The Python class: "InvalidArgumentError", "ValueError", "Exception",
  // "UnboundLocalError", "SyntaxError", "NotSupportedError", "LimitError".
  // (error.cls is the nearest ErrorClass; classes without one, such as a
  // program's `raise Exception(...)`, report kRuntimeError there.)
  std::string python_class;
  int line = 0;    // the raising statement (or syntax error position)
  int column = 0;  // 1-based
};

struct StepRecord {
  int line = 0, end_line = 0;
  std::vector<std::pair<std::string, Value>> bound;  // names it bound
  std::vector<CallEvent> calls;                      // ctx.Emit events
  std::string stdout_text;                           // printed during it
  std::optional<RunError> error;                     // if it raised
  bool error_caught = false;  // the error was caught by an `except`
  // Bound tensors the trace released under memory pressure, by index into
  // `bound` (whose Value is then None; null or past the end where nothing
  // was released): the document shows these digests.
  std::vector<std::shared_ptr<const ReleasedTensor>> released;
};

struct RunResult {
  bool ok = true;
  std::optional<RunError> error;  // uncaught
  std::vector<RunError> caught;   // caught by `except`, in order
  std::string stdout_text;
  // Globals at the end in binding order, without imported modules. A failed
  // program keeps what was bound before the failing statement.
  std::vector<std::pair<std::string, Value>> globals;
  // One per executed statement. Its tensors stay charged to the run's
  // budget until the trace releases them (trace_store.h).
  std::vector<StepRecord> steps;
  bool truncated = false;  // more steps ran than were recorded
};

}  // namespace ap
