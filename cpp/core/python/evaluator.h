// Executes a parsed program with Python's semantics for the playground's
// subset. Tensors go through the run's Framework (framework.h); layers, losses
// and API functions are ap::Callable objects. Errors are Python exceptions in
// flight (PyException); the first statement or expression that sees a plain
// ErrorException from the core gives it its class and position.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../call_args.h"
#include "../callable.h"
#include "../run_context.h"
#include "../value.h"
#include "ast.h"
#include "exceptions.h"
#include "run_limits.h"
#include "runtime.h"

namespace ap::py {

// What the run records about execution (run.cc implements it). The
// evaluator calls Begin/End around every executed statement (and every loop
// iteration's header), Bound for each name binding.
class ExecutionObserver {
 public:
  virtual ~ExecutionObserver() = default;
  virtual void BeginStatement(const Stmt& stmt, int line, int end_line) = 0;
  virtual void Bound(const std::string& name, const Value& value) = 0;
  // `error` is null if the statement completed.
  virtual void EndStatement(const PyException* error) = 0;
  // An `except` clause caught `error`.
  virtual void Caught(const PyException& error) = 0;
};

// A scope of names in binding order (globals keep their first position, as
// a Python dict does).
class Scope {
 public:
  const Value* Find(const std::string& name) const;
  void Set(const std::string& name, Value value);
  bool Erase(const std::string& name);
  void Clear() {
    entries_.clear();
    index_.clear();
  }
  std::vector<std::pair<std::string, Value>> Items() const;

 private:
  std::vector<std::pair<std::string, Value>> entries_;
  std::unordered_map<std::string, size_t> index_;
  size_t erased_ = 0;
};

// The parameters of a function a program defined (a `def` or lambda), with
// their defaults; nullopt for anything else. `star` and `star_star` say
// whether it takes *args / **kwargs (those stay out of `params`). Lets the
// framework bind calls as Keras does for a subclass's call() and build().
struct FunctionSignature {
  std::string qualname;
  std::vector<Param> params;
  bool star = false, star_star = false;
};
std::optional<FunctionSignature> SignatureOf(const Value& fn);

// Runs one program; while it lives, it is its run context's runtime.
class Interpreter : public Runtime {
 public:
  Interpreter(std::shared_ptr<const Program> module, RunContext& ctx,
              const RunLimits& limits, ExecutionObserver* observer);
  ~Interpreter() override;

  // Runs the module. Throws PyException for an uncaught Python exception
  // (the position is that of the raising statement or expression).
  void Run();

  const Scope& globals() const { return globals_; }
  // Predefines a global before Run (embedding and tests).
  void SetGlobal(const std::string& name, Value value) {
    globals_.Set(name, std::move(value));
  }
  // Names bound by import statements (the run leaves them out of globals).
  bool IsImportBinding(const std::string& name) const {
    return import_names_.count(name) > 0;
  }
  const std::string& stdout_text() const { return stdout_; }

  // ---- Runtime ----
  const RunLimits& limits() const override { return limits_; }
  void Write(std::string_view text) override;
  void ChargeWork(int64_t n) override;
  void CheckLength(int64_t n, const char* what) override;
  Value CallValue(const Value& callee, const CallArgs& args) override;
  void Step() override;

  uint64_t NewObjectAddress() override;
  std::shared_ptr<bool> AliveFlag() override { return alive_; }
  void AtRunEnd(std::function<void()> release) override;

  // Runs a def's body (FunctionObject::Call). `qualname` names it in
  // errors; `class_cell` is the class a method was defined in (super()).
  Value CallFunction(const Stmt& def, const std::vector<Param>& params,
                     const std::vector<std::shared_ptr<Scope>>& enclosing,
                     const std::shared_ptr<Value>& class_cell,
                     const std::string& qualname, const CallArgs& args);
  std::shared_ptr<bool> alive() const { return alive_; }

