#include "parser.h"

#include <algorithm>
#include <utility>

#include "slice.h"

namespace ap::py {

namespace {

using K = Expr::Kind;
using SK = Stmt::Kind;

// Maps byte offsets to 1-based line/column (for f-string fields).
class LineTable {
 public:
  explicit LineTable(std::string_view src) {
    starts_.push_back(0);
    for (size_t i = 0; i < src.size(); ++i) {
      if (src[i] == '\n') starts_.push_back(i + 1);
    }
  }
  std::pair<int, int> At(size_t offset) const {
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    const size_t line = static_cast<size_t>(it - starts_.begin());
    return {static_cast<int>(line),
            static_cast<int>(offset - starts_[line - 1]) + 1};
  }

 private:
  std::vector<size_t> starts_;
};

struct Shared {
  std::string_view src;
  ParserLimits limits;
  LineTable lines;
  int depth = 0;
};

class Parser {
 public:
  Parser(std::vector<Token> tokens, Shared& shared)
      : toks_(std::move(tokens)), sh_(shared) {}

  StmtList ParseFile() {
    StmtList body;
    while (!Peek().type_is(TokenType::kEnd)) {
      ParseStatementInto(body);
    }
    return body;
  }

  // An f-string field: the whole fragment must be one expression list.
  ExprPtr ParseFragmentExpression() {
    if (Cur().type == TokenType::kEnd) {
      Fail("f-string: valid expression required before '}'");
    }
    ExprPtr e = ParseTestList();
    if (Cur().type != TokenType::kEnd) FailInvalid();
    return e;
  }

 private:
  // ----- token access -----
  struct TokenView {
    const Token& t;
    bool type_is(TokenType ty) const { return t.type == ty; }
  };
  TokenView Peek() const { return TokenView{toks_[pos_]}; }
  const Token& Cur() const { return toks_[pos_]; }
  const Token& Ahead(size_t n) const {
    return toks_[std::min(pos_ + n, toks_.size() - 1)];
  }
  const Token& Prev() const { return toks_[pos_ > 0 ? pos_ - 1 : 0]; }
  const Token& Advance() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool AtOp(const char* s) const { return Cur().IsOp(s); }
  bool AtKw(const char* s) const { return Cur().IsKeyword(s); }
  bool AcceptOp(const char* s) {
    if (!AtOp(s)) return false;
    Advance();
    return true;
  }
  bool AcceptKw(const char* s) {
    if (!AtKw(s)) return false;
    Advance();
    return true;
  }
  void ExpectOp(const char* s) {
    if (!AcceptOp(s)) {
      if (std::string(s) == ":") FailAt("expected ':'", ColonErrorToken());
      FailInvalid();
    }
  }
  // CPython reports a missing ':' at the end of the header.
  const Token& ColonErrorToken() const {
    if (Cur().type == TokenType::kNewline) return Cur();
    return Cur();
  }

  [[noreturn]] void Fail(const std::string& msg) { FailAt(msg, Cur()); }
  [[noreturn]] void FailAt(const std::string& msg, const Token& t) {
    RaiseSourceError(ErrorClass::kSyntaxError, msg, t.line, t.col);
  }
  [[noreturn]] void FailInvalid() {
    const Token& t = Cur();
    if (t.type == TokenType::kIndent) FailAt("unexpected indent", t);
    if (t.type == TokenType::kEnd || t.type == TokenType::kDedent) {
      FailAt("invalid syntax", t);
    }
    FailAt("invalid syntax", t);
  }
  [[noreturn]] void NotSupported(const std::string& what, const Token& t) {
    RaiseSourceError(ErrorClass::kNotSupportedError,
                     "not supported by the playground: " + what + " (line " +
                         std::to_string(t.line) + ")",
                     t.line, t.col);
  }

  class DepthGuard {
   public:
    DepthGuard(Parser& p, const char* what) : p_(p) {
      if (++p_.sh_.depth > p_.sh_.limits.max_nesting) {
        p_.Fail(std::string(what) + " nested too deeply (more than " +
                std::to_string(p_.sh_.limits.max_nesting) +
                " levels of brackets, blocks and operators)");
      }
    }
    ~DepthGuard() { --p_.sh_.depth; }

   private:
    Parser& p_;
  };

  // ----- node helpers -----
  static Span SpanOf(const Token& t) {
    Span s;
    s.line = t.line;
    s.col = t.col;
    s.begin = t.begin;
    return s;
  }
  void Close(Span& s) const {
    const Token& last = Prev();
    s.end_line = last.end_line;
    s.end_col = last.end_col;
    s.end = std::max(last.end, s.begin);
  }
  ExprPtr NewExpr(K kind, const Token& start) {
    auto e = std::make_unique<Expr>(kind);
    e->span = SpanOf(start);
    return e;
  }
  ExprPtr NewExprAt(K kind, const Span& start) {
    auto e = std::make_unique<Expr>(kind);
    e->span = start;
    return e;
  }
  StmtPtr NewStmt(SK kind, const Token& start) {
    auto s = std::make_unique<Stmt>(kind);
    s->span = SpanOf(start);
    return s;
  }

  // ----- statements -----
  void ParseStatementInto(StmtList& out) {
    const Token& t = Cur();
    if (t.type == TokenType::kIndent) FailAt("unexpected indent", t);
    if (t.type == TokenType::kNewline) {
      Advance();
      return;
    }
    if (t.type == TokenType::kKeyword) {
      const std::string& k = t.text;
      if (k == "if") return out.push_back(ParseIf());
      if (k == "while") return out.push_back(ParseWhile());
      if (k == "for") return out.push_back(ParseFor());
      if (k == "try") return out.push_back(ParseTry());
      if (k == "def") return out.push_back(ParseDef());
      if (k == "class") return out.push_back(ParseClass());
      if (k == "with") return out.push_back(ParseWith());
      if (k == "async") NotSupported("async code", t);
      if (k == "elif" || k == "else" || k == "except" || k == "finally") {
        FailInvalid();
      }
    }
    if (t.IsOp("@")) return out.push_back(ParseDecorated());
    ParseSimpleStatements(out);
  }

  void ParseSimpleStatements(StmtList& out) {
    while (true) {
      out.push_back(ParseSmallStatement());
      if (AcceptOp(";")) {
        if (Cur().type == TokenType::kNewline) break;
        continue;
      }
      break;
    }
    if (Cur().type != TokenType::kNewline) {
      if (Cur().type == TokenType::kEnd) return;
      FailInvalid();
    }
    Advance();
  }

