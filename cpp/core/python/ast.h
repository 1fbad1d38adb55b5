// The syntax tree of the playground's Python subset. Every node has its
// 1-based position and its byte span in the source, so the trace can show
// the program text of any expression (e.g. that `key_tensor` was passed as
// inputs[1]).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "../value.h"

namespace ap::py {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using StmtList = std::vector<StmtPtr>;

struct Span {
  int line = 0, col = 0;          // first character, 1-based
  int end_line = 0, end_col = 0;  // one past the last character
  size_t begin = 0, end = 0;      // byte span in the source
};

// `name=value` in a call; an empty name is `**value` (dict unpacking), as
// is a null key in a dict display.
struct Keyword {
  std::string name;
  ExprPtr value;
};

// One `for target in iter if cond...` clause of a comprehension.
struct Comprehension {
  ExprPtr target;
  ExprPtr iter;
  std::vector<ExprPtr> conditions;
};

// Part of an f-string: literal text, or a replacement field.
struct FStringPart {
  std::string literal;            // when `value` is null
  ExprPtr value;                  // the expression of {value!c:spec}
  char conversion = 0;            // 0, 'r', 's' or 'a'
  std::vector<FStringPart> spec;  // the format spec, itself an f-string
  std::string debug_text;         // "x=" for {x=}
};

struct Expr {
  enum class Kind {
    kName,       // name
    kConstant,   // constant (int, float, str, bool, None, Ellipsis)
    kFString,    // fstring parts
    kList,       // elts
    kTuple,      // elts
    kDict,       // elts = keys, elts2 = values
    kBinOp,      // op, elts = {left, right}
    kUnaryOp,    // op ("-", "+", "~", "not"), elts = {operand}
    kBoolOp,     // op ("and"/"or"), elts = operands
    kCompare,    // ops, elts = {left, comparator...}
    kIfExp,      // elts = {test, body, orelse}
    kCall,       // elts[0] = func, elts[1..] = positional args; keywords
    kAttribute,  // elts = {value}, name = attribute
    kSubscript,  // elts = {value, index}
    kSlice,      // elts = {lower, upper, step}, each may be null
    kListComp,   // elts = {element}, generators
    kDictComp,   // elts = {key, value}, generators
    kStarred,    // elts = {value}: *value in a call, display or target
    kLambda,     // lambda_def: a kDef whose body is `return <expr>`
  };
  Kind kind;
  Span span;
  std::string name;  // kName id, kAttribute attr, kBinOp/kUnaryOp/kBoolOp op
  Value constant;
  std::vector<ExprPtr> elts;
  std::vector<ExprPtr> elts2;
  std::vector<std::string> ops;
  std::vector<Keyword> keywords;
  std::vector<Comprehension> generators;
  std::vector<FStringPart> fstring;
  std::shared_ptr<Stmt>
      lambda_def;              // kLambda (shared: Stmt is incomplete here)
  bool parenthesized = false;  // written inside (...) (for tuple targets)

  explicit Expr(Kind k) : kind(k) {}
  // Iterative: a 100,000-term `1+1+...` chain must not overflow the stack.
  ~Expr();
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;
};

struct ExceptHandler {
  Span span;
  ExprPtr type;      // null: bare `except:`
  std::string name;  // `as name`, may be empty
  StmtList body;
};

struct ImportAlias {
  std::string name;    // dotted module name, or the imported attribute
  std::string asname;  // may be empty
};

struct ParamSpec {
  enum class Kind { kPositional, kVarPositional, kKeywordOnly, kVarKeyword };
  std::string name;
  ExprPtr default_value;  // may be null
  Kind kind = Kind::kPositional;
};

// One `expr [as target]` of a with statement.
struct WithItem {
  ExprPtr context;
  ExprPtr target;  // may be null
};

struct Stmt {
  enum class Kind {
    kExpr,       // value
    kAssign,     // targets (chained: a = b = value), value
    kAugAssign,  // targets[0], op ("+"), value
    kAnnAssign,  // targets[0], value (may be null); the annotation is dropped
    kIf,         // value = test, body, orelse (elif is a nested kIf)
    kWhile,      // value = test, body, orelse
    kFor,        // targets[0], value = iter, body, orelse
    kTry,        // body, handlers, orelse, finalbody
    kRaise,      // value (may be null: bare raise), cause
    kPass,
    kBreak,
    kContinue,
    kReturn,      // value (may be null)
    kDef,         // name, params, body; locals computed by the parser
    kImport,      // aliases (import a.b as c)
    kFromImport,  // module, aliases
    kAssert,      // value = test, cause = message
    kDel,         // targets
    kGlobal,      // names
    kClass,       // name, bases, keywords, decorators, body
    kWith,        // with_items, body
  };
  Kind kind;
  Span span;
  std::vector<ExprPtr> targets;
  ExprPtr value;
  ExprPtr cause;
  std::string op;
  StmtList body, orelse, finalbody;
  std::vector<ExceptHandler> handlers;
  std::string name;
  std::string module;
  std::vector<ParamSpec> params;
  std::vector<ImportAlias> aliases;
  std::vector<std::string> names;
  std::set<std::string> locals;     // kDef: names local to the function
  std::set<std::string> globals;    // kDef: names declared `global`
  std::vector<ExprPtr> decorators;  // kDef, kClass: outermost first
  std::vector<ExprPtr> bases;       // kClass: positional bases (may be starred)
  std::vector<Keyword> keywords;    // kClass: metaclass=... and friends
  std::vector<WithItem> with_items;  // kWith

  explicit Stmt(Kind k) : kind(k) {}
};

struct Program {
  std::string source;  // the program text the spans point into
  StmtList body;
};

}  // namespace ap::py