 private:
  enum class Flow { kNormal, kBreak, kContinue, kReturn };
  struct Frame {
    const Stmt* def = nullptr;  // null at module level
    std::shared_ptr<Scope> locals;
    // Enclosing functions' locals, innermost first (closures).
    std::vector<std::shared_ptr<Scope>> enclosing;
    Value return_value;
    bool class_body = false;  // a class statement's namespace
    // The class the running method was defined in (zero-argument super()).
    std::shared_ptr<Value> class_cell;
    std::string qualname;  // of the function or class being run
  };

  // Null while a layer's call() runs on stand-in shapes
  // (keras/program_layer.cc): the program never ran those statements.
  ExecutionObserver* observer() const {
    return ctx_.symbolic_program_calls > 0 ? nullptr : observer_;
  }
  Flow ExecBlock(const StmtList& body);
  Flow ExecStmt(const Stmt& s);
  Flow ExecStmtInner(const Stmt& s);
  Flow ExecIf(const Stmt& s);
  Flow ExecWhile(const Stmt& s);
  Flow ExecFor(const Stmt& s);
  Flow ExecTry(const Stmt& s);
  void ExecRaise(const Stmt& s);
  void ExecImport(const Stmt& s);
  void ExecDef(const Stmt& s);
  void ExecClass(const Stmt& s);
  Value DeriveException(const Stmt& s,
                        const std::shared_ptr<const ExceptionClass>& base);
  Flow ExecWith(const Stmt& s, size_t item);
  Value MakeFunction(const Stmt& def);
  Value Decorate(const std::vector<Value>& decorators, Value target);
  std::string QualifiedName(const std::string& name) const;
  Value ZeroArgumentSuper();
  void EvalArguments(const Expr& e, CallArgs& args);
  void AssignStarred(const Expr& target, const ValueList& items);
  void ExecDel(const Expr& target);

  Value Eval(const Expr& e);
  Value EvalInner(const Expr& e);
  Value EvalName(const Expr& e);
  Value EvalCall(const Expr& e);
  Value EvalAttribute(const Expr& e);
  Value AttributeOf(const Value& v, const std::string& name);
  Value EvalSubscript(const Expr& e);
  Value EvalIndex(const Expr& e);
  Value EvalCompare(const Expr& e);
  Value EvalBoolOp(const Expr& e);
  Value EvalFString(const Expr& e);
  std::string EvalFStringParts(const std::vector<FStringPart>& parts);
  Value EvalComprehension(const Expr& e);
  void RunComprehension(const Expr& e, size_t level, const Value& first,
                        FunctionRef<void()> emit);

  void Assign(const Expr& target, const Value& value);
  void BindName(const std::string& name, Value value);
  std::string SourceText(const Expr& e) const;

  // Converts a plain ErrorException to a PyException located at `span`.
  [[noreturn]] void Relocate(const ErrorException& error, const Span& span);
  [[noreturn]] void RelocateCurrent(const Span& span);
  const Value* Lookup(const std::string& name, const Span& span);

  std::shared_ptr<const Program> module_;
  RunContext& ctx_;
  RunLimits limits_;
  ExecutionObserver* observer_;
  Runtime* previous_runtime_;  // restored when this run ends
  Scope globals_;
  std::map<std::string, bool> import_names_;
  std::vector<Frame> frames_;
  std::vector<Value> handling_;  // exceptions being handled (bare raise)
  // Function scopes, cleared when the run ends: a nested def stored in the
  // scope it closes over is a reference cycle (Python's GC would free it).
  std::vector<std::weak_ptr<Scope>> function_scopes_;
  // Releases classes and instances (AtRunEnd).
  std::vector<std::function<void()>> at_run_end_;
  uint64_t objects_created_ = 0;
  std::string stdout_;
  int64_t steps_ = 0;
  int eval_depth_ = 0;
  int64_t work_ = 0;
  std::shared_ptr<bool> alive_;
};

}  // namespace ap::py
