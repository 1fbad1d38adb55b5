#include "evaluator.h"

#include <new>
#include <stdexcept>

#include "../error.h"
#include "../repr.h"
#include "builtins.h"
#include "classes.h"
#include "format.h"
#include "framework.h"
#include "object_ops.h"
#include "slice.h"

namespace ap::py {

namespace {

using K = Expr::Kind;
using SK = Stmt::Kind;
using VK = Value::Kind;

// Nested evaluations (expressions and statements, across calls) before the
// evaluator stops with a RecursionError-like LimitError: keeps the C++ stack
// bounded whatever the program does.
constexpr int kMaxEvalDepth = 1000;

[[noreturn]] void RaiseEvalDepth() {
  RaiseText(ErrorClass::kLimitError,
            "maximum recursion depth exceeded (the playground allows " +
                std::to_string(kMaxEvalDepth) +
                " nested evaluations of statements, expressions and calls)");
}

// A `def` or a lambda as a value.
class FunctionObject : public Callable {
 public:
  FunctionObject(Interpreter* interp, std::shared_ptr<const Program> module,
                 const Stmt* def, std::vector<Param> params,
                 std::vector<std::shared_ptr<Scope>> enclosing,
                 std::shared_ptr<Value> class_cell, std::string qualname)
      : interp_(interp),
        alive_(interp->alive()),
        module_(std::move(module)),
        def_(def),
        params_(std::move(params)),
        enclosing_(std::move(enclosing)),
        class_cell_(std::move(class_cell)),
        qualname_(std::move(qualname)),
        address_(interp->NewObjectAddress()) {}
  std::string TypeName() const override { return "function"; }
  std::string Repr() const override {
    return "<function " + qualname_ + " at " + AddressText(address_) + ">";
  }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "__name__") return Value::Str(def_->name);
    if (name == "__qualname__") return Value::Str(qualname_);
    if (name == "__module__") return Value::Str("__main__");
    return std::nullopt;
  }
  Value Call(RunContext&, const CallArgs& args) override {
    if (!*alive_) {
      RaiseText(ErrorClass::kRuntimeError,
                "function " + def_->name + " belongs to a finished run");
    }
    return interp_->CallFunction(*def_, params_, enclosing_, class_cell_,
                                 qualname_, args);
  }

 private:
  Interpreter* interp_;
  std::shared_ptr<bool> alive_;
  std::shared_ptr<const Program> module_;  // keeps def_ alive
  const Stmt* def_;
  std::vector<Param> params_;
  std::vector<std::shared_ptr<Scope>> enclosing_;
  std::shared_ptr<Value> class_cell_;  // may be null
  std::string qualname_;
  uint64_t address_;

  friend std::optional<FunctionSignature> py::SignatureOf(const Value& fn);
};

}  // namespace

std::optional<FunctionSignature> SignatureOf(const Value& fn) {
  if (fn.kind() != Value::Kind::kObject) return std::nullopt;
  const auto* f = dynamic_cast<const FunctionObject*>(fn.as_object().get());
  if (!f) return std::nullopt;
  FunctionSignature sig;
  sig.qualname = f->qualname_;
  for (size_t i = 0; i < f->params_.size(); ++i) {
    const ParamSpec::Kind kind = f->def_->params[i].kind;
    if (kind == ParamSpec::Kind::kVarPositional) {
      sig.star = true;
    } else if (kind == ParamSpec::Kind::kVarKeyword) {
      sig.star_star = true;
    } else {
      sig.params.push_back(f->params_[i]);
    }
  }
  return sig;
}

namespace {

std::string QuotedNames(const std::vector<std::string>& names) {
  // CPython: 'a'; 'a' and 'b'; 'a', 'b', and 'c'
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0 && names.size() == 2) out += " and ";
    if (i > 0 && names.size() > 2) {
      out += (i + 1 == names.size()) ? ", and " : ", ";
    }
    out += "'" + names[i] + "'";
  }
  return out;
}

// Binds a call's arguments to a def's parameters (positional, *args,
// keyword-only, **kwargs) in CPython 3.11's order and with its messages
// (Python/ceval.c, initialize_locals, too_many_positional,
// missing_arguments). One value per parameter, in parameter order.
ValueList BindCall(const std::string& qualname, const Stmt& def,
                   const std::vector<Param>& params, const CallArgs& args) {
  using PK = ParamSpec::Kind;
  const size_t n = params.size();
  ValueList values(n);
  std::vector<bool> set(n, false);
  size_t positional = 0, defaults = 0;
  int var_pos = -1, var_kw = -1;
  for (size_t i = 0; i < n; ++i) {
    const PK k = def.params[i].kind;
    if (k == PK::kPositional) {
      ++positional;
      if (params[i].default_value) ++defaults;
    }
    if (k == PK::kVarPositional) var_pos = static_cast<int>(i);
    if (k == PK::kVarKeyword) var_kw = static_cast<int>(i);
  }
  const size_t given = args.positional.size();
  for (size_t i = 0; i < std::min(given, positional); ++i) {
    values[i] = args.positional[i];
    set[i] = true;
  }
  if (var_pos >= 0) {
    ValueList rest;
    for (size_t i = positional; i < given; ++i) {
      rest.push_back(args.positional[i]);
    }
    values[static_cast<size_t>(var_pos)] = Value::Tuple(std::move(rest));
    set[static_cast<size_t>(var_pos)] = true;
  }
  Value kwargs;
  if (var_kw >= 0) {
    kwargs = Value::Dict({});
    values[static_cast<size_t>(var_kw)] = kwargs;
    set[static_cast<size_t>(var_kw)] = true;
  }
  for (const auto& [name, value] : args.keywords) {
    size_t index = n;
    for (size_t i = 0; i < n; ++i) {
      const PK k = def.params[i].kind;
      if ((k == PK::kPositional || k == PK::kKeywordOnly) &&
          params[i].name == name) {
        index = i;
      }
    }
    if (index == n) {
      if (var_kw < 0) {
        RaiseTypeError(qualname + "() got an unexpected keyword argument '" +
                       name + "'");
      }
      kwargs.dict_items().emplace_back(Value::Str(name), value);
      continue;
    }
    if (set[index]) {
      RaiseTypeError(qualname + "() got multiple values for argument '" + name +
                     "'");
    }
    values[index] = value;
    set[index] = true;
  }
  if (given > positional && var_pos < 0) {
    size_t kwonly_given = 0;
    for (size_t i = 0; i < n; ++i) {
      if (def.params[i].kind == PK::kKeywordOnly && set[i]) ++kwonly_given;
    }
    std::string sig;
    bool plural;
    if (defaults > 0) {
      sig = "from " + std::to_string(positional - defaults) + " to " +
            std::to_string(positional);
      plural = true;
    } else {
      sig = std::to_string(positional);
      plural = positional != 1;
    }
    std::string kwonly;
    if (kwonly_given > 0) {
      kwonly = std::string(" positional argument") + (given != 1 ? "s" : "") +
               " (and " + std::to_string(kwonly_given) +
               " keyword-only argument" + (kwonly_given != 1 ? "s" : "") + ")";
    }
    RaiseTypeError(
        qualname + "() takes " + sig + " positional argument" +
        (plural ? "s" : "") + " but " + std::to_string(given) + kwonly + " " +
        (given == 1 && kwonly_given == 0 ? "was" : "were") + " given");
  }
  for (const PK kind : {PK::kPositional, PK::kKeywordOnly}) {
    std::vector<std::string> missing;
    for (size_t i = 0; i < n; ++i) {
      if (def.params[i].kind != kind || set[i]) continue;
      if (params[i].default_value) {
        values[i] = *params[i].default_value;
      } else {
        missing.push_back(params[i].name);
      }
    }
    if (!missing.empty()) {
      RaiseTypeError(qualname + "() missing " + std::to_string(missing.size()) +
                     " required " +
                     (kind == PK::kPositional ? "positional" : "keyword-only") +
                     " argument" + (missing.size() == 1 ? "" : "s") + ": " +
                     QuotedNames(missing));
    }
  }
  return values;
}