  StmtPtr ParseSmallStatement() {
    const Token& t = Cur();
    if (t.type == TokenType::kKeyword) {
      const std::string& k = t.text;
      if (k == "pass") return Simple(SK::kPass);
      if (k == "break") {
        if (loop_depth_ == 0) FailAt("'break' outside loop", t);
        return Simple(SK::kBreak);
      }
      if (k == "continue") {
        if (loop_depth_ == 0) FailAt("'continue' not properly in loop", t);
        return Simple(SK::kContinue);
      }
      if (k == "return") return ParseReturn();
      if (k == "raise") return ParseRaise();
      if (k == "import") return ParseImport();
      if (k == "from") return ParseFromImport();
      if (k == "assert") return ParseAssert();
      if (k == "del") return ParseDel();
      if (k == "global") return ParseGlobal();
      if (k == "nonlocal") NotSupported("'nonlocal' statements", t);
      if (k == "yield") NotSupported("generators ('yield')", t);
    }
    if (t.type == TokenType::kName && t.text == "print" &&
        (Ahead(1).type == TokenType::kString ||
         Ahead(1).type == TokenType::kFString ||
         Ahead(1).type == TokenType::kName ||
         Ahead(1).type == TokenType::kInt)) {
      FailAt("Missing parentheses in call to 'print'. Did you mean print(...)?",
             t);
    }
    return ParseExpressionStatement();
  }

  StmtPtr Simple(SK kind) {
    StmtPtr s = NewStmt(kind, Advance());
    Close(s->span);
    return s;
  }

  StmtPtr ParseReturn() {
    const Token& t = Advance();
    if (function_depth_ == 0) FailAt("'return' outside function", t);
    StmtPtr s = NewStmt(SK::kReturn, t);
    if (!AtStatementEnd()) s->value = ParseTestList();
    Close(s->span);
    return s;
  }

  bool AtStatementEnd() const {
    return Cur().type == TokenType::kNewline || Cur().type == TokenType::kEnd ||
           AtOp(";");
  }

  StmtPtr ParseRaise() {
    StmtPtr s = NewStmt(SK::kRaise, Advance());
    if (!AtStatementEnd()) {
      s->value = ParseTest();
      if (AcceptKw("from")) s->cause = ParseTest();
    }
    Close(s->span);
    return s;
  }

  std::string ParseDottedName() {
    if (Cur().type != TokenType::kName) FailInvalid();
    std::string name = Advance().text;
    while (AtOp(".")) {
      Advance();
      if (Cur().type != TokenType::kName) FailInvalid();
      name += "." + Advance().text;
    }
    return name;
  }

  StmtPtr ParseImport() {
    StmtPtr s = NewStmt(SK::kImport, Advance());
    while (true) {
      ImportAlias a;
      a.name = ParseDottedName();
      if (AcceptKw("as")) {
        if (Cur().type != TokenType::kName) FailInvalid();
        a.asname = Advance().text;
      }
      s->aliases.push_back(std::move(a));
      if (!AcceptOp(",")) break;
    }
    Close(s->span);
    return s;
  }

  StmtPtr ParseFromImport() {
    const Token& t = Advance();
    StmtPtr s = NewStmt(SK::kFromImport, t);
    if (AtOp(".") || AtOp("...")) NotSupported("relative imports", t);
    s->module = ParseDottedName();
    if (!AcceptKw("import")) FailInvalid();
    if (AtOp("*")) NotSupported("'from ... import *'", Cur());
    const bool paren = AcceptOp("(");
    while (true) {
      ImportAlias a;
      if (Cur().type != TokenType::kName) FailInvalid();
      a.name = Advance().text;
      if (AcceptKw("as")) {
        if (Cur().type != TokenType::kName) FailInvalid();
        a.asname = Advance().text;
      }
      s->aliases.push_back(std::move(a));
      if (!AcceptOp(",")) break;
      if (paren && AtOp(")")) break;
    }
    if (paren) ExpectOp(")");
    Close(s->span);
    return s;
  }

  StmtPtr ParseAssert() {
    StmtPtr s = NewStmt(SK::kAssert, Advance());
    s->value = ParseTest();
    if (AcceptOp(",")) s->cause = ParseTest();
    Close(s->span);
    return s;
  }

  StmtPtr ParseDel() {
    StmtPtr s = NewStmt(SK::kDel, Advance());
    while (true) {
      ExprPtr target = ParseBitOr();
      if (target->kind != K::kName && target->kind != K::kSubscript &&
          target->kind != K::kTuple && target->kind != K::kList &&
          target->kind != K::kAttribute) {
        RaiseSourceError(ErrorClass::kSyntaxError,
                         "cannot delete " + Describe(*target),
                         target->span.line, target->span.col);
      }
      s->targets.push_back(std::move(target));
      if (!AcceptOp(",")) break;
      if (AtStatementEnd()) break;
    }
    Close(s->span);
    return s;
  }

  StmtPtr ParseGlobal() {
    StmtPtr s = NewStmt(SK::kGlobal, Advance());
    while (true) {
      if (Cur().type != TokenType::kName) FailInvalid();
      s->names.push_back(Advance().text);
      if (!AcceptOp(",")) break;
    }
    Close(s->span);
    return s;
  }

  static bool IsAugOp(const Token& t) {
    static const char* const ops[] = {
        "+=", "-=", "*=", "/=", "//=", "%=", "**=",
        "@=", "&=", "|=", "^=", "<<=", ">>="};
    if (t.type != TokenType::kOp) return false;
    for (const char* o : ops) {
      if (t.text == o) return true;
    }
    return false;
  }

  StmtPtr ParseExpressionStatement() {
    const Token& start = Cur();
    ExprPtr first = ParseTestListStar();
    if (first->kind == K::kStarred && !AtOp("=")) {
      FailAt("can't use starred expression here", start);
    }
    if (AtOp("=")) {
      StmtPtr s = NewStmt(SK::kAssign, start);
      std::vector<ExprPtr> chain;
      chain.push_back(std::move(first));
      while (AcceptOp("=")) {
        if (AtKw("yield")) NotSupported("generators ('yield')", Cur());
        chain.push_back(ParseTestListStar());
      }
      s->value = std::move(chain.back());
      chain.pop_back();
      if (s->value->kind == K::kStarred) {
        FailAt("can't use starred expression here", Prev());
      }
      for (ExprPtr& t : chain) {
        if (t->kind == K::kStarred) {
          RaiseSourceError(ErrorClass::kSyntaxError,
                           "starred assignment target must be in a list or "
                           "tuple",
                           t->span.line, t->span.col);
        }
        CheckTarget(*t, "=");
        s->targets.push_back(std::move(t));
      }
      Close(s->span);
      return s;
    }
    if (IsAugOp(Cur())) {
      const Token& op = Advance();
      if (first->kind != K::kName && first->kind != K::kAttribute &&
          first->kind != K::kSubscript) {
        RaiseSourceError(ErrorClass::kSyntaxError,
                         "'" + Describe(*first) +
                             "' is an illegal expression for augmented "
                             "assignment",
                         first->span.line, first->span.col);
      }
      StmtPtr s = NewStmt(SK::kAugAssign, start);
      s->op = op.text.substr(0, op.text.size() - 1);
      s->targets.push_back(std::move(first));
      s->value = ParseTestList();
      Close(s->span);
      return s;
    }
    if (AtOp(":")) {
      Advance();
      if (first->kind != K::kName && first->kind != K::kAttribute &&
          first->kind != K::kSubscript) {
        RaiseSourceError(ErrorClass::kSyntaxError,
                         "only single target (not " + Describe(*first) +
                             ") can be annotated",
                         first->span.line, first->span.col);
      }
      StmtPtr s = NewStmt(SK::kAnnAssign, start);
      ParseTest();  // the annotation is not evaluated by the playground
      if (AcceptOp("=")) s->value = ParseTestList();
      s->targets.push_back(std::move(first));
      Close(s->span);
      return s;
    }
    StmtPtr s = NewStmt(SK::kExpr, start);
    s->value = std::move(first);
    Close(s->span);
    return s;
  }

