// Recursive-descent parser for the playground's Python subset, with CPython's
// precedence and SyntaxError wording. Valid Python outside the subset (class,
// with, lambda, decorators, star-args, ...) raises NotSupportedError naming
// the construct and its line. Nesting is bounded, so hostile input (10,000
// nested brackets or unary minus signs) fails cleanly instead of overflowing
// the stack.
#pragma once

#include <memory>
#include <string>

#include "ast.h"
#include "lexer.h"

namespace ap::py {

struct ParserLimits {
  LexerLimits lexer;
  int max_nesting = 100;  // nested expressions and blocks
};

// Raises SourceError on malformed or unsupported programs.
std::shared_ptr<Program> Parse(std::string source,
                               const ParserLimits& limits = {});

}  // namespace ap::py