// How CPython names a callable in call errors (_PyObject_FunctionStr):
// "__main__.f()", "print()".
std::string FunctionStr(const Value& fn) {
  if (fn.kind() == VK::kObject) {
    const std::string type = fn.as_object()->TypeName();
    if (type == "function" || type == "method") {
      return "__main__." + QualifiedNameOf(fn) + "()";
    }
    if (std::optional<Value> n = fn.as_object()->GetAttr("__name__")) {
      if (n->kind() == VK::kStr) return n->as_str() + "()";
    }
  }
  return fn.TypeName() + " object";
}

bool IsObjectTypeValue(const Value& v) {
  return v.kind() == VK::kObject && !AsClass(v) &&
         v.as_object()->TypeName() == "type" &&
         v.as_object()->Repr() == "<class 'object'>";
}

Value MakeException(const char* cls, const std::string& text, RunContext& ctx) {
  const ExceptionClass* c = FindExceptionClass(cls);
  CallArgs args;
  args.positional.push_back(Value::Str(text));
  return const_cast<ExceptionClass*>(c)->Call(ctx, args);
}

std::string ModuleName(const Object& obj) {
  const std::string r = obj.Repr();
  const size_t a = r.find('\'');
  const size_t b = a == std::string::npos ? a : r.find('\'', a + 1);
  if (b != std::string::npos) return r.substr(a + 1, b - a - 1);
  return r;
}

}  // namespace

// ---------------------------------------------------------------- Scope

const Value* Scope::Find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

void Scope::Set(const std::string& name, Value value) {
  auto it = index_.find(name);
  if (it != index_.end()) {
    entries_[it->second].second = std::move(value);
    return;
  }
  index_[name] = entries_.size();
  entries_.emplace_back(name, std::move(value));
}

bool Scope::Erase(const std::string& name) {
  auto it = index_.find(name);
  if (it == index_.end()) return false;
  const size_t pos = it->second;
  index_.erase(it);
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(pos));
  for (auto& [n, i] : index_) {
    if (i > pos) --i;
  }
  return true;
}

std::vector<std::pair<std::string, Value>> Scope::Items() const {
  return entries_;
}

// ---------------------------------------------------------- Interpreter

Interpreter::Interpreter(std::shared_ptr<const Program> module, RunContext& ctx,
                         const RunLimits& limits, ExecutionObserver* observer)
    : module_(std::move(module)),
      ctx_(ctx),
      limits_(limits),
      observer_(observer),
      previous_runtime_(ctx.runtime),
      alive_(std::make_shared<bool>(true)) {
  ctx_.runtime = this;
}

Interpreter::~Interpreter() {
  ctx_.runtime = previous_runtime_;
  *alive_ = false;
  for (const std::function<void()>& release : at_run_end_) release();
  for (const std::weak_ptr<Scope>& s : function_scopes_) {
    if (std::shared_ptr<Scope> scope = s.lock()) scope->Clear();
  }
}

void Interpreter::Run() { ExecBlock(module_->body); }

uint64_t Interpreter::NewObjectAddress() {
  // Shaped like CPython's heap addresses; the same for every run.
  return 0x7f3a5c000000 + 0x40 * ++objects_created_;
}

void Interpreter::AtRunEnd(std::function<void()> release) {
  at_run_end_.push_back(std::move(release));
}

void Interpreter::Write(std::string_view text) {
  // A layer's call() run on stand-in shapes (keras/stand_ins.h) prints
  // sizes the program never has: kept aside for the caller to word, or
  // dropped.
  std::string* const out =
      ctx_.symbolic_program_calls > 0 ? ctx_.stand_in_stdout : &stdout_;
  if (!out) return;
  const size_t kept_aside = out == &stdout_ ? 0 : out->size();
  if (stdout_.size() + kept_aside + text.size() > limits_.max_stdout_bytes) {
    RaiseText(ErrorClass::kLimitError,
              "output limit exceeded: the program printed more than " +
                  std::to_string(limits_.max_stdout_bytes) + " bytes");
  }
  out->append(text);
}

void Interpreter::ChargeWork(int64_t n) {
  work_ += n;
  if (work_ > limits_.max_work) {
    RaiseText(ErrorClass::kLimitError,
              "work limit exceeded: the program touched more than " +
                  std::to_string(limits_.max_work) +
                  " list/string elements (copies, searches, comparisons)");
  }
}

void Interpreter::CheckLength(int64_t n, const char* what) {
  if (n > limits_.max_sequence_length) {
    RaiseText(ErrorClass::kLimitError,
              std::string("size limit exceeded: ") + what + " would have " +
                  std::to_string(n) + " items; the playground allows " +
                  std::to_string(limits_.max_sequence_length));
  }
}

void Interpreter::Step() {
  if (++steps_ > limits_.max_steps) {
    RaiseText(ErrorClass::kLimitError,
              "step limit exceeded: the program ran more than " +
                  std::to_string(limits_.max_steps) +
                  " steps (statements, loop iterations and calls); is there "
                  "an endless loop?");
  }
}

std::string Interpreter::SourceText(const Expr& e) const {
  const std::string& src = module_->source;
  if (e.span.end <= e.span.begin || e.span.end > src.size()) return "";
  return src.substr(e.span.begin, e.span.end - e.span.begin);
}

void Interpreter::Relocate(const ErrorException& error, const Span& span) {
  throw PyException(MakeExceptionObject(error.error()), span.line, span.col);
}