  // CPython's name for an expression in "cannot assign to ..." messages.
  static std::string Describe(const Expr& e) {
    switch (e.kind) {
      case K::kConstant: {
        if (e.constant.kind() == Value::Kind::kBool) {
          return e.constant.as_bool() ? "True" : "False";
        }
        if (e.constant.is_none()) return "None";
        if (e.constant.kind() == Value::Kind::kObject) return "ellipsis";
        return "literal";
      }
      case K::kFString:
        return "f-string expression";
      case K::kCall:
        return "function call";
      case K::kBinOp:
      case K::kUnaryOp:
        return "expression";
      case K::kBoolOp:
        return "expression";
      case K::kCompare:
        return "comparison";
      case K::kIfExp:
        return "conditional expression";
      case K::kDict:
        return "dict literal";
      case K::kListComp:
        return "list comprehension";
      case K::kDictComp:
        return "dict comprehension";
      case K::kTuple:
        return "tuple";
      case K::kList:
        return "list";
      default:
        return "expression";
    }
  }

  void CheckTarget(const Expr& e, const char* op) {
    switch (e.kind) {
      case K::kName:
      case K::kAttribute:
      case K::kSubscript:
        return;
      case K::kTuple:
      case K::kList: {
        int starred = 0;
        for (const ExprPtr& x : e.elts) {
          if (x->kind == K::kStarred) {
            if (++starred > 1) {
              RaiseSourceError(ErrorClass::kSyntaxError,
                               "multiple starred expressions in assignment",
                               x->span.line, x->span.col);
            }
            CheckTarget(*x->elts[0], "nested");
            continue;
          }
          CheckTarget(*x, "nested");
        }
        return;
      }
      default: {
        std::string msg = "cannot assign to " + Describe(e);
        const bool literalish = e.kind == K::kConstant &&
                                e.constant.kind() != Value::Kind::kBool &&
                                !e.constant.is_none();
        if (std::string(op) == "=" &&
            (literalish || e.kind == K::kCall || e.kind == K::kBinOp ||
             e.kind == K::kUnaryOp || e.kind == K::kBoolOp)) {
          msg += " here. Maybe you meant '==' instead of '='?";
        }
        RaiseSourceError(ErrorClass::kSyntaxError, msg, e.span.line,
                         e.span.col);
      }
    }
  }

  // `what` names the header for "expected an indented block after ...".
  StmtList ParseBlock(const std::string& what, int header_line) {
    DepthGuard guard(*this, "blocks");
    ExpectOp(":");
    StmtList body;
    if (Cur().type != TokenType::kNewline) {
      if (Cur().type == TokenType::kEnd) FailInvalid();
      ParseSimpleStatements(body);
      return body;
    }
    Advance();
    if (Cur().type != TokenType::kIndent) {
      FailAt("expected an indented block after " + what + " on line " +
                 std::to_string(header_line),
             Cur());
    }
    Advance();
    while (Cur().type != TokenType::kDedent && Cur().type != TokenType::kEnd) {
      ParseStatementInto(body);
    }
    if (Cur().type == TokenType::kDedent) Advance();
    return body;
  }

  StmtPtr ParseIf() {
    const Token& t = Advance();  // if / elif
    const bool is_elif = t.text == "elif";
    StmtPtr s = NewStmt(SK::kIf, t);
    s->value = ParseNamedTest();
    s->span.end_line = Prev().end_line;
    s->span.end_col = Prev().end_col;
    s->span.end = Prev().end;
    s->body =
        ParseBlock(is_elif ? "'elif' statement" : "'if' statement", t.line);
    if (AtKw("elif")) {
      s->orelse.push_back(ParseIf());
    } else if (AtKw("else")) {
      const Token& e = Advance();
      s->orelse = ParseBlock("'else' statement", e.line);
    }
    return s;
  }

  StmtPtr ParseWhile() {
    const Token& t = Advance();
    StmtPtr s = NewStmt(SK::kWhile, t);
    s->value = ParseNamedTest();
    Close(s->span);
    ++loop_depth_;
    s->body = ParseBlock("'while' statement", t.line);
    --loop_depth_;
    if (AtKw("else")) {
      const Token& e = Advance();
      s->orelse = ParseBlock("'else' statement", e.line);
    }
    return s;
  }

  ExprPtr ParseTargetList() {
    const Token& start = Cur();
    std::vector<ExprPtr> elts;
    bool comma = false;
    while (true) {
      elts.push_back(AtOp("*") ? ParseStarred() : ParseBitOr());
      if (!AtOp(",")) break;
      Advance();
      comma = true;
      if (AtKw("in") || AtOp("=")) break;
    }
    ExprPtr target;
    if (!comma) {
      target = std::move(elts[0]);
    } else {
      target = NewExpr(K::kTuple, start);
      target->elts = std::move(elts);
      Close(target->span);
    }
    CheckTarget(*target, "for");
    return target;
  }

  StmtPtr ParseFor() {
    const Token& t = Advance();
    StmtPtr s = NewStmt(SK::kFor, t);
    s->targets.push_back(ParseTargetList());
    if (!AcceptKw("in")) Fail("invalid syntax");
    s->value = ParseTestList();
    Close(s->span);
    ++loop_depth_;
    s->body = ParseBlock("'for' statement", t.line);
    --loop_depth_;
    if (AtKw("else")) {
      const Token& e = Advance();
      s->orelse = ParseBlock("'else' statement", e.line);
    }
    return s;
  }

  StmtPtr ParseTry() {
    const Token& t = Advance();
    StmtPtr s = NewStmt(SK::kTry, t);
    Close(s->span);
    s->body = ParseBlock("'try' statement", t.line);
    bool saw_bare = false;
    while (AtKw("except")) {
      const Token& e = Advance();
      if (saw_bare) FailAt("default 'except:' must be last", e);
      if (AtOp("*")) NotSupported("'except*'", e);
      ExceptHandler h;
      h.span = SpanOf(e);
      if (!AtOp(":")) {
        h.type = ParseTest();
        if (AtOp(",")) {
          FailAt("multiple exception types must be parenthesized", Cur());
        }
        if (AcceptKw("as")) {
          if (Cur().type != TokenType::kName) FailInvalid();
          h.name = Advance().text;
        }
      } else {
        saw_bare = true;
      }
      Close(h.span);
      h.body = ParseBlock("'except' statement", e.line);
      s->handlers.push_back(std::move(h));
    }
    if (AtKw("else")) {
      const Token& e = Advance();
      if (s->handlers.empty()) FailInvalid();
      s->orelse = ParseBlock("'else' statement", e.line);
    }
    if (AtKw("finally")) {
      const Token& e = Advance();
      s->finalbody = ParseBlock("'finally' statement", e.line);
    }
    if (s->handlers.empty() && s->finalbody.empty()) {
      Fail("expected 'except' or 'finally' block");
    }
    return s;
  }

