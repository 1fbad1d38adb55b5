#include "text.h"

#include <algorithm>

#include "../error.h"
#include "../repr.h"

namespace ap::py {

namespace {

// The longest repr()/str() text a program may make (its memory, not its
// meaning, is the limit: a repr can be exponentially longer than its value).
constexpr size_t kMaxProgramReprChars = size_t{64} << 20;

std::string CheckedReprText(std::string text) {
  if (text.size() > kMaxProgramReprChars) {
    RaiseText(ErrorClass::kLimitError,
              "size limit exceeded: the text of repr() or str() would be "
              "longer than " +
                  std::to_string(kMaxProgramReprChars) + " characters");
  }
  return text;
}

}  // namespace

void RaiseTypeError(std::string text) {
  RaiseText(ErrorClass::kTypeError, std::move(text));
}
void RaiseValueError(std::string text) {
  RaiseText(ErrorClass::kValueError, std::move(text));
}

std::string PyStr(const Value& v) {
  return CheckedReprText(ap::Str(v, kMaxProgramReprChars));
}
std::string PyRepr(const Value& v) {
  return CheckedReprText(ap::Repr(v, kMaxProgramReprChars));
}

std::vector<std::string> Utf8Chars(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    size_t n = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
                                    : 4;
    n = std::min(n, s.size() - i);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

int64_t Utf8Length(const std::string& s) {
  int64_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace ap::py