void Interpreter::RelocateCurrent(const Span& span) {
  try {
    throw;
  } catch (PyException& e) {
    if (e.line == 0) {
      e.line = span.line;
      e.col = span.col;
    }
    throw;
  } catch (const ErrorException& e) {
    Relocate(e, span);
  } catch (const std::bad_alloc&) {
    Error err;
    err.cls = ErrorClass::kLimitError;
    err.text =
        "out of memory: the program needed more memory than the "
        "playground allows";
    Relocate(ErrorException(err), span);
  } catch (const std::exception& e) {
    Error err;
    err.cls = ErrorClass::kNotSupportedError;
    err.text = std::string("internal error in the playground: ") + e.what();
    Relocate(ErrorException(err), span);
  }
}

// ------------------------------------------------------------ statements

Interpreter::Flow Interpreter::ExecBlock(const StmtList& body) {
  for (const StmtPtr& s : body) {
    const Flow f = ExecStmt(*s);
    if (f != Flow::kNormal) return f;
  }
  return Flow::kNormal;
}

namespace {

// Records one step around `fn`: observer Begin/End, step budget, error
// location.
template <typename Fn>
auto Record(Interpreter& in, ExecutionObserver* obs, const Stmt& s, int line,
            int end_line, Fn&& fn, FunctionRef<void()> relocate) {
  if (obs) obs->BeginStatement(s, line, end_line);
  try {
    in.Step();
    auto result = fn();
    if (obs) obs->EndStatement(nullptr);
    return result;
  } catch (...) {
    try {
      relocate();
    } catch (const PyException& e) {
      if (obs) obs->EndStatement(&e);
      throw;
    }
    throw;  // not reached: relocate always throws
  }
}

}  // namespace

Interpreter::Flow Interpreter::ExecStmt(const Stmt& s) {
  struct DepthScope {
    int& d;
    ~DepthScope() { --d; }
  } depth{eval_depth_};
  ++eval_depth_;
  switch (s.kind) {
    case SK::kIf:
      return ExecIf(s);
    case SK::kWhile:
      return ExecWhile(s);
    case SK::kFor:
      return ExecFor(s);
    case SK::kTry:
      return ExecTry(s);
    case SK::kWith:
      return ExecWith(s, 0);
    default:
      break;
  }
  return Record(
      *this, observer(), s, s.span.line, s.span.end_line,
      [&] {
        if (eval_depth_ > kMaxEvalDepth) {
          RaiseEvalDepth();
        }
        return ExecStmtInner(s);
      },
      [&] { RelocateCurrent(s.span); });
}

Interpreter::Flow Interpreter::ExecStmtInner(const Stmt& s) {
  switch (s.kind) {
    case SK::kExpr:
      Eval(*s.value);
      return Flow::kNormal;
    case SK::kAssign: {
      Value v = Eval(*s.value);
      for (const ExprPtr& t : s.targets) Assign(*t, v);
      return Flow::kNormal;
    }
    case SK::kAnnAssign:
      if (s.value) Assign(*s.targets[0], Eval(*s.value));
      return Flow::kNormal;
    case SK::kAugAssign: {
      const Expr& t = *s.targets[0];
      if (t.kind == K::kName) {
        Value cur = *Lookup(t.name, t.span);
        Value rhs = Eval(*s.value);
        BindName(t.name, InPlaceOp(ctx_, s.op, cur, rhs));
      } else if (t.kind == K::kSubscript) {
        Value container = Eval(*t.elts[0]);
        Value index = EvalIndex(*t.elts[1]);
        Value cur = GetItem(ctx_, container, index);
        Value rhs = Eval(*s.value);
        SetItem(ctx_, container, index, InPlaceOp(ctx_, s.op, cur, rhs));
      } else {
        Value obj = Eval(*t.elts[0]);
        Value cur = AttributeOf(obj, t.name);
        Value rhs = Eval(*s.value);
        SetAttribute(ctx_, obj, t.name, InPlaceOp(ctx_, s.op, cur, rhs));
      }
      return Flow::kNormal;
    }
    case SK::kPass:
    case SK::kGlobal:
      return Flow::kNormal;
    case SK::kBreak:
      return Flow::kBreak;
    case SK::kContinue:
      return Flow::kContinue;
    case SK::kReturn: {
      Value v = s.value ? Eval(*s.value) : Value::None();
      frames_.back().return_value = std::move(v);
      return Flow::kReturn;
    }
    case SK::kRaise:
      ExecRaise(s);
      return Flow::kNormal;
    case SK::kImport:
    case SK::kFromImport:
      ExecImport(s);
      return Flow::kNormal;
    case SK::kDef:
      ExecDef(s);
      return Flow::kNormal;
    case SK::kClass:
      ExecClass(s);
      return Flow::kNormal;
    case SK::kAssert:
      if (!IsTrue(ctx_, Eval(*s.value))) {
        const std::string msg = s.cause ? PyStr(Eval(*s.cause)) : "";
        throw PyException(MakeException("AssertionError", msg, ctx_), 0, 0);
      }
      return Flow::kNormal;
    case SK::kDel:
      for (const ExprPtr& t : s.targets) ExecDel(*t);
      return Flow::kNormal;
    default:
      break;
  }
  RaiseText(ErrorClass::kNotSupportedError, "statement not supported");
}

Interpreter::Flow Interpreter::ExecIf(const Stmt& s) {
  const bool cond = Record(
      *this, observer(), s, s.span.line, s.span.end_line,
      [&] { return IsTrue(ctx_, Eval(*s.value)); },
      [&] { RelocateCurrent(s.span); });
  return ExecBlock(cond ? s.body : s.orelse);
}

Interpreter::Flow Interpreter::ExecWhile(const Stmt& s) {
  while (true) {
    const bool cond = Record(
        *this, observer(), s, s.span.line, s.span.end_line,
        [&] { return IsTrue(ctx_, Eval(*s.value)); },
        [&] { RelocateCurrent(s.span); });
    if (!cond) break;
    const Flow f = ExecBlock(s.body);
    if (f == Flow::kBreak) return Flow::kNormal;
    if (f == Flow::kReturn) return f;
  }
  return ExecBlock(s.orelse);
}

Interpreter::Flow Interpreter::ExecFor(const Stmt& s) {
  Value iterable = Record(
      *this, observer(), s, s.span.line, s.span.end_line,
      [&] {
        Value v = Eval(*s.value);
        const VK k = v.kind();
        if (!IsIterable(v)) {
          RaiseTypeError("'" + v.TypeName() + "' object is not iterable");
        }
        if (k == VK::kTensor && v.as_tensor().rank() == 0) {
          RaiseTypeError("Cannot iterate over a scalar tensor.");
        }
        return v;
      },
      [&] { RelocateCurrent(s.span); });
  Flow result = Flow::kNormal;
  bool broke = false;
  try {
    Iterate(ctx_, iterable, [&](const Value& item) {
      Record(
          *this, observer(), s, s.span.line, s.span.line,
          [&] {
            Assign(*s.targets[0], item);
            return 0;
          },
          [&] { RelocateCurrent(s.span); });
      const Flow f = ExecBlock(s.body);
      if (f == Flow::kBreak) {
        broke = true;
        return false;
      }
      if (f == Flow::kReturn) {
        result = f;
        return false;
      }
      return true;
    });
  } catch (...) {
    RelocateCurrent(s.span);
  }
  if (result == Flow::kReturn) return result;
  if (!broke) return ExecBlock(s.orelse);
  return Flow::kNormal;
}