  StmtPtr ParseDef() {
    const Token& t = Advance();
    StmtPtr s = NewStmt(SK::kDef, t);
    if (Cur().type != TokenType::kName) FailInvalid();
    s->name = Advance().text;
    if (AtOp("[")) NotSupported("generic type parameters", Cur());
    ExpectOp("(");
    ParseParameters(*s, ")", true);
    ExpectOp(")");
    if (AcceptOp("->")) ParseTest();
    Close(s->span);
    const int saved_loops = loop_depth_;
    loop_depth_ = 0;
    ++function_depth_;
    s->body = ParseBlock("function definition", t.line);
    --function_depth_;
    loop_depth_ = saved_loops;
    for (const ParamSpec& p : s->params) s->locals.insert(p.name);
    CollectLocals(s->body, *s);
    for (const std::string& g : s->globals) s->locals.erase(g);
    return s;
  }

  // The parameter list of a def (up to `close`) or a lambda (up to ':'):
  // positional parameters, `*args` or a bare `*`, keyword-only parameters,
  // `**kwargs`; annotations only in a def.
  void ParseParameters(Stmt& s, const char* close, bool annotations) {
    bool saw_default = false, saw_star = false, saw_kwargs = false;
    while (!AtOp(close)) {
      if (saw_kwargs)
        FailAt("arguments cannot follow var-keyword argument", Cur());
      if (AtOp("/")) NotSupported("positional-only parameters", Cur());
      ParamSpec p;
      const Token& star_tok = Cur();
      if (AcceptOp("*")) {
        if (saw_star) FailAt("* argument may appear only once", star_tok);
        saw_star = true;
        if (AtOp(",") || AtOp(close)) {  // bare `*`: keyword-only follow
          if (AtOp(close) || Ahead(1).IsOp(close) || Ahead(1).IsOp("**")) {
            FailAt("named arguments must follow bare *", star_tok);
          }
          AcceptOp(",");
          continue;
        }
        p.kind = ParamSpec::Kind::kVarPositional;
      } else if (AcceptOp("**")) {
        p.kind = ParamSpec::Kind::kVarKeyword;
        saw_kwargs = true;
      } else if (saw_star) {
        p.kind = ParamSpec::Kind::kKeywordOnly;
      }
      if (Cur().type != TokenType::kName) FailInvalid();
      const Token& name_tok = Advance();
      p.name = name_tok.text;
      for (const ParamSpec& q : s.params) {
        if (q.name == p.name) {
          FailAt("duplicate argument '" + p.name + "' in function definition",
                 name_tok);
        }
      }
      if (annotations && AcceptOp(":")) ParseTest();  // annotation, ignored
      const bool variadic = p.kind == ParamSpec::Kind::kVarPositional ||
                            p.kind == ParamSpec::Kind::kVarKeyword;
      if (!variadic && AcceptOp("=")) {
        p.default_value = ParseTest();
        if (p.kind == ParamSpec::Kind::kPositional) saw_default = true;
      } else if (saw_default && p.kind == ParamSpec::Kind::kPositional) {
        FailAt("non-default argument follows default argument", name_tok);
      }
      s.params.push_back(std::move(p));
      if (!AcceptOp(",")) break;
    }
  }

  // `class Name(bases, keyword=value): body`. The body is the class's own
  // namespace: its names are not locals of an enclosing function.
  StmtPtr ParseClass() {
    const Token& t = Advance();
    StmtPtr s = NewStmt(SK::kClass, t);
    if (Cur().type != TokenType::kName) FailInvalid();
    s->name = Advance().text;
    if (AtOp("[")) NotSupported("generic type parameters", Cur());
    if (AcceptOp("(")) {
      while (!AtOp(")")) {
        if (AtOp("**")) NotSupported("class keyword unpacking ('**')", Cur());
        if (Cur().type == TokenType::kName && Ahead(1).IsOp("=")) {
          Keyword kw;
          kw.name = Advance().text;
          Advance();
          kw.value = ParseTest();
          s->keywords.push_back(std::move(kw));
        } else {
          s->bases.push_back(AtOp("*") ? ParseStarred() : ParseTest());
        }
        if (!AcceptOp(",")) break;
      }
      ExpectOp(")");
    }
    Close(s->span);
    const int saved_loops = loop_depth_, saved_functions = function_depth_;
    loop_depth_ = 0;
    function_depth_ = 0;
    s->body = ParseBlock("class definition", t.line);
    loop_depth_ = saved_loops;
    function_depth_ = saved_functions;
    return s;
  }

  // `with a as x, b:` (each item's __enter__ in order, __exit__ in reverse).
  StmtPtr ParseWith() {
    const Token& t = Advance();
    StmtPtr s = NewStmt(SK::kWith, t);
    while (true) {
      WithItem item;
      item.context = ParseTest();
      if (AcceptKw("as")) {
        item.target = ParseBitOr();
        CheckTarget(*item.target, "with");
      }
      s->with_items.push_back(std::move(item));
      if (!AcceptOp(",")) break;
    }
    Close(s->span);
    s->body = ParseBlock("'with' statement", t.line);
    return s;
  }

  // `@decorator` lines, then the def or class they decorate.
  StmtPtr ParseDecorated() {
    std::vector<ExprPtr> decorators;
    while (AtOp("@")) {
      Advance();
      decorators.push_back(ParseNamedTest());
      if (Cur().type != TokenType::kNewline) FailInvalid();
      Advance();
    }
    StmtPtr s;
    if (AtKw("def")) {
      s = ParseDef();
    } else if (AtKw("class")) {
      s = ParseClass();
    } else {
      FailInvalid();
    }
    s->decorators = std::move(decorators);
    return s;
  }

  static void CollectTargetNames(const Expr& e, std::set<std::string>& out) {
    if (e.kind == K::kName) out.insert(e.name);
    if (e.kind == K::kStarred) CollectTargetNames(*e.elts[0], out);
    if (e.kind == K::kTuple || e.kind == K::kList) {
      for (const ExprPtr& x : e.elts) CollectTargetNames(*x, out);
    }
  }

