#include "run.h"

#include <memory>

#include "../python/evaluator.h"
#include "../python/exceptions.h"
#include "../python/parser.h"
#include "../python/token.h"
#include "../tf/tensorflow_framework.h"
#include "trace_store.h"

namespace ap {

namespace {

using py::ExecutionObserver;
using py::Interpreter;
using py::Parse;
using py::ParserLimits;
using py::Program;
using py::PyException;
using py::SourceError;
using py::Stmt;

RunError ToRunError(const PyException& e) {
  RunError r;
  r.error = e.exception().error();
  r.python_class = e.exception().class_name();
  r.line = e.line;
  r.column = e.col;
  return r;
}

// Collects the step trace: the evaluator's statement events plus the
// CallEvents that layers and ops emit on the RunContext. Its TraceStore can
// release recorded tensors when the program needs the memory.
class Recorder : public ExecutionObserver, public TraceSink {
 public:
  Recorder(RunResult& result, size_t max_steps)
      : result_(result), max_steps_(max_steps), store_(result.steps) {}
  void set_interpreter(const Interpreter* in) { in_ = in; }
  MemoryReclaimer* reclaimer() { return &store_; }

  void BeginStatement(const Stmt&, int line, int end_line) override {
    Open open;
    open.stdout_begin = in_ ? in_->stdout_text().size() : 0;
    if (result_.steps.size() < max_steps_) {
      StepRecord step;
      step.line = line;
      step.end_line = end_line;
      open.index = static_cast<int64_t>(result_.steps.size());
      result_.steps.push_back(std::move(step));
    } else {
      result_.truncated = true;
    }
    open_.push_back(open);
  }

  void Bound(const std::string& name, const Value& value) override {
    if (StepRecord* s = Current()) {
      s->bound.emplace_back(name, value);
      store_.TrackBinding(CurrentIndex(), s->bound.size() - 1);
    }
  }

  void OnCall(CallEvent event) override {
    if (StepRecord* s = Current()) {
      s->calls.push_back(std::move(event));
      store_.TrackCall(CurrentIndex(), s->calls.size() - 1);
    }
  }

  void EndStatement(const PyException* error) override {
    if (open_.empty()) return;
    const Open open = open_.back();
    open_.pop_back();
    if (open.index < 0) return;
    StepRecord& s = result_.steps[static_cast<size_t>(open.index)];
    if (in_) s.stdout_text = in_->stdout_text().substr(open.stdout_begin);
    if (error) {
      s.error = ToRunError(*error);
      pending_.push_back(open.index);
    }
  }

  void Caught(const PyException& error) override {
    result_.caught.push_back(ToRunError(error));
    for (int64_t i : pending_) {
      result_.steps[static_cast<size_t>(i)].error_caught = true;
    }
    pending_.clear();
  }

 private:
  struct Open {
    int64_t index = -1;  // -1: not recorded (past the cap)
    size_t stdout_begin = 0;
  };
  StepRecord* Current() {
    if (open_.empty() || open_.back().index < 0) return nullptr;
    return &result_.steps[CurrentIndex()];
  }
  // Only when Current() is not null.
  size_t CurrentIndex() const {
    return static_cast<size_t>(open_.back().index);
  }

  RunResult& result_;
  size_t max_steps_;
  TraceStore store_;
  const Interpreter* in_ = nullptr;
  std::vector<Open> open_;
  std::vector<int64_t> pending_;
};

// Restores the context's previous trace sink.
class SinkScope {
 public:
  SinkScope(RunContext& ctx, TraceSink* sink)
      : ctx_(ctx), previous_(ctx.trace) {
    ctx.trace = sink;
  }
  ~SinkScope() { ctx_.trace = previous_; }

 private:
  RunContext& ctx_;
  TraceSink* previous_;
};

// The run's tensor framework: TensorFlow, unless the caller chose one.
class FrameworkScope {
 public:
  FrameworkScope(RunContext& ctx, const py::Framework* framework)
      : ctx_(ctx), previous_(ctx.framework) {
    if (!ctx.framework) ctx.framework = framework;
  }
  ~FrameworkScope() { ctx_.framework = previous_; }
  FrameworkScope(const FrameworkScope&) = delete;
  FrameworkScope& operator=(const FrameworkScope&) = delete;

 private:
  RunContext& ctx_;
  const py::Framework* previous_;
};

RunError PlainError(ErrorClass cls, std::string text, int line, int col) {
  RunError r;
  r.error.cls = cls;
  r.error.text = std::move(text);
  r.python_class = std::string(ErrorClassName(cls));
  r.line = line;
  r.column = col;
  return r;
}

}  // namespace

RunResult RunProgram(
    std::string_view source, RunContext& ctx, const py::RunLimits& limits,
    const std::vector<std::pair<std::string, Value>>& predefined) {
  RunResult result;
  if (source.size() > limits.max_source_bytes) {
    result.ok = false;
    result.error =
        PlainError(ErrorClass::kLimitError,
                   "the program is too long: " + std::to_string(source.size()) +
                       " bytes; the playground accepts up to " +
                       std::to_string(limits.max_source_bytes),
                   1, 1);
    return result;
  }
  std::shared_ptr<Program> module;
  try {
    ParserLimits plimits;
    plimits.max_nesting = limits.max_nesting;
    plimits.lexer.max_bracket_depth = limits.max_nesting;
    plimits.lexer.max_literal_chars = limits.max_literal_chars;
    module = Parse(std::string(source), plimits);
  } catch (const SourceError& e) {
    result.ok = false;
    RunError r;
    r.error = e.error();
    r.python_class = std::string(ErrorClassName(e.error().cls));
    r.line = e.line;
    r.column = e.col;
    result.error = std::move(r);
    return result;
  } catch (const std::exception& e) {
    result.ok = false;
    result.error = PlainError(
        ErrorClass::kNotSupportedError,
        std::string("internal error in the parser: ") + e.what(), 1, 1);
    return result;
  }

  Recorder recorder(result, limits.max_recorded_steps);
  // Installed on the budget tensors are charged to for as long as the
  // recorder lives (removed before it dies).
  ReclaimerScope reclaim(CurrentBudget(), recorder.reclaimer());
  SinkScope sink(ctx, &recorder);
  const tf::TensorFlowFramework tensorflow;
  FrameworkScope framework(ctx, &tensorflow);
  tensorflow.Prepare(*module, ctx);
  Interpreter interp(module, ctx, limits, &recorder);
  recorder.set_interpreter(&interp);
  for (const auto& [name, value] : predefined) interp.SetGlobal(name, value);
  try {
    interp.Run();
  } catch (const PyException& e) {
    result.ok = false;
    result.error = ToRunError(e);
  } catch (const ErrorException& e) {
    result.ok = false;
    RunError r;
    r.error = e.error();
    r.python_class = std::string(ErrorClassName(e.error().cls));
    result.error = std::move(r);
  } catch (const std::exception& e) {
    result.ok = false;
    result.error = PlainError(ErrorClass::kNotSupportedError,
                              std::string("internal error: ") + e.what(), 0, 0);
  }
  result.stdout_text = interp.stdout_text();
  for (auto& [name, value] : interp.globals().Items()) {
    if (interp.IsImportBinding(name)) continue;
    if (value.kind() == Value::Kind::kObject && value.as_object() &&
        value.as_object()->TypeName() == "module") {
      continue;
    }
    result.globals.emplace_back(name, value);
  }
  return result;
}

}  // namespace ap