Interpreter::Flow Interpreter::ExecTry(const Stmt& s) {
  Flow flow = Flow::kNormal;
  std::exception_ptr pending;
  try {
    bool raised = false;
    try {
      flow = ExecBlock(s.body);
    } catch (const PyException& e) {
      raised = true;
      const ExceptionObject& exc = e.exception();
      bool handled = false;
      for (const ExceptHandler& h : s.handlers) {
        bool match;
        if (!h.type) {
          match = IsCatchableByProgram(exc.error().cls);
        } else {
          Value type;
          try {
            type = Eval(*h.type);
            match = ExceptionMatches(exc, type);
          } catch (...) {
            RelocateCurrent(h.span);
          }
        }
        if (!match) continue;
        handled = true;
        if (exc.origin_line == 0) {
          exc.origin_line = e.line;
          exc.origin_col = e.col;
        }
        if (observer()) observer()->Caught(e);
        if (!h.name.empty()) BindName(h.name, e.object());
        // Python unbinds the name when the handler ends, also when it
        // raises (the compiler wraps the body in try/finally: del name).
        auto unbind = [&] {
          if (h.name.empty()) return;
          if (!frames_.empty() && frames_.back().def &&
              frames_.back().def->locals.count(h.name)) {
            frames_.back().locals->Erase(h.name);
          } else {
            globals_.Erase(h.name);
          }
        };
        handling_.push_back(e.object());
        try {
          flow = ExecBlock(h.body);
        } catch (...) {
          handling_.pop_back();
          unbind();
          throw;
        }
        handling_.pop_back();
        unbind();
        break;
      }
      if (!handled) throw;
    }
    if (!raised && flow == Flow::kNormal) flow = ExecBlock(s.orelse);
  } catch (...) {
    if (s.finalbody.empty()) throw;
    pending = std::current_exception();
  }
  if (!s.finalbody.empty()) {
    const Flow f = ExecBlock(s.finalbody);
    if (f != Flow::kNormal) return f;
    if (pending) std::rethrow_exception(pending);
  }
  return flow;
}

void Interpreter::ExecRaise(const Stmt& s) {
  if (!s.value) {
    if (handling_.empty()) {
      throw PyException(
          MakeException("RuntimeError", "No active exception to reraise", ctx_),
          0, 0);
    }
    const auto* exc = dynamic_cast<const ExceptionObject*>(
        handling_.back().as_object().get());
    if (exc && exc->origin_line > 0) {
      throw PyException(handling_.back(), exc->origin_line, exc->origin_col);
    }
    throw PyException(handling_.back(), s.span.line, s.span.col);
  }
  Value v = Eval(*s.value);
  if (s.cause) Eval(*s.cause);
  if (v.kind() == VK::kObject) {
    if (const auto* exc =
            dynamic_cast<const ExceptionObject*>(v.as_object().get())) {
      if (exc->origin_line > 0) {
        throw PyException(v, exc->origin_line, exc->origin_col);
      }
      throw PyException(v, s.span.line, s.span.col);
    }
    if (auto* cls = dynamic_cast<ExceptionClass*>(v.as_object().get())) {
      Value obj = cls->Call(ctx_, CallArgs{});
      throw PyException(obj, s.span.line, s.span.col);
    }
  }
  RaiseTypeError("exceptions must derive from BaseException");
}

void Interpreter::ExecImport(const Stmt& s) {
  auto import = [&](const std::string& dotted) {
    if (const std::optional<std::string> absent =
            FrameworkOf(ctx_).AbsentModule(dotted, ctx_)) {
      CallArgs message;
      message.positional.push_back(
          Value::Str("No module named '" + *absent + "'"));
      const Value cls = ExceptionClassValue("ModuleNotFoundError");
      throw PyException(
          static_cast<ExceptionClass&>(*cls.as_object()).Call(ctx_, message),
          s.span.line, s.span.col);
    }
    std::optional<Value> m = FrameworkOf(ctx_).ImportModule(dotted, ctx_);
    if (!m) {
      RaiseText(ErrorClass::kNotSupportedError,
                "module '" + dotted +
                    "' is not available in the playground (it models "
                    "tensorflow and keras)");
    }
    return *m;
  };
  if (s.kind == SK::kImport) {
    for (const ImportAlias& a : s.aliases) {
      Value m = import(a.name);
      std::string bind = a.asname;
      if (bind.empty()) {
        bind = a.name.substr(0, a.name.find('.'));
        if (bind != a.name) m = import(bind);
      }
      import_names_[bind] = true;
      BindName(bind, m);
    }
    return;
  }
  Value m = import(s.module);
  for (const ImportAlias& a : s.aliases) {
    std::optional<Value> v;
    if (m.kind() == VK::kObject) v = m.as_object()->GetAttr(a.name);
    if (!v) v = FrameworkOf(ctx_).ImportModule(s.module + "." + a.name, ctx_);
    if (!v) {
      RaiseText(ErrorClass::kNotSupportedError,
                "cannot import name '" + a.name + "' from '" + s.module +
                    "': not modelled by the playground");
    }
    const std::string bind = a.asname.empty() ? a.name : a.asname;
    import_names_[bind] = true;
    BindName(bind, *v);
  }
}

void Interpreter::ExecDef(const Stmt& s) {
  std::vector<Value> decorators;
  for (const ExprPtr& d : s.decorators) decorators.push_back(Eval(*d));
  BindName(s.name, Decorate(decorators, MakeFunction(s)));
}

Value Interpreter::Decorate(const std::vector<Value>& decorators,
                            Value target) {
  // The decorator nearest the def applies first.
  for (auto it = decorators.rbegin(); it != decorators.rend(); ++it) {
    CallArgs args;
    args.positional.push_back(std::move(target));
    target = CallValue(*it, args);
  }
  return target;
}

std::string Interpreter::QualifiedName(const std::string& name) const {
  if (frames_.empty()) return name;
  const Frame& f = frames_.back();
  if (f.class_body) return f.qualname + "." + name;
  if (f.def) return f.qualname + ".<locals>." + name;
  return name;
}