  static void CollectLocals(const StmtList& body, Stmt& def) {
    for (const StmtPtr& sp : body) {
      const Stmt& s = *sp;
      switch (s.kind) {
        case SK::kAssign:
        case SK::kAugAssign:
        case SK::kAnnAssign:
        case SK::kFor:
        case SK::kDel:
          for (const ExprPtr& t : s.targets) CollectTargetNames(*t, def.locals);
          break;
        case SK::kDef:
        case SK::kClass:
          def.locals.insert(s.name);
          break;
        case SK::kWith:
          for (const WithItem& w : s.with_items) {
            if (w.target) CollectTargetNames(*w.target, def.locals);
          }
          break;
        case SK::kImport:
          for (const ImportAlias& a : s.aliases) {
            def.locals.insert(!a.asname.empty()
                                  ? a.asname
                                  : a.name.substr(0, a.name.find('.')));
          }
          break;
        case SK::kFromImport:
          for (const ImportAlias& a : s.aliases) {
            def.locals.insert(a.asname.empty() ? a.name : a.asname);
          }
          break;
        case SK::kGlobal:
          for (const std::string& n : s.names) def.globals.insert(n);
          break;
        default:
          break;
      }
      // Their bodies are their own scopes.
      if (s.kind == SK::kDef || s.kind == SK::kClass) continue;
      CollectLocals(s.body, def);
      CollectLocals(s.orelse, def);
      CollectLocals(s.finalbody, def);
      for (const ExceptHandler& h : s.handlers) {
        if (!h.name.empty()) def.locals.insert(h.name);
        CollectLocals(h.body, def);
      }
    }
  }

  // ----- expressions -----
  // testlist_star_expr: test (',' test)* [','] — a tuple if there is a comma.
  ExprPtr ParseTestListStar() { return ParseTestList(); }

  // `*value` in a display, a call or an assignment target.
  ExprPtr ParseStarred() {
    const Token& star = Advance();
    ExprPtr e = NewExpr(K::kStarred, star);
    e->elts.push_back(ParseBitOr());
    Close(e->span);
    return e;
  }
  ExprPtr ParseStarOrNamedTest() {
    return AtOp("*") ? ParseStarred() : ParseNamedTest();
  }

  ExprPtr ParseTestList() {
    const Token& start = Cur();
    ExprPtr first = ParseStarOrNamedTest();
    if (!AtOp(",")) return first;
    ExprPtr tuple = NewExpr(K::kTuple, start);
    tuple->elts.push_back(std::move(first));
    while (AcceptOp(",")) {
      if (!StartsExpression()) break;
      tuple->elts.push_back(ParseStarOrNamedTest());
    }
    Close(tuple->span);
    return tuple;
  }

  bool StartsExpression() const {
    const Token& t = Cur();
    switch (t.type) {
      case TokenType::kName:
      case TokenType::kInt:
      case TokenType::kFloat:
      case TokenType::kString:
      case TokenType::kFString:
        return true;
      case TokenType::kKeyword:
        return t.text == "True" || t.text == "False" || t.text == "None" ||
               t.text == "not" || t.text == "lambda" || t.text == "await";
      case TokenType::kOp:
        return t.text == "(" || t.text == "[" || t.text == "{" ||
               t.text == "-" || t.text == "+" || t.text == "~" ||
               t.text == "..." || t.text == "*";
      default:
        return false;
    }
  }

  ExprPtr ParseNamedTest() {
    ExprPtr e = ParseTest();
    if (AtOp(":=")) NotSupported("assignment expressions (':=')", Cur());
    return e;
  }

  // `lambda params: body` as a def named <lambda> that returns its body.
  ExprPtr ParseLambda() {
    const Token& t = Advance();
    ExprPtr e = NewExpr(K::kLambda, t);
    auto def = std::make_shared<Stmt>(SK::kDef);
    def->span = SpanOf(t);
    def->name = "<lambda>";
    ParseParameters(*def, ":", false);
    ExpectOp(":");
    const int saved_loops = loop_depth_;
    loop_depth_ = 0;
    auto ret = std::make_unique<Stmt>(SK::kReturn);
    ret->span = SpanOf(Cur());
    ret->value = ParseTest();
    Close(ret->span);
    loop_depth_ = saved_loops;
    Close(def->span);
    def->body.push_back(std::move(ret));
    for (const ParamSpec& p : def->params) def->locals.insert(p.name);
    e->lambda_def = std::move(def);
    Close(e->span);
    return e;
  }

  ExprPtr ParseTest() {
    DepthGuard guard(*this, "expressions");
    if (AtKw("lambda")) return ParseLambda();
    const Token& start = Cur();
    ExprPtr body = ParseOr();
    if (!AtKw("if")) return body;
    Advance();
    ExprPtr test = ParseOr();
    if (!AcceptKw("else")) Fail("expected 'else' after 'if' expression");
    ExprPtr orelse = ParseTest();
    ExprPtr e = NewExpr(K::kIfExp, start);
    e->elts.push_back(std::move(test));
    e->elts.push_back(std::move(body));
    e->elts.push_back(std::move(orelse));
    Close(e->span);
    return e;
  }

  ExprPtr ParseBoolChain(const char* op, ExprPtr (Parser::*next)()) {
    const Token& start = Cur();
    ExprPtr first = (this->*next)();
    if (!AtKw(op)) return first;
    ExprPtr e = NewExpr(K::kBoolOp, start);
    e->name = op;
    e->elts.push_back(std::move(first));
    while (AcceptKw(op)) e->elts.push_back((this->*next)());
    Close(e->span);
    return e;
  }
  ExprPtr ParseOr() { return ParseBoolChain("or", &Parser::ParseAnd); }
  ExprPtr ParseAnd() { return ParseBoolChain("and", &Parser::ParseNot); }

  ExprPtr ParseNot() {
    if (!AtKw("not")) return ParseComparison();
    DepthGuard guard(*this, "expressions");
    const Token& t = Advance();
    ExprPtr e = NewExpr(K::kUnaryOp, t);
    e->name = "not";
    e->elts.push_back(ParseNot());
    Close(e->span);
    return e;
  }

  // Returns the comparison operator at the cursor (consuming it) or "".
  std::string AcceptCompareOp() {
    const Token& t = Cur();
    if (t.type == TokenType::kOp) {
      static const char* const ops[] = {"<", ">", "==", ">=", "<=", "!="};
      for (const char* o : ops) {
        if (t.text == o) {
          Advance();
          return o;
        }
      }
      if (t.text == "!") Fail("invalid syntax");
      return "";
    }
    if (t.IsKeyword("in")) {
      Advance();
      return "in";
    }
    if (t.IsKeyword("not") && Ahead(1).IsKeyword("in")) {
      Advance();
      Advance();
      return "not in";
    }
    if (t.IsKeyword("is")) {
      Advance();
      if (AcceptKw("not")) return "is not";
      return "is";
    }
    return "";
  }

  ExprPtr ParseComparison() {
    const Token& start = Cur();
    ExprPtr first = ParseBitOr();
    std::string op = AcceptCompareOp();
    if (op.empty()) return first;
    ExprPtr e = NewExpr(K::kCompare, start);
    e->elts.push_back(std::move(first));
    while (!op.empty()) {
      e->ops.push_back(op);
      e->elts.push_back(ParseBitOr());
      op = AcceptCompareOp();
    }
    Close(e->span);
    return e;
  }

