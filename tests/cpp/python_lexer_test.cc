#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/python/lexer.h"

namespace ap::py {
namespace {

using TT = TokenType;

std::vector<TT> Types(const std::string& src) {
  std::vector<TT> out;
  for (const Token& t : Tokenize(src)) out.push_back(t.type);
  return out;
}

// Expects Tokenize to fail with `message` at line:col.
void ExpectLexError(const std::string& src, const std::string& message,
                    int line, int col,
                    ErrorClass cls = ErrorClass::kSyntaxError) {
  try {
    Tokenize(src);
    ADD_FAILURE() << "no error for: " << src;
  } catch (const SourceError& e) {
    EXPECT_EQ(e.error().cls, cls) << src;
    EXPECT_EQ(e.error().Message(), message) << src;
    EXPECT_EQ(e.line, line) << src;
    EXPECT_EQ(e.col, col) << src;
  }
}

// A block produces NEWLINE, INDENT ... DEDENT around its statements.
TEST(InterpLexerTest, IndentAndDedent) {
  EXPECT_EQ(Types("if x:\n    y\nz\n"),
            (std::vector<TT>{TT::kKeyword, TT::kName, TT::kOp, TT::kNewline,
                             TT::kIndent, TT::kName, TT::kNewline, TT::kDedent,
                             TT::kName, TT::kNewline, TT::kEnd}));
}

// Blank lines, comment lines and a missing final newline add no tokens.
TEST(InterpLexerTest, BlankAndCommentLinesAreIgnored) {
  EXPECT_EQ(Types("\n# c\n  \nx  # trailing\n\n"),
            (std::vector<TT>{TT::kName, TT::kNewline, TT::kEnd}));
  EXPECT_EQ(Types("x"), (std::vector<TT>{TT::kName, TT::kNewline, TT::kEnd}));
  EXPECT_EQ(Types(""), (std::vector<TT>{TT::kEnd}));
}

// Inside brackets and after a backslash, newlines do not end the line.
TEST(InterpLexerTest, LineContinuation) {
  EXPECT_EQ(Types("f(1,\n  2)\n"),
            (std::vector<TT>{TT::kName, TT::kOp, TT::kInt, TT::kOp, TT::kInt,
                             TT::kOp, TT::kNewline, TT::kEnd}));
  EXPECT_EQ(Types("x = 1 + \\\n 2\n").size(), 7u);
}

// Tabs indent to the next multiple of 8; mixing inconsistently fails.
TEST(InterpLexerTest, Tabs) {
  EXPECT_EQ(Types("if x:\n\ty\n")[4], TT::kIndent);
  ExpectLexError("if x:\n        a\n\tb\n",
                 "inconsistent use of tabs and spaces in indentation", 3, 2);
}

// Every token carries its 1-based line, column and byte span.
TEST(InterpLexerTest, Positions) {
  const std::vector<Token> t = Tokenize("a = 1\n  \nbb(c)\n");
  EXPECT_EQ(t[0].line, 1);
  EXPECT_EQ(t[0].col, 1);
  EXPECT_EQ(t[2].col, 5);
  EXPECT_EQ(t[4].text, "bb");
  EXPECT_EQ(t[4].line, 3);
  EXPECT_EQ(t[4].col, 1);
  EXPECT_EQ(t[6].col, 4);
  EXPECT_EQ(t[6].begin, 12u);
  EXPECT_EQ(t[6].end, 13u);
}

// Integer and float literals, with underscores, exponents and bases.
TEST(InterpLexerTest, Numbers) {
  const std::vector<Token> t =
      Tokenize("1_000 1e-9 .5 2. 0x1F 0b101 0o17 3.25E2");
  EXPECT_EQ(t[0].int_value, 1000);
  EXPECT_EQ(t[1].type, TT::kFloat);
  EXPECT_DOUBLE_EQ(t[1].float_value, 1e-9);
  EXPECT_DOUBLE_EQ(t[2].float_value, 0.5);
  EXPECT_DOUBLE_EQ(t[3].float_value, 2.0);
  EXPECT_EQ(t[4].int_value, 31);
  EXPECT_EQ(t[5].int_value, 5);
  EXPECT_EQ(t[6].int_value, 15);
  EXPECT_DOUBLE_EQ(t[7].float_value, 325.0);
}

// Bad numbers: leading zeros, too large, complex.
TEST(InterpLexerTest, BadNumbers) {
  ExpectLexError("x = 012\n",
                 "leading zeros in decimal integer literals are not "
                 "permitted; use an 0o prefix for octal integers",
                 1, 5);
  ExpectLexError("x = 1abc\n", "invalid decimal literal", 1, 5);
  try {
    Tokenize("x = 99999999999999999999\n");
    ADD_FAILURE();
  } catch (const SourceError& e) {
    EXPECT_EQ(e.error().cls, ErrorClass::kNotSupportedError);
  }
  try {
    Tokenize("x = 2j\n");
    ADD_FAILURE();
  } catch (const SourceError& e) {
    EXPECT_EQ(e.error().cls, ErrorClass::kNotSupportedError);
  }
}

// String escapes are decoded; raw strings keep backslashes.
TEST(InterpLexerTest, Strings) {
  const std::vector<Token> t =
      Tokenize(R"(a = 'it\'s\n' "q\"" r'\d\n' '\x41\u00e9' '\q')");
  EXPECT_EQ(t[2].text, "it's\n");
  EXPECT_EQ(t[3].text, "q\"");
  EXPECT_EQ(t[4].text, "\\d\\n");
  EXPECT_EQ(t[5].text, "A\xc3\xa9");
  EXPECT_EQ(t[6].text, "\\q");
}

// Triple-quoted strings span lines.
TEST(InterpLexerTest, TripleQuoted) {
  const std::vector<Token> t = Tokenize("x = \"\"\"a\nb\"\"\"\ny = 1\n");
  EXPECT_EQ(t[2].text, "a\nb");
  EXPECT_EQ(t[4].text, "y");
  EXPECT_EQ(t[4].line, 3);
}

// f-strings keep their raw body for the parser.
TEST(InterpLexerTest, FStringBody) {
  const std::vector<Token> t = Tokenize("f'{x:>{w}} \\n'\n");
  EXPECT_EQ(t[0].type, TT::kFString);
  EXPECT_EQ(t[0].text, "{x:>{w}} \\n");
  EXPECT_EQ(t[0].body_begin, 2u);
}

// Unterminated strings report CPython's text at the opening quote.
TEST(InterpLexerTest, UnterminatedStrings) {
  ExpectLexError("x = 1\ny = 'abc\n",
                 "unterminated string literal (detected at line 2)", 2, 5);
  ExpectLexError(
      "x = '''abc\n\n\n",
      "unterminated triple-quoted string literal (detected at line 4)", 1, 5);
}

// Unbalanced brackets.
TEST(InterpLexerTest, Brackets) {
  ExpectLexError("x = (1,\n2\n", "'(' was never closed", 1, 5);
  ExpectLexError("x = 1)\n", "unmatched ')'", 1, 6);
  ExpectLexError(
      "x = (1]\n",
      "closing parenthesis ']' does not match opening parenthesis '('", 1, 7);
}

// Bad indentation.
TEST(InterpLexerTest, Unindent) {
  ExpectLexError("if x:\n    a\n  b\n",
                 "unindent does not match any outer indentation level", 3, 3);
}

// NUL bytes, invalid UTF-8 and control characters give one clean error.
TEST(InterpLexerTest, BinaryGarbage) {
  ExpectLexError(std::string("x = 1\0\n", 7),
                 "source code cannot contain null bytes", 1, 6);
  ExpectLexError("x = \xff\xfe\n",
                 "(unicode error) 'utf-8' codec can't decode byte 0xff in "
                 "position 4: invalid start byte",
                 1, 5);
  ExpectLexError("x = \x01\n", "invalid non-printable character U+0001", 1, 5);
  ExpectLexError("x = $\n", "invalid syntax", 1, 5);
  ExpectLexError("x = \xe2\x80\x9chi\xe2\x80\x9d\n",
                 "invalid character '\xe2\x80\x9c' (U+201C)", 1, 5);
  // What a browser makes of invalid UTF-8 (U+FFFD), and symbols, are not
  // names (the page sent NameError for these before); letters still are.
  ExpectLexError("x = \xef\xbf\xbd\n",
                 "invalid character '\xef\xbf\xbd' (U+FFFD)", 1, 5);
  ExpectLexError(
      "y = a\xe2\x86\x92"
      "b\n",
      "invalid character '\xe2\x86\x92' (U+2192)", 1, 6);
  ExpectLexError("\xf0\x9f\x98\x80 = 1\n",
                 "invalid character '\xf0\x9f\x98\x80' (U+1F600)", 1, 1);
  EXPECT_NO_THROW(
      Tokenize("\xcf\x80 = 3\n\xc3\xa9"
               "t\xc3\xa9 = 1\n"));
  // Random bytes never crash.
  std::string noise;
  uint32_t seed = 12345;
  for (int i = 0; i < 4000; ++i) {
    seed = seed * 1103515245 + 12345;
    noise += static_cast<char>((seed >> 16) & 0xff);
  }
  EXPECT_THROW(Tokenize(noise), SourceError);
}

// Ten thousand open brackets stop at the nesting limit.
TEST(InterpLexerTest, DeepBrackets) {
  ExpectLexError("x = " + std::string(10000, '('),
                 "too many nested parentheses", 1, 105);
}

// Huge literals fail cleanly.
TEST(InterpLexerTest, HugeLiteral) {
  LexerLimits limits;
  limits.max_literal_chars = 1000;
  try {
    Tokenize("x = '" + std::string(5000, 'a') + "'\n", limits);
    ADD_FAILURE();
  } catch (const SourceError& e) {
    EXPECT_NE(e.error().Message().find("string literal too long"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace ap::py