Value Interpreter::MakeFunction(const Stmt& s) {
  std::vector<Param> params;
  for (const ParamSpec& p : s.params) {
    Param q;
    q.name = p.name;
    q.keyword_only = p.kind == ParamSpec::Kind::kKeywordOnly;
    if (p.default_value) q.default_value = Eval(*p.default_value);
    params.push_back(std::move(q));
  }
  // A class body is not a scope its methods see.
  std::vector<std::shared_ptr<Scope>> enclosing;
  std::shared_ptr<Value> class_cell;
  if (!frames_.empty()) {
    const Frame& f = frames_.back();
    if (!f.class_body) enclosing.push_back(f.locals);
    enclosing.insert(enclosing.end(), f.enclosing.begin(), f.enclosing.end());
    class_cell = f.class_cell;
  }
  return Value::FromObject(std::make_shared<FunctionObject>(
      this, module_, &s, std::move(params), std::move(enclosing),
      std::move(class_cell), QualifiedName(s.name)));
}

void Interpreter::ExecClass(const Stmt& s) {
  std::vector<Value> decorators;
  for (const ExprPtr& d : s.decorators) decorators.push_back(Eval(*d));
  ValueList bases;
  for (const ExprPtr& b : s.bases) {
    if (b->kind == K::kStarred) {
      for (Value& v : ToList(ctx_, Eval(*b->elts[0]))) bases.push_back(v);
    } else {
      bases.push_back(Eval(*b));
    }
  }
  if (!s.keywords.empty()) {
    RaiseText(ErrorClass::kNotSupportedError,
              "class keywords (" + s.keywords[0].name +
                  "=...) are not supported by the playground");
  }
  if (bases.size() == 1 && bases[0].kind() == VK::kObject) {
    if (auto base = std::dynamic_pointer_cast<const ExceptionClass>(
            bases[0].as_object())) {
      BindName(s.name, Decorate(decorators, DeriveException(s, base)));
      return;
    }
  }
  std::vector<MroEntry> entries;
  for (const Value& b : bases) {
    MroEntry e;
    e.cls = b;
    if (const ClassObject* c = AsClass(b)) {
      e.program = c;
    } else if (IsObjectTypeValue(b)) {
      continue;
    } else if (const NativeBase* n = FrameworkOf(ctx_).SubclassableBase(b)) {
      e.native = n;
    } else {
      const std::string what =
          b.kind() == VK::kObject ? b.as_object()->Repr() : PyRepr(b);
      RaiseText(ErrorClass::kNotSupportedError,
                "class " + s.name + ": deriving a class from " + what +
                    " is not supported by the playground");
    }
    entries.push_back(std::move(e));
  }
  Frame frame;
  frame.class_body = true;
  frame.locals = std::make_shared<Scope>();
  frame.class_cell = std::make_shared<Value>();
  frame.qualname = QualifiedName(s.name);
  if (!frames_.empty()) {
    const Frame& f = frames_.back();
    if (!f.class_body) frame.enclosing.push_back(f.locals);
    frame.enclosing.insert(frame.enclosing.end(), f.enclosing.begin(),
                           f.enclosing.end());
  }
  function_scopes_.push_back(frame.locals);
  std::shared_ptr<Value> cell = frame.class_cell;
  const std::string qualname = frame.qualname;
  AttributeList attributes;
  {
    frames_.push_back(std::move(frame));
    struct Pop {
      std::vector<Frame>& frames;
      ~Pop() { frames.pop_back(); }
    } pop{frames_};
    const StmtList& body = s.body;
    if (!body.empty() && body[0]->kind == SK::kExpr &&
        body[0]->value->kind == K::kConstant &&
        body[0]->value->constant.kind() == VK::kStr) {
      frames_.back().locals->Set("__doc__", body[0]->value->constant);
    }
    ExecBlock(body);
    attributes = frames_.back().locals->Items();
  }
  std::shared_ptr<ClassObject> cls = ClassObject::Create(
      ctx_, s.name, qualname, std::move(entries), std::move(attributes));
  *cell = Value::FromObject(cls);
  // The cell refers to the class and the class's methods to the cell.
  at_run_end_.push_back([cell] { *cell = Value(); });
  BindName(s.name, Decorate(decorators, Value::FromObject(cls)));
}

// `class MyError(ValueError): ...`: an exception class. Its body may hold a
// docstring, `pass` and plain attributes; methods (a custom __init__ or
// __str__) are not modelled.
Value Interpreter::DeriveException(
    const Stmt& s, const std::shared_ptr<const ExceptionClass>& base) {
  for (const StmtPtr& st : s.body) {
    const bool plain = st->kind == SK::kPass || st->kind == SK::kExpr;
    if (!plain) {
      RaiseText(ErrorClass::kNotSupportedError,
                "class " + s.name +
                    ": exception classes with a body (methods, attributes) "
                    "are not supported by the playground; `pass` or a "
                    "docstring is");
    }
  }
  return Value::FromObject(ExceptionClass::Derive(s.name, base));
}

Interpreter::Flow Interpreter::ExecWith(const Stmt& s, size_t i) {
  if (i == s.with_items.size()) return ExecBlock(s.body);
  const WithItem& w = s.with_items[i];
  Value exit_fn;
  Record(
      *this, observer(), s, s.span.line, s.span.end_line,
      [&] {
        Value mgr = Eval(*w.context);
        std::optional<Value> enter, exit;
        if (AsInstance(mgr)) {
          enter = FindProgramAttribute(mgr, "__enter__");
          exit = FindProgramAttribute(mgr, "__exit__");
        } else if (mgr.kind() == VK::kObject) {
          enter = mgr.as_object()->GetAttr("__enter__");
          exit = mgr.as_object()->GetAttr("__exit__");
        }
        const std::string type = mgr.is_tensor()
                                     ? "tensorflow.python.framework.ops."
                                       "EagerTensor"
                                     : mgr.TypeName();
        if (!enter && mgr.kind() == VK::kObject && !AsInstance(mgr) &&
            !AsClass(mgr)) {
          // A framework object (tf.GradientTape(), tf.device(...)): real
          // TensorFlow has a context manager the playground does not model.
          RaiseText(ErrorClass::kNotSupportedError,
                    "'with' on a '" + type +
                        "' object is not supported by the playground");
        }
        if (!enter) {
          RaiseTypeError("'" + type +
                         "' object does not support the context manager "
                         "protocol");
        }
        if (!exit) {
          RaiseTypeError("'" + type +
                         "' object does not support the context manager "
                         "protocol (missed __exit__ method)");
        }
        exit_fn = *exit;
        Value entered = CallValue(*enter, CallArgs{});
        if (w.target) Assign(*w.target, entered);
        return 0;
      },
      [&] { RelocateCurrent(s.span); });
  Flow flow;
  try {
    flow = ExecWith(s, i + 1);
  } catch (const PyException& e) {
    if (!IsCatchableByProgram(e.exception().error().cls)) throw;
    bool suppress;
    try {
      CallArgs args;
      args.positional = {TypeOf(e.object()), e.object(), Value::None()};
      suppress = IsTrue(ctx_, CallValue(exit_fn, args));
    } catch (...) {
      RelocateCurrent(s.span);
    }
    if (suppress) return Flow::kNormal;
    throw;
  }
  try {
    CallArgs args;
    args.positional = {Value::None(), Value::None(), Value::None()};
    CallValue(exit_fn, args);
  } catch (...) {
    RelocateCurrent(s.span);
  }
  return flow;
}