  ExprPtr ParseBinary(std::initializer_list<const char*> ops,
                      ExprPtr (Parser::*next)()) {
    const Token& start = Cur();
    ExprPtr left = (this->*next)();
    while (true) {
      const char* found = nullptr;
      for (const char* o : ops) {
        if (AtOp(o)) found = o;
      }
      if (!found) return left;
      Advance();
      ExprPtr right = (this->*next)();
      ExprPtr e = NewExpr(K::kBinOp, start);
      e->name = found;
      e->elts.push_back(std::move(left));
      e->elts.push_back(std::move(right));
      Close(e->span);
      left = std::move(e);
    }
  }
  ExprPtr ParseBitOr() { return ParseBinary({"|"}, &Parser::ParseBitXor); }
  ExprPtr ParseBitXor() { return ParseBinary({"^"}, &Parser::ParseBitAnd); }
  ExprPtr ParseBitAnd() { return ParseBinary({"&"}, &Parser::ParseShift); }
  ExprPtr ParseShift() {
    return ParseBinary({"<<", ">>"}, &Parser::ParseArith);
  }
  ExprPtr ParseArith() { return ParseBinary({"+", "-"}, &Parser::ParseTerm); }
  ExprPtr ParseTerm() {
    return ParseBinary({"*", "/", "//", "%", "@"}, &Parser::ParseFactor);
  }

  ExprPtr ParseFactor() {
    if (AtOp("-") || AtOp("+") || AtOp("~")) {
      DepthGuard guard(*this, "expressions");
      const Token& t = Advance();
      ExprPtr e = NewExpr(K::kUnaryOp, t);
      e->name = t.text;
      e->elts.push_back(ParseFactor());
      Close(e->span);
      return e;
    }
    return ParsePower();
  }

  ExprPtr ParsePower() {
    const Token& start = Cur();
    if (AtKw("await")) NotSupported("'await'", Cur());
    ExprPtr base = ParsePrimary();
    if (!AtOp("**")) return base;
    DepthGuard guard(*this, "expressions");
    Advance();
    ExprPtr e = NewExpr(K::kBinOp, start);
    e->name = "**";
    e->elts.push_back(std::move(base));
    e->elts.push_back(ParseFactor());
    Close(e->span);
    return e;
  }

  ExprPtr ParsePrimary() {
    const Token& start = Cur();
    ExprPtr e = ParseAtom();
    while (true) {
      if (AtOp(".")) {
        Advance();
        if (Cur().type != TokenType::kName) {
          if (Cur().type == TokenType::kKeyword) FailInvalid();
          FailInvalid();
        }
        ExprPtr a = NewExpr(K::kAttribute, start);
        a->name = Advance().text;
        a->elts.push_back(std::move(e));
        Close(a->span);
        e = std::move(a);
      } else if (AtOp("(")) {
        e = ParseCall(std::move(e), start);
      } else if (AtOp("[")) {
        Advance();
        ExprPtr s = NewExpr(K::kSubscript, start);
        s->elts.push_back(std::move(e));
        s->elts.push_back(ParseSubscriptList());
        ExpectOp("]");
        Close(s->span);
        e = std::move(s);
      } else {
        return e;
      }
    }
  }

  ExprPtr ParseCall(ExprPtr func, const Token& start) {
    Advance();  // (
    ExprPtr call = NewExpr(K::kCall, start);
    call->elts.push_back(std::move(func));
    bool saw_kwargs_unpacking = false;
    while (!AtOp(")")) {
      if (AtOp("**")) {
        Advance();
        Keyword kw;  // empty name: **mapping
        kw.value = ParseTest();
        call->keywords.push_back(std::move(kw));
        saw_kwargs_unpacking = true;
        if (!AcceptOp(",")) break;
        continue;
      }
      if (AtOp("*")) {
        if (saw_kwargs_unpacking) {
          FailAt(
              "iterable argument unpacking follows keyword argument "
              "unpacking",
              Cur());
        }
        call->elts.push_back(ParseStarred());
        if (!AcceptOp(",")) break;
        continue;
      }
      if (Cur().type == TokenType::kName && Ahead(1).IsOp("=")) {
        Keyword kw;
        const Token& name_tok = Advance();
        kw.name = name_tok.text;
        Advance();
        for (const Keyword& k : call->keywords) {
          if (k.name == kw.name) {
            FailAt("keyword argument repeated: " + kw.name, name_tok);
          }
        }
        kw.value = ParseTest();
        call->keywords.push_back(std::move(kw));
      } else {
        const Token& arg_start = Cur();
        ExprPtr arg = ParseNamedTest();
        if (AtOp("=")) {
          FailAt(
              "expression cannot contain assignment, perhaps you meant "
              "\"==\"?",
              arg_start);
        }
        if (AtKw("for")) {
          // A generator expression as the only argument: sum(x for x in xs).
          ExprPtr comp = NewExpr(K::kListComp, arg_start);
          comp->elts.push_back(std::move(arg));
          ParseComprehensionClauses(*comp);
          Close(comp->span);
          arg = std::move(comp);
          if (call->elts.size() > 1 || !call->keywords.empty() || AtOp(",")) {
            if (!(AtOp(",") && Ahead(1).IsOp(")") && call->elts.size() == 1 &&
                  call->keywords.empty())) {
              FailAt("Generator expression must be parenthesized", arg_start);
            }
          }
        }
        if (saw_kwargs_unpacking) {
          FailAt("positional argument follows keyword argument unpacking",
                 arg_start);
        }
        if (!call->keywords.empty()) {
          FailAt("positional argument follows keyword argument", arg_start);
        }
        call->elts.push_back(std::move(arg));
      }
      if (!AcceptOp(",")) break;
    }
    ExpectOp(")");
    Close(call->span);
    return call;
  }

  ExprPtr ParseSubscriptList() {
    const Token& start = Cur();
    ExprPtr first = ParseSubscriptItem();
    if (!AtOp(",")) return first;
    ExprPtr tuple = NewExpr(K::kTuple, start);
    tuple->elts.push_back(std::move(first));
    while (AcceptOp(",")) {
      if (AtOp("]")) break;
      tuple->elts.push_back(ParseSubscriptItem());
    }
    Close(tuple->span);
    return tuple;
  }

  ExprPtr ParseSubscriptItem() {
    const Token& start = Cur();
    ExprPtr lower;
    if (!AtOp(":")) {
      if (AtOp("*")) NotSupported("starred subscripts", Cur());
      lower = ParseNamedTest();
      if (!AtOp(":")) return lower;
    }
    ExprPtr slice = NewExpr(K::kSlice, start);
    Advance();  // :
    ExprPtr upper, step;
    if (!AtOp(":") && !AtOp("]") && !AtOp(",")) upper = ParseTest();
    if (AcceptOp(":")) {
      if (!AtOp("]") && !AtOp(",")) step = ParseTest();
    }
    slice->elts.push_back(std::move(lower));
    slice->elts.push_back(std::move(upper));
    slice->elts.push_back(std::move(step));
    Close(slice->span);
    return slice;
  }

