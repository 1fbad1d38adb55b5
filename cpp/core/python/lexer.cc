#include "lexer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace ap::py {

namespace {

const char* const kKeywords[] = {
    "False",  "None",   "True",    "and",      "as",       "assert", "async",
    "await",  "break",  "class",   "continue", "def",      "del",    "elif",
    "else",   "except", "finally", "for",      "from",     "global", "if",
    "import", "in",     "is",      "lambda",   "nonlocal", "not",    "or",
    "pass",   "raise",  "return",  "try",      "while",    "with",   "yield"};

// Longest first so that `**=` wins over `**` and `*`.
const char* const kOperators[] = {
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "==", "!=", "<=",
    ">=",  "<<",  ">>",  "+=",  "-=",  "*=", "/=", "%=", "@=", "&=", "|=", "^=",
    "+",   "-",   "*",   "/",   "%",   "@",  "&",  "|",  "^",  "~",  "<",  ">",
    "(",   ")",   "[",   "]",   "{",   "}",  ",",  ":",  ".",  ";",  "="};

bool IsIdentStart(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool IsIdentChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c >= 0x80;
}

// Length of the UTF-8 sequence at s[i], or 0 if invalid.
size_t Utf8Length(std::string_view s, size_t i, uint32_t* code_point) {
  const unsigned char c = s[i];
  size_t n;
  uint32_t cp;
  if (c < 0x80) {
    *code_point = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const unsigned char d = s[i + k];
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
      (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  *code_point = cp;
  return n;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string HexCodePoint(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", cp);
  return buf;
}

class Lexer {
 public:
  Lexer(std::string_view src, const LexerLimits& limits)
      : src_(src), limits_(limits) {}

  std::vector<Token> Run() {
    CheckEncoding(0, src_.size());
    bool at_line_start = true;
    while (true) {
      if (at_line_start && brackets_.empty()) {
        if (!HandleIndentation()) break;  // end of input
        at_line_start = false;
      }
      SkipSpaces();
      if (pos_ >= src_.size()) break;
      const char c = src_[pos_];
      if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r')
          ++pos_;
        continue;
      }
      if (c == '\n' || c == '\r') {
        const int line = line_, col = Col();
        ConsumeNewline();
        if (brackets_.empty()) {
          if (!tokens_.empty() && tokens_.back().type != TokenType::kNewline &&
              tokens_.back().type != TokenType::kIndent &&
              tokens_.back().type != TokenType::kDedent) {
            Push(TokenType::kNewline, "", line, col, pos_, pos_);
          }
          at_line_start = true;
        }
        continue;
      }
      if (c == '\\') {
        LexBackslash();
        continue;
      }
      LexToken();
    }
    return Finish();
  }

  // Tokens of an f-string replacement field: brackets never close lines.
  std::vector<Token> RunFragment(size_t begin, size_t end, int line, int col) {
    pos_ = begin;
    line_ = line;
    line_start_ = begin - (col - 1);
    limit_ = end;
    src_ = src_.substr(0, end);
    fragment_ = true;
    while (true) {
      SkipSpaces();
      if (pos_ >= src_.size()) break;
      const char c = src_[pos_];
      if (c == '\n' || c == '\r') {
        ConsumeNewline();
        continue;
      }
      if (c == '#') Fail("f-string expression part cannot include '#'");
      if (c == '\\') {
        Fail("f-string expression part cannot include a backslash");
      }
      LexToken();
    }
    if (!brackets_.empty()) {
      const Token& open = tokens_[brackets_.back()];
      Fail(
          "f-string: closing parenthesis '}' does not match opening "
          "parenthesis '" +
          open.text + "'");
    }
    Push(TokenType::kEnd, "", line_, Col(), pos_, pos_);
    return std::move(tokens_);
  }

 private:
  int Col() const { return static_cast<int>(pos_ - line_start_) + 1; }

  [[noreturn]] void Fail(const std::string& msg) { FailAt(msg, line_, Col()); }
  [[noreturn]] void FailAt(const std::string& msg, int line, int col) {
    RaiseSourceError(ErrorClass::kSyntaxError, msg, line, col);
  }

  // Rejects NUL bytes, invalid UTF-8 and control characters up front, so
  // that binary garbage gets one clear message.
  void CheckEncoding(size_t begin, size_t end) {
    int line = 1;
    size_t line_start = 0;
    for (size_t i = begin; i < end;) {
      const unsigned char c = src_[i];
      const int col = static_cast<int>(i - line_start) + 1;
      if (c == 0) {
        FailAt("source code cannot contain null bytes", line, col);
      }
      uint32_t cp = 0;
      const size_t n = Utf8Length(src_, i, &cp);
      if (n == 0) {
        char buf[160];
        std::snprintf(buf, sizeof buf,
                      "(unicode error) 'utf-8' codec can't decode byte 0x%02x "
                      "in position %zu: invalid start byte",
                      c, i);
        FailAt(buf, line, col);
      }
      if (c == '\n') {
        ++line;
        line_start = i + 1;
      }
      i += n;
    }
  }

  void Push(TokenType type, std::string text, int line, int col, size_t begin,
            size_t end) {
    Token t;
    t.type = type;
    t.text = std::move(text);
    t.line = line;
    t.col = col;
    t.begin = begin;
    t.end = end;
    t.end_line = line_;
    t.end_col = Col();
    tokens_.push_back(std::move(t));
  }

  void ConsumeNewline() {
    if (src_[pos_] == '\r' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '\n')
      ++pos_;
    ++pos_;
    ++line_;
    line_start_ = pos_;
  }

  void SkipSpaces() {
    while (pos_ < src_.size() &&
           (src_[pos_] == ' ' || src_[pos_] == '\t' || src_[pos_] == '\f')) {
      ++pos_;
    }
  }

  void LexBackslash() {
    ++pos_;
    if (pos_ < src_.size() && (src_[pos_] == '\n' || src_[pos_] == '\r')) {
      ConsumeNewline();
      if (pos_ >= src_.size()) Fail("unexpected EOF while parsing");
      return;
    }
    --pos_;
    Fail("unexpected character after line continuation character");
  }

  // At the start of a logical line: measures indentation, skips blank and
  // comment-only lines, emits INDENT/DEDENT. Returns false at end of input.
  bool HandleIndentation() {
    while (true) {
      int width = 0, width_tab1 = 0;
      const size_t start = pos_;
      while (pos_ < src_.size()) {
        const char c = src_[pos_];
        if (c == ' ') {
          ++width;
          ++width_tab1;
        } else if (c == '\t') {
          width = (width / 8 + 1) * 8;
          ++width_tab1;
        } else if (c == '\f') {
          width = width_tab1 = 0;
        } else {
          break;
        }
        ++pos_;
      }
      if (pos_ >= src_.size()) return false;
      const char c = src_[pos_];
      if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r')
          ++pos_;
        if (pos_ >= src_.size()) return false;
      }
      if (src_[pos_] == '\n' || src_[pos_] == '\r') {
        ConsumeNewline();
        continue;
      }
      if (src_[pos_] == '\\' && pos_ + 1 < src_.size() &&
          (src_[pos_ + 1] == '\n' || src_[pos_ + 1] == '\r')) {
        // A continuation line that starts a statement: indentation comes
        // from this physical line (CPython does the same).
      }
      (void)start;
      const int line = line_, col = Col();
      if (width > indents_.back()) {
        if (width_tab1 <= indents_tab1_.back()) {
          FailAt("inconsistent use of tabs and spaces in indentation", line,
                 col);
        }
        indents_.push_back(width);
        indents_tab1_.push_back(width_tab1);
        Push(TokenType::kIndent, "", line, col, pos_, pos_);
      } else {
        while (width < indents_.back()) {
          indents_.pop_back();
          indents_tab1_.pop_back();
          Push(TokenType::kDedent, "", line, col, pos_, pos_);
        }
        if (width != indents_.back()) {
          FailAt("unindent does not match any outer indentation level", line,
                 col);
        }
        if (width_tab1 != indents_tab1_.back()) {
          FailAt("inconsistent use of tabs and spaces in indentation", line,
                 col);
        }
      }
      return true;
    }
  }

  void LexToken() {
    const unsigned char c = src_[pos_];
    const int line = line_, col = Col();
    const size_t begin = pos_;
    if (std::isdigit(c) ||
        (c == '.' && pos_ + 1 < src_.size() && std::isdigit(src_[pos_ + 1]))) {
      LexNumber();
      return;
    }
    if (IsIdentStart(c)) {
      // String prefixes: r, b, u, f and their combinations.
      size_t p = pos_;
      while (p < src_.size() && p - pos_ < 3 &&
             std::strchr("rRbBuUfF", src_[p]) && src_[p] != 0) {
        ++p;
      }
      if (p < src_.size() && (src_[p] == '\'' || src_[p] == '"') &&
          p - pos_ <= 2) {
        std::string prefix(src_.substr(pos_, p - pos_));
        for (char& ch : prefix) ch = static_cast<char>(std::tolower(ch));
        const bool valid = prefix == "r" || prefix == "b" || prefix == "u" ||
                           prefix == "f" || prefix == "rb" || prefix == "br" ||
                           prefix == "fr" || prefix == "rf";
        if (valid) {
          LexString(prefix, p);
          return;
        }
      }
      // The loop checks every non-ASCII code point, the first one included
      // (checking it here too left pos_ on a continuation byte, and the
      // check there stepped back: an endless loop on a name like "π").
      while (pos_ < src_.size() &&
             IsIdentChar(static_cast<unsigned char>(src_[pos_]))) {
        if (static_cast<unsigned char>(src_[pos_]) >= 0x80)
          CheckIdentifierCodePoint(line_, Col());
        ++pos_;
      }
      std::string word(src_.substr(begin, pos_ - begin));
      const bool kw = IsPythonKeyword(word);
      Push(kw ? TokenType::kKeyword : TokenType::kName, std::move(word), line,
           col, begin, pos_);
      return;
    }
    if (c == '\'' || c == '"') {
      LexString("", pos_);
      return;
    }
    for (const char* op : kOperators) {
      const size_t n = std::strlen(op);
      if (src_.substr(pos_, n) == op) {
        pos_ += n;
        Push(TokenType::kOp, op, line, col, begin, pos_);
        TrackBrackets(line, col);
        return;
      }
    }
    if (c == '!') {
      ++pos_;
      Push(TokenType::kOp, "!", line, col, begin, pos_);
      return;
    }
    if (c < 0x20 || c == 0x7f) {
      FailAt("invalid non-printable character " + HexCodePoint(c), line, col);
    }
    FailAt("invalid syntax", line, col);
  }

  void CheckIdentifierCodePoint(int line, int col) {
    uint32_t cp = 0;
    // CheckEncoding ran first, so this is a lead byte; a stray continuation
    // byte still counts as one byte (never a step back).
    const size_t n = std::max<size_t>(1, Utf8Length(src_, pos_, &cp));
    // Letters beyond ASCII are valid identifiers; punctuation such as the
    // typographic quotes and the non-breaking space that editors insert is
    // not (CPython: invalid character '“' (U+201C)).
    // Symbol blocks too (currency, arrows, mathematical operators, box
    // drawing, dingbats, private use, the replacement character U+FFFD that a
    // browser puts for invalid UTF-8, emoji): none has a letter that Python
    // accepts in a name (CPython: invalid character '\xef\xbf\xbd' (U+FFFD)).
    const bool punctuation =
        (cp >= 0x2000 && cp <= 0x206F) || cp == 0xA0 ||
        (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF ||
        (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0x80 && cp < 0xC0) ||
        cp == 0xD7 || cp == 0xF7 || (cp >= 0x20A0 && cp <= 0x20CF) ||
        (cp >= 0x2190 && cp <= 0x245F) || (cp >= 0x2500 && cp <= 0x2BFF) ||
        (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xFFF0 && cp <= 0xFFFF) ||
        (cp >= 0x1F000 && cp <= 0x1FAFF);
    if (punctuation) {
      if (cp == 0xA0 || cp == 0xFEFF || (cp >= 0x2000 && cp <= 0x200F)) {
        FailAt("invalid non-printable character " + HexCodePoint(cp), line,
               col);
      }
      FailAt("invalid character '" + std::string(src_.substr(pos_, n)) + "' (" +
                 HexCodePoint(cp) + ")",
             line, col);
    }
    pos_ += n - 1;  // the caller advances past the last byte
  }

  void TrackBrackets(int line, int col) {
    const std::string& op = tokens_.back().text;
    if (op == "(" || op == "[" || op == "{") {
      if (static_cast<int>(brackets_.size()) >= limits_.max_bracket_depth) {
        FailAt("too many nested parentheses", line, col);
      }
      brackets_.push_back(tokens_.size() - 1);
    } else if (op == ")" || op == "]" || op == "}") {
      if (brackets_.empty()) {
        if (fragment_ && op == "}") Fail("f-string: single '}' is not allowed");
        FailAt("unmatched '" + op + "'", line, col);
      }
      const Token& open = tokens_[brackets_.back()];
      const char expected = open.text == "("   ? ')'
                            : open.text == "[" ? ']'
                                               : '}';
      if (op[0] != expected) {
        std::string msg = "closing parenthesis '" + op +
                          "' does not match opening parenthesis '" + open.text +
                          "'";
        if (open.line != line) msg += " on line " + std::to_string(open.line);
        FailAt(msg, line, col);
      }
      brackets_.pop_back();
    }
  }

  void LexNumber() {
    const int line = line_, col = Col();
    const size_t begin = pos_;
    auto digits = [&](auto pred) {
      std::string out;
      while (pos_ < src_.size()) {
        const char ch = src_[pos_];
        if (pred(ch)) {
          out += ch;
          ++pos_;
        } else if (ch == '_' && pos_ + 1 < src_.size() &&
                   pred(src_[pos_ + 1]) && !out.empty()) {
          ++pos_;
        } else {
          break;
        }
      }
      return out;
    };
    auto is_dec = [](char ch) { return ch >= '0' && ch <= '9'; };
    if (src_[pos_] == '0' && pos_ + 1 < src_.size() &&
        std::strchr("xXoObB", src_[pos_ + 1]) && src_[pos_ + 1] != 0) {
      const char kind = static_cast<char>(std::tolower(src_[pos_ + 1]));
      pos_ += 2;
      if (pos_ < src_.size() && src_[pos_] == '_') ++pos_;
      const int base = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
      std::string ds = digits([base](char ch) {
        if (base == 16)
          return std::isxdigit(static_cast<unsigned char>(ch)) != 0;
        if (base == 8) return ch >= '0' && ch <= '7';
        return ch == '0' || ch == '1';
      });
      if (ds.empty()) {
        const char* name = base == 16  ? "hexadecimal"
                           : base == 8 ? "octal"
                                       : "binary";
        FailAt(std::string("invalid ") + name + " literal", line, col);
      }
      FinishInt(ds, base, line, col, begin);
      return;
    }
    std::string text = digits(is_dec);
    bool is_float = false;
    if (pos_ < src_.size() && src_[pos_] == '.' &&
        !(pos_ + 1 < src_.size() && src_[pos_ + 1] == '.')) {
      is_float = true;
      ++pos_;
      text += '.';
      text += digits(is_dec);
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      size_t p = pos_ + 1;
      if (p < src_.size() && (src_[p] == '+' || src_[p] == '-')) ++p;
      if (p < src_.size() && is_dec(src_[p])) {
        is_float = true;
        text += 'e';
        if (src_[pos_ + 1] == '-' || src_[pos_ + 1] == '+')
          text += src_[pos_ + 1];
        pos_ = p;
        text += digits(is_dec);
      } else {
        FailAt("invalid decimal literal", line, col);
      }
    }
    if (pos_ < src_.size() && (src_[pos_] == 'j' || src_[pos_] == 'J')) {
      ++pos_;
      RaiseSourceError(ErrorClass::kNotSupportedError,
                       "complex numbers (" +
                           std::string(src_.substr(begin, pos_ - begin)) +
                           ") are not supported by the playground",
                       line, col);
    }
    if (pos_ < src_.size() &&
        IsIdentChar(static_cast<unsigned char>(src_[pos_]))) {
      FailAt("invalid decimal literal", line, col);
    }
    if (text.size() > limits_.max_literal_chars) {
      FailAt("numeric literal too long (more than " +
                 std::to_string(limits_.max_literal_chars) + " characters)",
             line, col);
    }
    if (is_float) {
      Token t;
      Push(TokenType::kFloat, text, line, col, begin, pos_);
      tokens_.back().float_value = std::strtod(text.c_str(), nullptr);
      return;
    }
    if (text.size() > 1 && text[0] == '0' &&
        text.find_first_not_of('0') != std::string::npos) {
      FailAt(
          "leading zeros in decimal integer literals are not permitted; "
          "use an 0o prefix for octal integers",
          line, col);
    }
    FinishInt(text, 10, line, col, begin);
  }

  void FinishInt(const std::string& digits, int base, int line, int col,
                 size_t begin) {
    uint64_t v = 0;
    for (char ch : digits) {
      const int d = std::isdigit(static_cast<unsigned char>(ch))
                        ? ch - '0'
                        : std::tolower(ch) - 'a' + 10;
      if (v > (static_cast<uint64_t>(INT64_MAX) - d) / base) {
        RaiseSourceError(ErrorClass::kNotSupportedError,
                         "integer literal " +
                             std::string(src_.substr(
                                 begin, std::min<size_t>(pos_ - begin, 40))) +
                             " is too large: the playground's integers are "
                             "64-bit",
                         line, col);
      }
      v = v * base + d;
    }
    Push(TokenType::kInt, std::string(src_.substr(begin, pos_ - begin)), line,
         col, begin, pos_);
    tokens_.back().int_value = static_cast<int64_t>(v);
  }

  // `quote_pos` is the first quote; `prefix` is lower-case.
  void LexString(const std::string& prefix, size_t quote_pos) {
    const int line = line_, col = Col();
    const size_t begin = pos_;
    const bool raw = prefix.find('r') != std::string::npos;
    const bool fstr = prefix.find('f') != std::string::npos;
    if (prefix.find('b') != std::string::npos) {
      RaiseSourceError(ErrorClass::kNotSupportedError,
                       "bytes literals are not supported by the playground",
                       line, col);
    }
    pos_ = quote_pos;
    const char q = src_[pos_];
    const bool triple = src_.substr(pos_, 3) == std::string(3, q);
    pos_ += triple ? 3 : 1;
    const size_t body_begin = pos_;
    const int body_line = line_, body_col = Col();
    std::string value;
    while (true) {
      if (pos_ >= src_.size()) {
        FailAt(std::string(triple ? "unterminated triple-quoted string literal"
                                  : "unterminated string literal") +
                   " (detected at line " + std::to_string(line_) + ")",
               line, col);
      }
      const char ch = src_[pos_];
      if (!triple && (ch == '\n' || ch == '\r')) {
        FailAt("unterminated string literal (detected at line " +
                   std::to_string(line_) + ")",
               line, col);
      }
      if (ch == q && (!triple || src_.substr(pos_, 3) == std::string(3, q))) {
        break;
      }
      if (value.size() > limits_.max_literal_chars) {
        FailAt("string literal too long (more than " +
                   std::to_string(limits_.max_literal_chars) + " characters)",
               line, col);
      }
      if (ch == '\n' || ch == '\r') {
        ConsumeNewline();
        value += '\n';
        continue;
      }
      if (ch == '\\' && pos_ + 1 < src_.size()) {
        if (raw || fstr) {
          // Raw: keep both characters (a backslash still protects the quote).
          // f-strings are decoded later, piece by piece.
          value += ch;
          ++pos_;
          const char nx = src_[pos_];
          if (nx == '\n' || nx == '\r') {
            ConsumeNewline();
            value += '\n';
          } else {
            value += nx;
            ++pos_;
          }
          continue;
        }
        DecodeEscape(value);
        continue;
      }
      value += ch;
      ++pos_;
    }
    const size_t body_end = pos_;
    pos_ += triple ? 3 : 1;
    Push(fstr ? TokenType::kFString : TokenType::kString, std::move(value),
         line, col, begin, pos_);
    Token& t = tokens_.back();
    t.raw = raw;
    t.body_begin = body_begin;
    t.body_end = body_end;
    t.body_line = body_line;
    t.body_col = body_col;
  }

 public:
  // Decodes the escape at pos_ (a backslash) into `out`. Shared with the
  // f-string literal parts.
  void DecodeEscape(std::string& out) {
    ++pos_;  // the backslash
    const char e = src_[pos_];
    auto hex = [&](int n) -> uint32_t {
      uint32_t v = 0;
      for (int k = 0; k < n; ++k) {
        if (pos_ + 1 + k >= src_.size() ||
            !std::isxdigit(static_cast<unsigned char>(src_[pos_ + 1 + k]))) {
          Fail(
              "(unicode error) 'unicodeescape' codec can't decode bytes: "
              "truncated \\" +
              std::string(1, e) + std::string(n, 'X') + " escape");
        }
        const char h = src_[pos_ + 1 + k];
        v = v * 16 + (std::isdigit(static_cast<unsigned char>(h))
                          ? h - '0'
                          : std::tolower(h) - 'a' + 10);
      }
      pos_ += n;
      return v;
    };
    switch (e) {
      case '\n':
        ++pos_;
        ++line_;
        line_start_ = pos_;
        return;
      case '\r':
        ConsumeNewline();
        return;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '\\':
        out += '\\';
        break;
      case '\'':
        out += '\'';
        break;
      case '"':
        out += '"';
        break;
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x':
        AppendUtf8(out, hex(2));
        break;
      case 'u': {
        const uint32_t cp = hex(4);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
          AppendUtf8(out, 0xFFFD);
        } else {
          AppendUtf8(out, cp);
        }
        break;
      }
      case 'U': {
        const uint32_t cp = hex(8);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          Fail(
              "(unicode error) 'unicodeescape' codec can't decode bytes: "
              "illegal Unicode character");
        }
        AppendUtf8(out, cp);
        break;
      }
      case 'N':
        RaiseSourceError(ErrorClass::kNotSupportedError,
                         "\\N{...} escapes are not supported by the playground",
                         line_, Col());
      default:
        if (e >= '0' && e <= '7') {
          uint32_t v = 0;
          int k = 0;
          while (k < 3 && pos_ < src_.size() && src_[pos_] >= '0' &&
                 src_[pos_] <= '7') {
            v = v * 8 + (src_[pos_] - '0');
            ++pos_;
            ++k;
          }
          AppendUtf8(out, v);
          return;
        }
        // Unknown escapes keep the backslash (CPython warns, then keeps it).
        out += '\\';
        return;  // the character itself is read as ordinary text
    }
    ++pos_;
  }

  // For the f-string parser: decode the literal text [begin, end).
  std::string DecodeRange(size_t begin, size_t end, int line, int col) {
    pos_ = begin;
    line_ = line;
    line_start_ = begin - (col - 1);
    std::string out;
    while (pos_ < end) {
      if (src_[pos_] == '\\' && pos_ + 1 < end) {
        DecodeEscape(out);
      } else {
        if (src_[pos_] == '\n') {
          ++line_;
          line_start_ = pos_ + 1;
        }
        out += src_[pos_++];
      }
    }
    return out;
  }

 private:
  std::vector<Token> Finish() {
    if (!brackets_.empty()) {
      const Token& open = tokens_[brackets_.back()];
      FailAt("'" + open.text + "' was never closed", open.line, open.col);
    }
    if (!tokens_.empty() && tokens_.back().type != TokenType::kNewline &&
        tokens_.back().type != TokenType::kDedent &&
        tokens_.back().type != TokenType::kIndent) {
      Push(TokenType::kNewline, "", line_, Col(), pos_, pos_);
    }
    while (indents_.size() > 1) {
      indents_.pop_back();
      Push(TokenType::kDedent, "", line_, Col(), pos_, pos_);
    }
    Push(TokenType::kEnd, "", line_, Col(), pos_, pos_);
    return std::move(tokens_);
  }

  std::string_view src_;
  LexerLimits limits_;
  size_t pos_ = 0;
  size_t limit_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  bool fragment_ = false;
  std::vector<int> indents_{0};
  std::vector<int> indents_tab1_{0};
  std::vector<size_t> brackets_;  // indices of open bracket tokens
  std::vector<Token> tokens_;
};

}  // namespace

bool IsPythonKeyword(std::string_view word) {
  for (const char* k : kKeywords) {
    if (word == k) return true;
  }
  return false;
}

std::vector<Token> Tokenize(std::string_view source,
                            const LexerLimits& limits) {
  return Lexer(source, limits).Run();
}

std::vector<Token> TokenizeFragment(std::string_view source, size_t begin,
                                    size_t end, int line, int col,
                                    const LexerLimits& limits) {
  return Lexer(source, limits).RunFragment(begin, end, line, col);
}

std::string DecodeStringRange(std::string_view source, size_t begin, size_t end,
                              int line, int col) {
  LexerLimits limits;
  return Lexer(source, limits).DecodeRange(begin, end, line, col);
}

}  // namespace ap::py