Value Interpreter::ZeroArgumentSuper() {
  if (frames_.empty() || !frames_.back().def ||
      frames_.back().def->params.empty() ||
      frames_.back().def->params[0].kind != ParamSpec::Kind::kPositional) {
    RaiseText(ErrorClass::kRuntimeError, "super(): no arguments");
  }
  const Frame& f = frames_.back();
  if (!f.class_cell || f.class_cell->is_none()) {
    RaiseText(ErrorClass::kRuntimeError, "super(): __class__ cell not found");
  }
  const Value* self = f.locals->Find(f.def->params[0].name);
  if (!self) RaiseText(ErrorClass::kRuntimeError, "super(): arg[0] deleted");
  return MakeSuper(*f.class_cell, *self);
}

void Interpreter::ExecDel(const Expr& t) {
  switch (t.kind) {
    case K::kName: {
      bool erased;
      if (!frames_.empty() && frames_.back().def &&
          frames_.back().def->locals.count(t.name)) {
        erased = frames_.back().locals->Erase(t.name);
      } else {
        erased = globals_.Erase(t.name);
        import_names_.erase(t.name);
      }
      if (!erased) {
        RaiseText(ErrorClass::kNameError,
                  "name '" + t.name + "' is not defined");
      }
      return;
    }
    case K::kSubscript: {
      Value c = Eval(*t.elts[0]);
      DelItem(ctx_, c, EvalIndex(*t.elts[1]));
      return;
    }
    case K::kTuple:
    case K::kList:
      for (const ExprPtr& x : t.elts) ExecDel(*x);
      return;
    case K::kAttribute:
      DeleteAttribute(ctx_, Eval(*t.elts[0]), t.name);
      return;
    default:
      RaiseText(ErrorClass::kNotSupportedError,
                "deleting this target is not supported by the playground");
  }
}

Value Interpreter::CallFunction(
    const Stmt& def, const std::vector<Param>& params,
    const std::vector<std::shared_ptr<Scope>>& enclosing,
    const std::shared_ptr<Value>& class_cell, const std::string& qualname,
    const CallArgs& args) {
  int depth = 0;
  for (const Frame& f : frames_) depth += f.def ? 1 : 0;
  if (depth >= limits_.max_call_depth) {
    RaiseText(ErrorClass::kLimitError,
              "maximum recursion depth exceeded (the playground allows " +
                  std::to_string(limits_.max_call_depth) + " nested calls)");
  }
  const ValueList bound = BindCall(qualname, def, params, args);
  Frame frame;
  frame.def = &def;
  frame.locals = std::make_shared<Scope>();
  frame.enclosing = enclosing;
  frame.class_cell = class_cell;
  frame.qualname = qualname;
  function_scopes_.push_back(frame.locals);
  for (size_t i = 0; i < params.size(); ++i) {
    frame.locals->Set(params[i].name, bound[i]);
    if (observer()) observer()->Bound(params[i].name, bound[i]);
  }
  frames_.push_back(std::move(frame));
  const size_t index = frames_.size() - 1;
  struct Pop {
    std::vector<Frame>& frames;
    ~Pop() { frames.pop_back(); }
  } pop{frames_};
  const Flow f = ExecBlock(def.body);
  return f == Flow::kReturn ? frames_[index].return_value : Value::None();
}

// ---------------------------------------------------------------- names

const Value* Interpreter::Lookup(const std::string& name, const Span&) {
  if (!frames_.empty()) {
    const Frame& f = frames_.back();
    if (!f.def) {
      if (const Value* v = f.locals->Find(name)) return v;
    } else if (f.def->locals.count(name)) {
      if (const Value* v = f.locals->Find(name)) return v;
      throw PyException(
          MakeException("UnboundLocalError",
                        "cannot access local variable '" + name +
                            "' where it is not associated with a value",
                        ctx_),
          0, 0);
    }
    for (const auto& scope : f.enclosing) {
      if (const Value* v = scope->Find(name)) return v;
    }
  }
  if (const Value* v = globals_.Find(name)) return v;
  if (const Value* v = FindBuiltin(name)) return v;
  RaiseText(ErrorClass::kNameError, "name '" + name + "' is not defined");
}

void Interpreter::BindName(const std::string& name, Value value) {
  if (!frames_.empty()) {
    Frame& f = frames_.back();
    if (!f.def) {
      f.locals->Set(name, std::move(value));  // comprehension variable
      return;
    }
    if (f.def->locals.count(name)) {
      if (observer()) observer()->Bound(name, value);
      f.locals->Set(name, std::move(value));
      return;
    }
  }
  if (observer()) observer()->Bound(name, value);
  globals_.Set(name, std::move(value));
}

void Interpreter::Assign(const Expr& target, const Value& value) {
  switch (target.kind) {
    case K::kName:
      BindName(target.name, value);
      return;
    case K::kTuple:
    case K::kList: {
      const size_t n = target.elts.size();
      const VK k = value.kind();
      const bool iterable = IsIterable(value);
      if (!iterable) {
        RaiseTypeError("cannot unpack non-iterable " + value.TypeName() +
                       " object");
      }
      for (const ExprPtr& x : target.elts) {
        if (x->kind == K::kStarred) {
          AssignStarred(target, ToList(ctx_, value));
          return;
        }
      }
      int64_t len = -1;
      if (k != VK::kTensor && k != VK::kObject) len = Length(value);
      if (len > static_cast<int64_t>(n)) {
        RaiseValueError("too many values to unpack (expected " +
                        std::to_string(n) + ")");
      }
      ValueList items = ToList(ctx_, value);
      if (items.size() > n) {
        RaiseValueError("too many values to unpack (expected " +
                        std::to_string(n) + ")");
      }
      if (items.size() < n) {
        RaiseValueError("not enough values to unpack (expected " +
                        std::to_string(n) + ", got " +
                        std::to_string(items.size()) + ")");
      }
      for (size_t i = 0; i < n; ++i) Assign(*target.elts[i], items[i]);
      return;
    }
    case K::kSubscript: {
      Value c = Eval(*target.elts[0]);
      Value index = EvalIndex(*target.elts[1]);
      SetItem(ctx_, c, index, value);
      return;
    }
    case K::kAttribute:
      SetAttribute(ctx_, Eval(*target.elts[0]), target.name, value);
      return;
    default:
      RaiseText(ErrorClass::kNotSupportedError,
                "unsupported assignment target");
  }
}

