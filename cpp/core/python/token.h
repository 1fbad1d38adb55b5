// Tokens of the playground's Python subset. Positions are 1-based (line,
// column in bytes) and every token keeps its byte span in the source so the
// parser can give each expression its source text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "../error.h"

namespace ap::py {

// An error found before the program runs (SyntaxError, or NotSupportedError
// for valid Python outside the subset), with CPython's lineno/offset.
class SourceError : public ErrorException {
 public:
  SourceError(Error error, int line, int col)
      : ErrorException(std::move(error)), line(line), col(col) {}
  int line, col;
};

[[noreturn]] inline void RaiseSourceError(ErrorClass cls, std::string message,
                                          int line, int col) {
  Error e;
  e.cls = cls;
  e.text = std::move(message);
  throw SourceError(std::move(e), line, col);
}

enum class TokenType {
  kName,     // identifiers (soft keywords such as `match` included)
  kKeyword,  // if, for, def, True, None, ...
  kInt,
  kFloat,
  kString,   // plain or raw string, escapes already decoded into `text`
  kFString,  // f-string: `text` is the raw body between the quotes
  kOp,       // operators and delimiters: + ** ( ) [ ] : , = += ...
  kNewline,
  kIndent,
  kDedent,
  kEnd,
};

struct Token {
  TokenType type = TokenType::kEnd;
  std::string text;  // name, keyword, operator, decoded string or f-body
  int64_t int_value = 0;
  double float_value = 0;
  // f-strings: whether the body is raw (rf"..."), and where the body starts
  // in the source (so the nested expressions get real positions).
  bool raw = false;
  size_t body_begin = 0;
  size_t body_end = 0;
  int body_line = 0;
  int body_col = 0;
  int line = 0, col = 0;          // first character, 1-based
  int end_line = 0, end_col = 0;  // one past the last character
  size_t begin = 0, end = 0;      // byte span in the source

  bool Is(TokenType t, const char* s) const { return type == t && text == s; }
  bool IsOp(const char* s) const { return Is(TokenType::kOp, s); }
  bool IsKeyword(const char* s) const { return Is(TokenType::kKeyword, s); }
};

}  // namespace ap::py
