// libFuzzer target: program text -> lexer and parser only (no evaluation),
// so the fuzzer spends its time on the grammar: tokens, indentation,
// f-strings, brackets, literals, nesting limits. Anything but a SourceError
// (SyntaxError / NotSupportedError with a line) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/python/parser.h"
#include "core/python/token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string source(reinterpret_cast<const char*>(data), size);
  ap::py::ParserLimits limits;
  limits.lexer.max_literal_chars = 4096;
  try {
    auto program = ap::py::Parse(std::move(source), limits);
    if (!program) std::abort();
  } catch (const ap::py::SourceError& e) {
    if (e.line < 1 || e.error().text.empty()) {
      std::fprintf(stderr, "parser_fuzzer: bad SourceError line %d '%s'\n",
                   e.line, e.error().text.c_str());
      std::abort();
    }
  }
  return 0;
}