// `a, *rest, b = items`: the starred target takes a list of the middle.
void Interpreter::AssignStarred(const Expr& target, const ValueList& items) {
  size_t star = 0;
  while (target.elts[star]->kind != K::kStarred) ++star;
  const size_t before = star, after = target.elts.size() - star - 1;
  if (items.size() < before + after) {
    RaiseValueError("not enough values to unpack (expected at least " +
                    std::to_string(before + after) + ", got " +
                    std::to_string(items.size()) + ")");
  }
  for (size_t i = 0; i < before; ++i) Assign(*target.elts[i], items[i]);
  Assign(*target.elts[star]->elts[0],
         Value::List(ValueList(items.begin() + static_cast<ptrdiff_t>(before),
                               items.end() - static_cast<ptrdiff_t>(after))));
  for (size_t i = 0; i < after; ++i) {
    Assign(*target.elts[star + 1 + i], items[items.size() - after + i]);
  }
}

// ----------------------------------------------------------- expressions

Value Interpreter::Eval(const Expr& e) {
  struct DepthScope {
    int& d;
    ~DepthScope() { --d; }
  } depth{eval_depth_};
  ++eval_depth_;
  try {
    if (eval_depth_ > kMaxEvalDepth) {
      RaiseEvalDepth();
    }
    return EvalInner(e);
  } catch (...) {
    RelocateCurrent(e.span);
  }
}

Value Interpreter::EvalInner(const Expr& e) {
  switch (e.kind) {
    case K::kName:
      return *Lookup(e.name, e.span);
    case K::kConstant:
      return e.constant;
    case K::kFString:
      return EvalFString(e);
    case K::kList:
    case K::kTuple: {
      ValueList items;
      items.reserve(e.elts.size());
      for (const ExprPtr& x : e.elts) {
        if (x->kind == K::kStarred) {
          for (Value& v : ToList(ctx_, Eval(*x->elts[0]))) {
            CheckNesting(ctx_, v);
            items.push_back(std::move(v));
            CheckLength(static_cast<int64_t>(items.size()), "display");
          }
          continue;
        }
        items.push_back(Eval(*x));
        CheckNesting(ctx_, items.back());
      }
      return e.kind == K::kList ? Value::List(std::move(items))
                                : Value::Tuple(std::move(items));
    }
    case K::kDict: {
      Value d = Value::Dict({});
      for (size_t i = 0; i < e.elts.size(); ++i) {
        if (!e.elts[i]) {  // **mapping
          Value m = Eval(*e.elts2[i]);
          if (m.kind() != VK::kDict) {
            RaiseTypeError("'" + m.TypeName() + "' object is not a mapping");
          }
          for (const auto& [k, v] : DictItems(m.dict_items())) {
            SetItem(ctx_, d, k, v);
          }
          continue;
        }
        Value k = Eval(*e.elts[i]);
        Value v = Eval(*e.elts2[i]);
        SetItem(ctx_, d, k, v);
      }
      return d;
    }
    case K::kBinOp: {
      Value a = Eval(*e.elts[0]);
      Value b = Eval(*e.elts[1]);
      return BinaryOp(ctx_, e.name, a, b);
    }
    case K::kUnaryOp:
      return UnaryOp(ctx_, e.name, Eval(*e.elts[0]));
    case K::kBoolOp:
      return EvalBoolOp(e);
    case K::kCompare:
      return EvalCompare(e);
    case K::kIfExp:
      return IsTrue(ctx_, Eval(*e.elts[0])) ? Eval(*e.elts[1])
                                            : Eval(*e.elts[2]);
    case K::kCall:
      return EvalCall(e);
    case K::kAttribute:
      return EvalAttribute(e);
    case K::kSubscript:
      return EvalSubscript(e);
    case K::kSlice:
      return EvalIndex(e);
    case K::kListComp:
    case K::kDictComp:
      return EvalComprehension(e);
    case K::kLambda:
      return MakeFunction(*e.lambda_def);
    case K::kStarred:
      break;
  }
  RaiseText(ErrorClass::kNotSupportedError, "expression not supported");
}

Value Interpreter::EvalBoolOp(const Expr& e) {
  const bool is_and = e.name == "and";
  Value v = Eval(*e.elts[0]);
  for (size_t i = 1; i < e.elts.size(); ++i) {
    if (IsTrue(ctx_, v) != is_and) return v;
    v = Eval(*e.elts[i]);
  }
  return v;
}

Value Interpreter::EvalCompare(const Expr& e) {
  Value left = Eval(*e.elts[0]);
  for (size_t i = 0; i < e.ops.size(); ++i) {
    Value right = Eval(*e.elts[i + 1]);
    Value r = CompareOp(ctx_, e.ops[i], left, right);
    if (i + 1 == e.ops.size()) return r;
    if (!IsTrue(ctx_, r)) return r;
    left = std::move(right);
  }
  return Value::Bool(true);
}

Value Interpreter::EvalCall(const Expr& e) {
  Value fn = Eval(*e.elts[0]);
  if (e.elts.size() == 1 && e.keywords.empty() &&
      fn.identity() == FindBuiltin("super")->identity()) {
    return ZeroArgumentSuper();
  }
  CallArgs args;
  auto item_sources = [&](const Expr& a) {
    std::vector<std::string> out;
    if (a.kind == K::kList || a.kind == K::kTuple) {
      for (const ExprPtr& x : a.elts) out.push_back(SourceText(*x));
    }
    return out;
  };
  for (size_t i = 1; i < e.elts.size(); ++i) {
    const Expr& a = *e.elts[i];
    if (a.kind == K::kStarred) {
      Value seq = Eval(*a.elts[0]);
      if (!IsIterable(seq)) {
        RaiseTypeError(FunctionStr(fn) +
                       " argument after * must be an iterable, not " +
                       seq.TypeName());
      }
      for (Value& v : ToList(ctx_, seq)) {
        args.positional.push_back(std::move(v));
        args.positional_sources.emplace_back();
        args.positional_item_sources.emplace_back();
      }
      continue;
    }
    args.positional.push_back(Eval(a));
    args.positional_sources.push_back(SourceText(a));
    args.positional_item_sources.push_back(item_sources(a));
  }
  for (const Keyword& k : e.keywords) {
    if (!k.name.empty()) {
      args.keywords.emplace_back(k.name, Eval(*k.value));
      args.keyword_sources.push_back(SourceText(*k.value));
      args.keyword_item_sources.push_back(item_sources(*k.value));
      continue;
    }
    Value m = Eval(*k.value);
    if (m.kind() != VK::kDict) {
      RaiseTypeError(FunctionStr(fn) +
                     " argument after ** must be a mapping, not " +
                     m.TypeName());
    }
    for (const auto& [key, v] : DictItems(m.dict_items())) {
      if (key.kind() != VK::kStr) RaiseTypeError("keywords must be strings");
      for (const auto& [name, _] : args.keywords) {
        if (name == key.as_str()) {
          RaiseTypeError(FunctionStr(fn) +
                         " got multiple values for keyword argument '" + name +
                         "'");
        }
      }
      args.keywords.emplace_back(key.as_str(), v);
      args.keyword_sources.emplace_back();
      args.keyword_item_sources.emplace_back();
    }
  }
  return CallValue(fn, args);
}

