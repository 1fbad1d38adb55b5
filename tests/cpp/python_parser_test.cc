#include <gtest/gtest.h>

#include <string>

#include "core/python/parser.h"

namespace ap::py {
namespace {

using K = Expr::Kind;
using SK = Stmt::Kind;

struct ParseFailure {
  ErrorClass cls;
  std::string message;
  int line = 0, col = 0;
};

ParseFailure Fail(const std::string& src) {
  try {
    Parse(src);
  } catch (const SourceError& e) {
    return {e.error().cls, e.error().Message(), e.line, e.col};
  }
  ADD_FAILURE() << "parsed without error: " << src;
  return {};
}

std::string Text(const Program& p, const Expr& e) {
  return p.source.substr(e.span.begin, e.span.end - e.span.begin);
}

// Precedence as CPython: ** binds tighter than unary minus on its left.
TEST(InterpParserTest, Precedence) {
  auto p = Parse("x = -2 ** 2 + 3 * 4\n");
  const Expr& v = *p->body[0]->value;
  ASSERT_EQ(v.kind, K::kBinOp);
  EXPECT_EQ(v.name, "+");
  EXPECT_EQ(v.elts[0]->kind, K::kUnaryOp);
  EXPECT_EQ(v.elts[0]->elts[0]->name, "**");
  EXPECT_EQ(v.elts[1]->name, "*");
}

// Comparison chains, `not in`, `is not`, conditional expressions.
TEST(InterpParserTest, Comparisons) {
  auto p = Parse("y = a < b <= c not in d is not e if f else g\n");
  const Expr& v = *p->body[0]->value;
  ASSERT_EQ(v.kind, K::kIfExp);
  const Expr& cmp = *v.elts[1];
  EXPECT_EQ(cmp.ops, (std::vector<std::string>{"<", "<=", "not in", "is not"}));
}

// Every expression knows its source text, e.g. the list argument and its items.
TEST(InterpParserTest, SourceSpans) {
  auto p = Parse("out = layers.Attention()([q,  key_tensor, v], mask=m)\n");
  const Expr& call = *p->body[0]->value;
  ASSERT_EQ(call.kind, K::kCall);
  EXPECT_EQ(Text(*p, call), "layers.Attention()([q,  key_tensor, v], mask=m)");
  EXPECT_EQ(Text(*p, *call.elts[1]), "[q,  key_tensor, v]");
  EXPECT_EQ(Text(*p, *call.elts[1]->elts[1]), "key_tensor");
  EXPECT_EQ(call.elts[1]->elts[1]->span.col, 31);
  EXPECT_EQ(Text(*p, *call.keywords[0].value), "m");
}

// Subscripts with slices, ellipsis, None and tuples.
TEST(InterpParserTest, Subscripts) {
  auto p =
      Parse("a = x[:, :32]\nb = x[..., None]\nc = x.shape[1:]\nd = x[::2]\n");
  const Expr& a = *p->body[0]->value;
  ASSERT_EQ(a.kind, K::kSubscript);
  ASSERT_EQ(a.elts[1]->kind, K::kTuple);
  EXPECT_EQ(a.elts[1]->elts[0]->kind, K::kSlice);
  EXPECT_EQ(a.elts[1]->elts[1]->elts[1]->constant.as_int(), 32);
  const Expr& d = *p->body[3]->value;
  EXPECT_FALSE(d.elts[1]->elts[0]);
  EXPECT_EQ(d.elts[1]->elts[2]->constant.as_int(), 2);
}

// Statements: chained and unpacking assignment, augmented, imports, def.
TEST(InterpParserTest, Statements) {
  auto p = Parse(
      "import tensorflow as tf\n"
      "from tensorflow.keras import layers, losses as L\n"
      "a = b = 1\n"
      "x, (y, z) = t\n"
      "x += 1\n"
      "def f(a, b=2):\n"
      "    global g\n"
      "    c = a\n"
      "    return c\n");
  ASSERT_EQ(p->body.size(), 6u);
  EXPECT_EQ(p->body[0]->aliases[0].asname, "tf");
  EXPECT_EQ(p->body[1]->aliases[1].asname, "L");
  EXPECT_EQ(p->body[2]->targets.size(), 2u);
  EXPECT_EQ(p->body[3]->targets[0]->kind, K::kTuple);
  EXPECT_EQ(p->body[4]->op, "+");
  const Stmt& def = *p->body[5];
  EXPECT_EQ(def.params[1].default_value->constant.as_int(), 2);
  EXPECT_TRUE(def.locals.count("c"));
  EXPECT_TRUE(def.locals.count("a"));
  EXPECT_TRUE(def.globals.count("g"));
}

// try/except/else/finally and elif chains.
TEST(InterpParserTest, CompoundStatements) {
  auto p = Parse(
      "try:\n    a\nexcept (A, B) as e:\n    b\nexcept:\n    c\nelse:\n"
      "    d\nfinally:\n    e\n"
      "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\n");
  const Stmt& t = *p->body[0];
  EXPECT_EQ(t.handlers.size(), 2u);
  EXPECT_EQ(t.handlers[0].name, "e");
  EXPECT_FALSE(t.handlers[1].type);
  EXPECT_EQ(t.orelse.size(), 1u);
  EXPECT_EQ(t.finalbody.size(), 1u);
  const Stmt& i = *p->body[1];
  ASSERT_EQ(i.orelse.size(), 1u);
  EXPECT_EQ(i.orelse[0]->kind, SK::kIf);
  EXPECT_EQ(i.orelse[0]->span.line, 13);
}

// f-strings: literal parts, fields, conversions, nested format specs, x=.
TEST(InterpParserTest, FStrings) {
  auto p = Parse("s = f'a{{b}} {x!r:>{w}} {y=} {z:.3f}'\n");
  const Expr& f = *p->body[0]->value;
  ASSERT_EQ(f.kind, K::kFString);
  EXPECT_EQ(f.fstring[0].literal, "a{");
  EXPECT_EQ(f.fstring[1].literal, "b}");
  const FStringPart& x = f.fstring[3];
  EXPECT_EQ(x.value->name, "x");
  EXPECT_EQ(x.conversion, 'r');
  EXPECT_EQ(x.spec[0].literal, ">");
  EXPECT_EQ(x.spec[1].value->name, "w");
  EXPECT_EQ(x.value->span.col, 15);
  EXPECT_EQ(f.fstring[5].debug_text, "y=");
  EXPECT_EQ(f.fstring[7].spec[0].literal, ".3f");
}

// List and dict comprehensions and generator arguments parse.
TEST(InterpParserTest, Comprehensions) {
  auto p = Parse(
      "a = [f(x) for x in xs if x]\nb = {k: v for k, v in d}\nc = sum(x for x "
      "in y)\n");
  EXPECT_EQ(p->body[0]->value->kind, K::kListComp);
  EXPECT_EQ(p->body[0]->value->generators[0].conditions.size(), 1u);
  EXPECT_EQ(p->body[1]->value->kind, K::kDictComp);
  EXPECT_EQ(p->body[2]->value->elts[1]->kind, K::kListComp);
}

struct SyntaxCase {
  const char* src;
  const char* message;
  int line, col;
};

// Each malformed program: CPython's message, line and column.
TEST(InterpParserTest, SyntaxErrors) {
  const SyntaxCase cases[] = {
      {"if x\n    pass\n", "expected ':'", 1, 5},
      {"if x:\npass\n",
       "expected an indented block after 'if' statement on line 1", 2, 1},
      {"for i in x:\n\ny = 1\n",
       "expected an indented block after 'for' statement on line 1", 3, 1},
      {"def f():\nreturn\n",
       "expected an indented block after function definition on line 1", 2, 1},
      {"  x = 1\n", "unexpected indent", 1, 3},
      {"x = 1\n    y = 2\n", "unexpected indent", 2, 5},
      {"x = (1,\n", "'(' was never closed", 1, 5},
      {"x = = 1\n", "invalid syntax", 1, 5},
      {"x = 1 +\n", "invalid syntax", 1, 8},
      {"return 1\n", "'return' outside function", 1, 1},
      {"break\n", "'break' outside loop", 1, 1},
      {"continue\n", "'continue' not properly in loop", 1, 1},
      {"1 = x\n",
       "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1,
       1},
      {"f() = 1\n",
       "cannot assign to function call here. Maybe you meant '==' instead of "
       "'='?",
       1, 1},
      {"(a, 1) = t\n", "cannot assign to literal", 1, 5},
      {"None = 1\n", "cannot assign to None", 1, 1},
      {"x + 1 += 2\n",
       "'expression' is an illegal expression for augmented assignment", 1, 1},
      {"print 'hi'\n",
       "Missing parentheses in call to 'print'. Did you mean print(...)?", 1,
       1},
      {"f(a=1, 2)\n", "positional argument follows keyword argument", 1, 8},
      {"f(a=1, a=2)\n", "keyword argument repeated: a", 1, 8},
      {"def f(a=1, b):\n    pass\n",
       "non-default argument follows default argument", 1, 12},
      {"try:\n    x\ny = 1\n", "expected 'except' or 'finally' block", 3, 1},
      {"x = 1 if y\n", "expected 'else' after 'if' expression", 1, 11},
      {"f'{}'\n", "f-string: valid expression required before '}'", 1, 4},
      {"f'{x!z}'\n",
       "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1,
       6},
      {"f'a}'\n", "f-string: single '}' is not allowed", 1, 4},
      {"else:\n    pass\n", "invalid syntax", 1, 1},
  };
  for (const SyntaxCase& c : cases) {
    const ParseFailure f = Fail(c.src);
    EXPECT_EQ(f.cls, ErrorClass::kSyntaxError) << c.src;
    EXPECT_EQ(f.message, c.message) << c.src;
    EXPECT_EQ(f.line, c.line) << c.src;
    EXPECT_EQ(f.col, c.col) << c.src;
  }
}

// Valid Python outside the subset names the construct and its line.
TEST(InterpParserTest, NotSupported) {
  const std::pair<const char*, const char*> cases[] = {
      {"s = {1, 2}\n", "set literals"},
      {"async def f():\n    pass\n", "async code"},
      {"if (n := 1):\n    pass\n", "assignment expressions (':=')"},
      {"def f(a, /):\n    pass\n", "positional-only parameters"},
      {"from . import x\n", "relative imports"},
      {"def g():\n    yield 1\n", "generators ('yield')"},
  };
  for (const auto& [src, what] : cases) {
    const ParseFailure f = Fail(src);
    EXPECT_EQ(f.cls, ErrorClass::kNotSupportedError) << src;
    EXPECT_NE(f.message.find(what), std::string::npos) << f.message;
    EXPECT_NE(f.message.find("(line"), std::string::npos) << f.message;
  }
}

// 10,000-deep nesting of brackets, unary operators, `not`, ** and blocks
// fails with a clean SyntaxError instead of a stack overflow.
TEST(InterpParserTest, DeepNesting) {
  EXPECT_EQ(
      Fail("x = " + std::string(10000, '(') + "1" + std::string(10000, ')'))
          .message,
      "too many nested parentheses");
  std::string minus = "x = " + std::string(10000, '-') + "1\n";
  ParseFailure f = Fail(minus);
  EXPECT_EQ(f.cls, ErrorClass::kSyntaxError);
  EXPECT_NE(f.message.find("nested too deeply"), std::string::npos);
  EXPECT_EQ(f.line, 1);
  std::string nots = "x = ";
  for (int i = 0; i < 10000; ++i) nots += "not ";
  EXPECT_NE(Fail(nots + "1\n").message.find("nested too deeply"),
            std::string::npos);
  std::string pow = "x = ";
  for (int i = 0; i < 10000; ++i) pow += "2**";
  EXPECT_NE(Fail(pow + "1\n").message.find("nested too deeply"),
            std::string::npos);
  std::string blocks;
  for (int i = 0; i < 300; ++i) blocks += std::string(i, ' ') + "if x:\n";
  blocks += std::string(300, ' ') + "y = 1\n";
  EXPECT_NE(Fail(blocks).message.find("nested too deeply"), std::string::npos);
  // 99 nested lists are fine.
  EXPECT_NO_THROW(
      Parse("x = " + std::string(99, '[') + std::string(99, ']') + "\n"));
}

// A very long left-nested chain parses and frees without recursion.
TEST(InterpParserTest, LongChainsFreeIteratively) {
  std::string src = "x = 1";
  for (int i = 0; i < 200000; ++i) src += "+1";
  src += "\n";
  auto p = Parse(src);
  EXPECT_EQ(p->body.size(), 1u);
  p.reset();  // must not overflow the stack
}

// Empty and comment-only programs parse to nothing.
TEST(InterpParserTest, EmptyProgram) {
  EXPECT_TRUE(Parse("")->body.empty());
  EXPECT_TRUE(Parse("# only a comment\n\n")->body.empty());
}

}  // namespace
}  // namespace ap::py
