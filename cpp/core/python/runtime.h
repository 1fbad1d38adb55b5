// What builtins, object operations and a framework surface need from the
// running interpreter, and nothing else. They reach it through the run
// context (RunContext::runtime), so none of them holds an interpreter.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "../call_args.h"
#include "../run_context.h"
#include "../value.h"
#include "run_limits.h"

namespace ap::py {

class Runtime {
 public:
  virtual ~Runtime() = default;
  virtual const RunLimits& limits() const = 0;
  // Appends to the program's stdout (LimitError past max_stdout_bytes).
  virtual void Write(std::string_view text) = 0;
  // Counts `n` element visits against max_work.
  virtual void ChargeWork(int64_t n) = 0;
  // Fails if a sequence of `n` items would exceed max_sequence_length.
  virtual void CheckLength(int64_t n, const char* what) = 0;
  // Calls any callable value (layers, tf functions, builtins, defs).
  virtual Value CallValue(const Value& callee, const CallArgs& args) = 0;
  // One step of the budget (statement, iteration or call).
  virtual void Step() = 0;
  // The address repr() and id() show for an object the program created
  // (`<__main__.Foo object at 0x7f...>`): counted per run, so every run
  // prints the same text.
  virtual uint64_t NewObjectAddress() { return 0x7f0000000000; }
  // True while the run lives; objects that call back into it (a class's
  // __repr__) hold it and check it first.
  virtual std::shared_ptr<bool> AliveFlag() {
    return std::make_shared<bool>(false);
  }
  // Calls `release` when the run ends: classes and instances drop their
  // attributes then, which breaks the reference cycles a program builds
  // (self.me = self) that reference counting never frees.
  virtual void AtRunEnd(std::function<void()> release) { release(); }
};

// The runtime of the run `ctx` belongs to; a RuntimeError once that run has
// finished (a builtin kept past its run).
Runtime& RuntimeOf(const RunContext& ctx);

}  // namespace ap::py