  void ParseComprehensionClauses(Expr& comp) {
    while (AtKw("for")) {
      Advance();
      Comprehension c;
      c.target = ParseTargetList();
      if (!AcceptKw("in")) Fail("invalid syntax");
      c.iter = ParseOr();
      while (AtKw("if")) {
        Advance();
        c.conditions.push_back(ParseOr());
      }
      comp.generators.push_back(std::move(c));
    }
    if (AtKw("async")) NotSupported("async comprehensions", Cur());
  }

  ExprPtr Constant(const Token& t, Value v) {
    ExprPtr e = NewExpr(K::kConstant, t);
    e->constant = std::move(v);
    Close(e->span);
    return e;
  }

  ExprPtr ParseAtom() {
    const Token& t = Cur();
    switch (t.type) {
      case TokenType::kName: {
        Advance();
        ExprPtr e = NewExpr(K::kName, t);
        e->name = t.text;
        Close(e->span);
        return e;
      }
      case TokenType::kInt:
        Advance();
        return Constant(t, Value::Int(t.int_value));
      case TokenType::kFloat:
        Advance();
        return Constant(t, Value::Float(t.float_value));
      case TokenType::kString:
      case TokenType::kFString:
        return ParseStrings();
      case TokenType::kKeyword:
        if (t.text == "True") {
          Advance();
          return Constant(t, Value::Bool(true));
        }
        if (t.text == "False") {
          Advance();
          return Constant(t, Value::Bool(false));
        }
        if (t.text == "None") {
          Advance();
          return Constant(t, Value::None());
        }
        if (t.text == "lambda") return ParseLambda();
        if (t.text == "yield") NotSupported("generators ('yield')", t);
        FailInvalid();
      case TokenType::kOp:
        if (t.text == "(") return ParseParen();
        if (t.text == "[") return ParseListDisplay();
        if (t.text == "{") return ParseBraceDisplay();
        if (t.text == "...") {
          Advance();
          return Constant(
              t, Value::FromObject(std::make_shared<EllipsisObject>()));
        }
        if (t.text == "*") FailAt("can't use starred expression here", t);
        FailInvalid();
      case TokenType::kIndent:
        FailAt("unexpected indent", t);
      default:
        FailInvalid();
    }
  }

  ExprPtr ParseParen() {
    const Token& open = Advance();
    if (AtOp(")")) {
      Advance();
      ExprPtr e = NewExpr(K::kTuple, open);
      e->parenthesized = true;
      Close(e->span);
      return e;
    }
    if (AtKw("yield")) NotSupported("generators ('yield')", Cur());
    ExprPtr first = ParseStarOrNamedTest();
    if (AtKw("for")) {
      ExprPtr comp = NewExpr(K::kListComp, open);
      comp->elts.push_back(std::move(first));
      ParseComprehensionClauses(*comp);
      ExpectOp(")");
      Close(comp->span);
      return comp;
    }
    if (AtOp(")")) {
      if (first->kind == K::kStarred) {
        FailAt("cannot use starred expression here", open);
      }
      Advance();
      // Keep the inner node but widen its span to include the parentheses,
      // as the source text of an argument.
      first->parenthesized = true;
      return first;
    }
    ExprPtr tuple = NewExpr(K::kTuple, open);
    tuple->parenthesized = true;
    tuple->elts.push_back(std::move(first));
    while (AcceptOp(",")) {
      if (AtOp(")")) break;
      tuple->elts.push_back(ParseStarOrNamedTest());
    }
    ExpectOp(")");
    Close(tuple->span);
    return tuple;
  }

  ExprPtr ParseListDisplay() {
    const Token& open = Advance();
    ExprPtr list = NewExpr(K::kList, open);
    if (AcceptOp("]")) {
      Close(list->span);
      return list;
    }
    ExprPtr first = ParseStarOrNamedTest();
    if (AtKw("for")) {
      if (first->kind == K::kStarred) {
        FailAt("iterable unpacking cannot be used in comprehension", open);
      }
      ExprPtr comp = NewExpr(K::kListComp, open);
      comp->elts.push_back(std::move(first));
      ParseComprehensionClauses(*comp);
      ExpectOp("]");
      Close(comp->span);
      return comp;
    }
    list->elts.push_back(std::move(first));
    while (AcceptOp(",")) {
      if (AtOp("]")) break;
      list->elts.push_back(ParseStarOrNamedTest());
    }
    ExpectOp("]");
    Close(list->span);
    return list;
  }

  ExprPtr ParseBraceDisplay() {
    const Token& open = Advance();
    ExprPtr dict = NewExpr(K::kDict, open);
    if (AcceptOp("}")) {
      Close(dict->span);
      return dict;
    }
    ExprPtr key, value;
    if (AcceptOp("**")) {
      value = ParseBitOr();  // a null key: **mapping
    } else {
      key = ParseTest();
      if (!AtOp(":")) NotSupported("set literals", open);
      Advance();
      value = ParseTest();
    }
    if (key && AtKw("for")) {
      ExprPtr comp = NewExpr(K::kDictComp, open);
      comp->elts.push_back(std::move(key));
      comp->elts.push_back(std::move(value));
      ParseComprehensionClauses(*comp);
      ExpectOp("}");
      Close(comp->span);
      return comp;
    }
    dict->elts.push_back(std::move(key));
    dict->elts2.push_back(std::move(value));
    while (AcceptOp(",")) {
      if (AtOp("}")) break;
      if (AcceptOp("**")) {
        dict->elts.push_back(nullptr);
        dict->elts2.push_back(ParseBitOr());
        continue;
      }
      dict->elts.push_back(ParseTest());
      if (!AtOp(":")) Fail("':' expected after dictionary key");
      Advance();
      dict->elts2.push_back(ParseTest());
    }
    ExpectOp("}");
    Close(dict->span);
    return dict;
  }

  // Adjacent string literals concatenate; any f-string makes the whole an
  // f-string.
  ExprPtr ParseStrings() {
    const Token& start = Cur();
    std::vector<FStringPart> parts;
    bool any_f = false;
    std::string plain;
    size_t total = 0;
    while (Cur().type == TokenType::kString ||
           Cur().type == TokenType::kFString) {
      const Token& t = Advance();
      if (t.type == TokenType::kString) {
        total += t.text.size();
        FStringPart p;
        p.literal = t.text;
        parts.push_back(std::move(p));
      } else {
        any_f = true;
        ParseFStringBody(t, t.body_begin, t.body_end, parts, false);
      }
      if (total > sh_.limits.lexer.max_literal_chars) {
        FailAt("string literal too long", start);
      }
    }
    if (!any_f) {
      for (const FStringPart& p : parts) plain += p.literal;
      ExprPtr e = NewExpr(K::kConstant, start);
      e->constant = Value::Str(std::move(plain));
      Close(e->span);
      return e;
    }
    ExprPtr e = NewExpr(K::kFString, start);
    e->fstring = std::move(parts);
    Close(e->span);
    return e;
  }