Value Interpreter::CallValue(const Value& callee, const CallArgs& args) {
  Step();
  if (callee.kind() == VK::kObject) {
    if (auto* c = dynamic_cast<Callable*>(callee.as_object().get())) {
      // Hold a reference: the call may rebind the name that held it.
      std::shared_ptr<Object> keep = callee.as_object();
      return c->Call(ctx_, args);
    }
  }
  if (callee.is_tensor()) {
    RaiseTypeError(
        "'tensorflow.python.framework.ops.EagerTensor' object is not callable");
  }
  RaiseTypeError("'" + callee.TypeName() + "' object is not callable");
}

Value Interpreter::EvalAttribute(const Expr& e) {
  return AttributeOf(Eval(*e.elts[0]), e.name);
}

Value Interpreter::AttributeOf(const Value& v, const std::string& name) {
  // obj.__class__ is type(obj) for every value but a program's own
  // instances, whose lookup answers it.
  if (name == "__class__" && !AsInstance(v)) return TypeOf(v);
  if (AsInstance(v) || AsClass(v)) {
    if (std::optional<Value> a = LookupAttribute(v, name)) return *a;
    RaiseText(ErrorClass::kAttributeError, NoAttributeText(v, name));
  }
  if (v.is_tensor()) {
    if (std::optional<Value> a = FrameworkOf(ctx_).Attribute(v, name, ctx_))
      return *a;
    // A layer weight is a Variable ('Variable', 'ResourceVariable').
    const std::string type =
        v.variable() ? v.TypeName()
                     : "tensorflow.python.framework.ops.EagerTensor";
    RaiseText(ErrorClass::kAttributeError,
              "'" + type + "' object has no attribute '" + name + "'");
  }
  if (v.kind() == VK::kObject) {
    const Object& obj = *v.as_object();
    if (std::optional<Value> a = obj.GetAttr(name)) return *a;
    if (std::optional<Value> a = PlainAttribute(v, name)) return *a;
    if (obj.TypeName() == "module") {
      RaiseText(ErrorClass::kNotSupportedError,
                "module '" + ModuleName(obj) + "' has no attribute '" + name +
                    "' in the playground (it may exist in TensorFlow but is "
                    "not modelled)");
    }
    Error err;
    err.cls = ErrorClass::kAttributeError;
    err.text =
        "'" + obj.TypeName() + "' object has no attribute '" + name + "'";
    Raise(err);
  }
  if (std::optional<Value> a = PlainAttribute(v, name)) return *a;
  RaiseText(ErrorClass::kAttributeError,
            "'" + v.TypeName() + "' object has no attribute '" + name + "'");
}

Value Interpreter::EvalSubscript(const Expr& e) {
  Value c = Eval(*e.elts[0]);
  Value index = EvalIndex(*e.elts[1]);
  return GetItem(ctx_, c, index);
}

Value Interpreter::EvalIndex(const Expr& e) {
  if (e.kind == K::kSlice) {
    auto part = [&](const ExprPtr& p) { return p ? Eval(*p) : Value::None(); };
    return Value::FromObject(std::make_shared<SliceObject>(
        part(e.elts[0]), part(e.elts[1]), part(e.elts[2])));
  }
  if (e.kind == K::kTuple) {
    ValueList items;
    for (const ExprPtr& x : e.elts) items.push_back(EvalIndex(*x));
    return Value::Tuple(std::move(items));
  }
  return Eval(e);
}

Value Interpreter::EvalFString(const Expr& e) {
  return Value::Str(EvalFStringParts(e.fstring));
}

std::string Interpreter::EvalFStringParts(
    const std::vector<FStringPart>& parts) {
  std::string out;
  for (const FStringPart& p : parts) {
    if (!p.value) {
      out += p.literal;
      continue;
    }
    out += p.debug_text;
    Value v = Eval(*p.value);
    if (p.conversion == 'r' || p.conversion == 'a') {
      v = Value::Str(PyRepr(v));
    } else if (p.conversion == 's') {
      v = Value::Str(PyStr(v));
    }
    const std::string spec = EvalFStringParts(p.spec);
    out += FormatValue(ctx_, v, spec);
    CheckLength(static_cast<int64_t>(out.size()), "f-string");
  }
  return out;
}

Value Interpreter::EvalComprehension(const Expr& e) {
  Value first = Eval(*e.generators[0].iter);
  Frame frame;
  frame.locals = std::make_shared<Scope>();
  if (!frames_.empty()) {
    frame.enclosing.push_back(frames_.back().locals);
    frame.enclosing.insert(frame.enclosing.end(),
                           frames_.back().enclosing.begin(),
                           frames_.back().enclosing.end());
  }
  frames_.push_back(std::move(frame));
  struct Pop {
    std::vector<Frame>& frames;
    ~Pop() { frames.pop_back(); }
  } pop{frames_};
  if (e.kind == K::kListComp) {
    ValueList out;
    RunComprehension(e, 0, first, [&] {
      out.push_back(Eval(*e.elts[0]));
      CheckNesting(ctx_, out.back());
      CheckLength(static_cast<int64_t>(out.size()), "list comprehension");
    });
    return Value::List(std::move(out));
  }
  Value dict = Value::Dict({});
  RunComprehension(e, 0, first, [&] {
    Value k = Eval(*e.elts[0]);
    Value v = Eval(*e.elts[1]);
    SetItem(ctx_, dict, k, v);
  });
  return dict;
}

void Interpreter::RunComprehension(const Expr& e, size_t level,
                                   const Value& first,
                                   FunctionRef<void()> emit) {
  const Comprehension& gen = e.generators[level];
  Value iterable = level == 0 ? first : Eval(*gen.iter);
  Iterate(ctx_, iterable, [&](const Value& item) {
    Step();
    Assign(*gen.target, item);
    for (const ExprPtr& cond : gen.conditions) {
      if (!IsTrue(ctx_, Eval(*cond))) return true;
    }
    if (level + 1 == e.generators.size()) {
      emit();
    } else {
      RunComprehension(e, level + 1, first, emit);
    }
    return true;
  });
}

}  // namespace ap::py
