// Turns program text into tokens with Python's line structure: NEWLINE at the
// end of each logical line, INDENT/DEDENT for blocks, no newlines inside
// brackets or after a backslash. Raises SourceError (SyntaxError) with
// CPython's wording and position for malformed text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "token.h"

namespace ap::py {

struct LexerLimits {
  size_t max_literal_chars = 100000;  // one string or number literal
  int max_bracket_depth = 100;        // ((((... before "too many nested"
};

std::vector<Token> Tokenize(std::string_view source,
                            const LexerLimits& limits = {});

// Position helpers shared with the f-string parser: tokens of a fragment of
// the source that starts at (line, col, offset).
std::vector<Token> TokenizeFragment(std::string_view source, size_t begin,
                                    size_t end, int line, int col,
                                    const LexerLimits& limits = {});

// Decodes the escapes of an f-string's literal part, source[begin, end).
std::string DecodeStringRange(std::string_view source, size_t begin, size_t end,
                              int line, int col);

bool IsPythonKeyword(std::string_view word);

}  // namespace ap::py