  [[noreturn]] void FailAtOffset(const std::string& msg, size_t offset) {
    auto [line, col] = sh_.lines.At(offset);
    RaiseSourceError(ErrorClass::kSyntaxError, msg, line, col);
  }

  void AddLiteral(const Token& t, size_t b, size_t e,
                  std::vector<FStringPart>& parts) {
    if (b >= e) return;
    FStringPart p;
    if (t.raw) {
      p.literal = std::string(sh_.src.substr(b, e - b));
    } else {
      auto [line, col] = sh_.lines.At(b);
      p.literal = DecodeStringRange(sh_.src, b, e, line, col);
    }
    parts.push_back(std::move(p));
  }

  // Parses source[b, e) of an f-string body into parts. In a format spec
  // (`in_spec`), stops at the closing '}' and returns its offset.
  size_t ParseFStringBody(const Token& t, size_t b, size_t e,
                          std::vector<FStringPart>& parts, bool in_spec) {
    DepthGuard guard(*this, "f-strings");
    const std::string_view src = sh_.src;
    size_t i = b, lit = b;
    while (i < e) {
      const char c = src[i];
      if (c == '\\' && !t.raw) {
        i += 2;
        continue;
      }
      if (c == '{') {
        if (!in_spec && i + 1 < e && src[i + 1] == '{') {
          AddLiteral(t, lit, i + 1, parts);
          i += 2;
          lit = i;
          continue;
        }
        AddLiteral(t, lit, i, parts);
        i = ParseFStringField(t, i + 1, e, parts);
        lit = i;
        continue;
      }
      if (c == '}') {
        if (in_spec) {
          AddLiteral(t, lit, i, parts);
          return i;
        }
        if (i + 1 < e && src[i + 1] == '}') {
          AddLiteral(t, lit, i + 1, parts);
          i += 2;
          lit = i;
          continue;
        }
        FailAtOffset("f-string: single '}' is not allowed", i);
      }
      ++i;
    }
    if (in_spec) FailAtOffset("f-string: expecting '}'", e);
    AddLiteral(t, lit, e, parts);
    return e;
  }

  // `b` is just after '{'. Returns the offset after the closing '}'.
  size_t ParseFStringField(const Token& t, size_t b, size_t e,
                           std::vector<FStringPart>& parts) {
    const std::string_view src = sh_.src;
    size_t i = b;
    int depth = 0;
    char quote = 0;
    size_t expr_end = std::string::npos;
    bool debug = false;
    for (; i < e; ++i) {
      const char c = src[i];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        ++depth;
        continue;
      }
      if ((c == ')' || c == ']' || c == '}') && depth > 0) {
        --depth;
        continue;
      }
      if (depth > 0) continue;
      if (c == '}' || c == ':') break;
      if (c == '!' && i + 1 < e && src[i + 1] != '=') break;
      if (c == '=' && i + 1 < e && src[i + 1] != '=' &&
          (i == b || std::string_view("=!<>").find(src[i - 1]) ==
                         std::string_view::npos)) {
        debug = true;
        expr_end = i;
        ++i;
        while (i < e && (src[i] == ' ' || src[i] == '\t')) ++i;
        break;
      }
    }
    if (i >= e) FailAtOffset("f-string: expecting '}'", b - 1);
    if (expr_end == std::string::npos) expr_end = i;
    // Skip leading whitespace to find where the expression starts.
    size_t xb = b;
    while (xb < expr_end && (src[xb] == ' ' || src[xb] == '\t')) ++xb;
    if (xb == expr_end) {
      FailAtOffset("f-string: valid expression required before '}'", b);
    }
    auto [line, col] = sh_.lines.At(xb);
    std::vector<Token> toks =
        TokenizeFragment(src, xb, expr_end, line, col, sh_.limits.lexer);
    Parser sub(std::move(toks), sh_);
    FStringPart part;
    part.value = sub.ParseFragmentExpression();
    if (debug) part.debug_text = std::string(src.substr(b, i - b));
    if (i < e && src[i] == '!') {
      if (i + 1 >= e ||
          std::string_view("rsa").find(src[i + 1]) == std::string_view::npos) {
        FailAtOffset(
            "f-string: invalid conversion character: expected 's', "
            "'r', or 'a'",
            i + 1);
      }
      part.conversion = src[i + 1];
      i += 2;
    }
    if (debug && !part.conversion && (i >= e || src[i] != ':')) {
      part.conversion = 'r';  // {x=} shows repr(x) unless a spec is given
    }
    if (i < e && src[i] == ':') {
      i = ParseFStringBody(t, i + 1, e, part.spec, true);
    }
    if (i >= e || src[i] != '}') FailAtOffset("f-string: expecting '}'", i);
    parts.push_back(std::move(part));
    return i + 1;
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
  Shared& sh_;
  int loop_depth_ = 0;
  int function_depth_ = 0;
};

void TakeChildren(Expr& e, std::vector<ExprPtr>& out);

void TakeParts(std::vector<FStringPart>& parts, std::vector<ExprPtr>& out) {
  for (FStringPart& p : parts) {
    if (p.value) out.push_back(std::move(p.value));
    TakeParts(p.spec, out);
  }
}

void TakeChildren(Expr& e, std::vector<ExprPtr>& out) {
  for (ExprPtr& c : e.elts) {
    if (c) out.push_back(std::move(c));
  }
  for (ExprPtr& c : e.elts2) {
    if (c) out.push_back(std::move(c));
  }
  for (Keyword& k : e.keywords) {
    if (k.value) out.push_back(std::move(k.value));
  }
  for (Comprehension& g : e.generators) {
    if (g.target) out.push_back(std::move(g.target));
    if (g.iter) out.push_back(std::move(g.iter));
    for (ExprPtr& c : g.conditions) {
      if (c) out.push_back(std::move(c));
    }
  }
  TakeParts(e.fstring, out);
}

}  // namespace

Expr::~Expr() {
  std::vector<ExprPtr> pending;
  TakeChildren(*this, pending);
  while (!pending.empty()) {
    ExprPtr e = std::move(pending.back());
    pending.pop_back();
    TakeChildren(*e, pending);
  }  // each node is destroyed with no children left
}

std::shared_ptr<Program> Parse(std::string source, const ParserLimits& limits) {
  auto module = std::make_shared<Program>();
  module->source = std::move(source);
  Shared shared{module->source, limits, LineTable(module->source)};
  std::vector<Token> tokens = Tokenize(module->source, limits.lexer);
  Parser parser(std::move(tokens), shared);
  module->body = parser.ParseFile();
  return module;
}

}  // namespace ap::py
