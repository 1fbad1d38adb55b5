// The methods of str (join, split, strip, replace, find, ...) and
// str.format.
#include <algorithm>
#include <cctype>

#include "../error.h"
#include "../repr.h"
#include "builtin_support.h"
#include "builtins.h"
#include "format.h"
#include "framework.h"
#include "object_ops.h"
#include "runtime.h"

namespace ap::py {

namespace {

using VK = Value::Kind;

std::string StrFormat(RunContext& ctx, const std::string& fmt,
                      const CallArgs& args);

const std::string& StrArg(const CallArgs& a, size_t i,
                          const std::string& method) {
  const Value& v = a.positional[i];
  if (v.kind() != VK::kStr) {
    RaiseTypeError(method + "() argument " + std::to_string(i + 1) +
                   " must be str, not " + v.TypeName());
  }
  return v.as_str();
}

Value SplitStr(RunContext& ctx, const std::string& s, const CallArgs& a,
               bool right) {
  OnlyKeywords(right ? "rsplit" : "split", a, {"sep", "maxsplit"});
  std::optional<Value> sep = a.positional.size() > 0
                                 ? a.positional[0]
                                 : KeywordArg(a, "sep").value_or(Value::None());
  int64_t maxsplit =
      a.positional.size() > 1
          ? AsIndex(a.positional[1])
          : AsIndex(KeywordArg(a, "maxsplit").value_or(Value::Int(-1)));
  ValueList out;
  if (!sep || sep->is_none()) {
    std::vector<std::string> words;
    size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && kWhitespace.find(s[i]) != std::string::npos) ++i;
      if (i >= s.size()) break;
      size_t j = i;
      while (j < s.size() && kWhitespace.find(s[j]) == std::string::npos) ++j;
      words.push_back(s.substr(i, j - i));
      i = j;
    }
    if (maxsplit >= 0 && static_cast<int64_t>(words.size()) > maxsplit + 1) {
      // Rejoin the tail from the original text.
      std::vector<std::string> head;
      size_t pos = 0;
      if (!right) {
        for (int64_t k = 0; k < maxsplit; ++k) {
          while (kWhitespace.find(s[pos]) != std::string::npos) ++pos;
          size_t j = pos;
          while (j < s.size() && kWhitespace.find(s[j]) == std::string::npos)
            ++j;
          head.push_back(s.substr(pos, j - pos));
          pos = j;
        }
        while (pos < s.size() && kWhitespace.find(s[pos]) != std::string::npos)
          ++pos;
        head.push_back(Strip(s.substr(pos), kWhitespace, false, true));
        words = head;
      } else {
        std::vector<std::string> tail(words.end() - maxsplit, words.end());
        size_t end = s.size();
        for (int64_t k = 0; k < maxsplit; ++k) {
          while (end > 0 && kWhitespace.find(s[end - 1]) != std::string::npos)
            --end;
          while (end > 0 && kWhitespace.find(s[end - 1]) == std::string::npos)
            --end;
        }
        words.clear();
        words.push_back(Strip(s.substr(0, end), kWhitespace, true, true));
        words.insert(words.end(), tail.begin(), tail.end());
      }
    }
    for (std::string& w : words) out.push_back(Value::Str(std::move(w)));
    RuntimeOf(ctx).ChargeWork(static_cast<int64_t>(out.size()));
    return Value::List(std::move(out));
  }
  if (sep->kind() != VK::kStr)
    RaiseTypeError("must be str or None, not " + sep->TypeName());
  const std::string& d = sep->as_str();
  if (d.empty()) RaiseValueError("empty separator");
  std::vector<std::string> parts;
  if (!right) {
    size_t pos = 0;
    while (true) {
      if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) >= maxsplit)
        break;
      const size_t f = s.find(d, pos);
      if (f == std::string::npos) break;
      parts.push_back(s.substr(pos, f - pos));
      pos = f + d.size();
    }
    parts.push_back(s.substr(pos));
  } else {
    size_t end = s.size();
    std::vector<std::string> rev;
    while (true) {
      if (maxsplit >= 0 && static_cast<int64_t>(rev.size()) >= maxsplit) break;
      if (end < d.size()) break;
      const size_t f = s.rfind(d, end - d.size());
      if (f == std::string::npos) break;
      rev.push_back(s.substr(f + d.size(), end - f - d.size()));
      end = f;
    }
    rev.push_back(s.substr(0, end));
    parts.assign(rev.rbegin(), rev.rend());
  }
  for (std::string& p : parts) out.push_back(Value::Str(std::move(p)));
  RuntimeOf(ctx).ChargeWork(static_cast<int64_t>(out.size()));
  return Value::List(std::move(out));
}

bool AffixMatch(const std::string& s, const Value& affix, bool start,
                const std::string& method) {
  if (affix.kind() == VK::kTuple) {
    for (const Value& v : affix.items()) {
      if (AffixMatch(s, v, start, method)) return true;
    }
    return false;
  }
  if (affix.kind() != VK::kStr) {
    RaiseTypeError(method + " first arg must be str or a tuple of str, not " +
                   affix.TypeName());
  }
  const std::string& x = affix.as_str();
  if (x.size() > s.size()) return false;
  return start ? s.compare(0, x.size(), x) == 0
               : s.compare(s.size() - x.size(), x.size(), x) == 0;
}

}  // namespace

Value StrMethod(RunContext& ctx, const std::string& s, const std::string& m,
                const CallArgs& a) {
  if (m == "format") return Value::Str(StrFormat(ctx, s, a));
  NoKeywords(m, a);
  const ValueList& p = a.positional;
  auto need = [&](size_t lo, size_t hi) { ArgCount(m, a, lo, hi); };
  if (m == "join") {
    need(1, 1);
    std::string out;
    size_t i = 0;
    Iterate(ctx, p[0], [&](const Value& v) {
      if (v.kind() != VK::kStr) {
        RaiseTypeError("sequence item " + std::to_string(i) +
                       ": expected str instance, " + v.TypeName() + " found");
      }
      if (i++) out += s;
      out += v.as_str();
      RuntimeOf(ctx).CheckLength(static_cast<int64_t>(out.size()),
                                 "joined string");
      return true;
    });
    return Value::Str(std::move(out));
  }
  if (m == "split" || m == "rsplit") return SplitStr(ctx, s, a, m == "rsplit");
  if (m == "upper" || m == "lower" || m == "title" || m == "capitalize") {
    need(0, 0);
    std::string out = s;
    bool start = true;
    for (size_t i = 0; i < out.size(); ++i) {
      char& c = out[i];
      const bool alpha = std::isalpha(static_cast<unsigned char>(c));
      if (m == "upper")
        c = static_cast<char>(std::toupper(c));
      else if (m == "lower")
        c = static_cast<char>(std::tolower(c));
      else if (m == "capitalize")
        c = static_cast<char>(i == 0 ? std::toupper(c) : std::tolower(c));
      else {
        c = static_cast<char>(start ? std::toupper(c) : std::tolower(c));
        start = !alpha;
      }
    }
    return Value::Str(out);
  }
  if (m == "strip" || m == "lstrip" || m == "rstrip") {
    need(0, 1);
    std::string chars = kWhitespace;
    if (!p.empty() && !p[0].is_none()) chars = StrArg(a, 0, m);
    return Value::Str(Strip(s, chars, m != "rstrip", m != "lstrip"));
  }
  if (m == "replace") {
    need(2, 3);
    const std::string& old = StrArg(a, 0, m);
    const std::string& rep = StrArg(a, 1, m);
    int64_t count = p.size() > 2 ? AsIndex(p[2]) : -1;
    std::string out;
    if (old.empty()) {
      const std::vector<std::string> chars = Utf8Chars(s);
      int64_t done = 0;
      for (const std::string& c : chars) {
        if (count < 0 || done < count) {
          out += rep;
          ++done;
        }
        out += c;
        RuntimeOf(ctx).CheckLength(static_cast<int64_t>(out.size()), "string");
      }
      if (count < 0 || done < count) out += rep;
      return Value::Str(out);
    }
    size_t pos = 0;
    int64_t done = 0;
    while (count < 0 || done < count) {
      const size_t f = s.find(old, pos);
      if (f == std::string::npos) break;
      out += s.substr(pos, f - pos) + rep;
      RuntimeOf(ctx).CheckLength(static_cast<int64_t>(out.size()), "string");
      pos = f + old.size();
      ++done;
    }
    out += s.substr(pos);
    return Value::Str(out);
  }
  if (m == "startswith" || m == "endswith") {
    need(1, 1);
    return Value::Bool(AffixMatch(s, p[0], m == "startswith", m));
  }
  if (m == "find" || m == "rfind" || m == "index" || m == "count") {
    need(1, 1);
    const std::string& x = StrArg(a, 0, m);
    if (m == "count") {
      if (x.empty()) return Value::Int(Utf8Length(s) + 1);
      int64_t n = 0;
      for (size_t pos = s.find(x); pos != std::string::npos;
           pos = s.find(x, pos + x.size()))
        ++n;
      return Value::Int(n);
    }
    const size_t f = m == "rfind" ? s.rfind(x) : s.find(x);
    if (f == std::string::npos) {
      if (m == "index") RaiseValueError("substring not found");
      return Value::Int(-1);
    }
    return Value::Int(Utf8Length(s.substr(0, f)));
  }
  if (m == "isdigit" || m == "isalpha" || m == "isalnum" || m == "isspace" ||
      m == "isupper" || m == "islower") {
    need(0, 0);
    if (s.empty()) return Value::Bool(false);
    bool any_cased = false;
    for (unsigned char c : s) {
      if (m == "isdigit" && !std::isdigit(c)) return Value::Bool(false);
      if (m == "isalpha" && !std::isalpha(c)) return Value::Bool(false);
      if (m == "isalnum" && !std::isalnum(c)) return Value::Bool(false);
      if (m == "isspace" && !std::isspace(c)) return Value::Bool(false);
      if (m == "isupper" && std::islower(c)) return Value::Bool(false);
      if (m == "islower" && std::isupper(c)) return Value::Bool(false);
      any_cased = any_cased || std::isalpha(c);
    }
    if (m == "isupper" || m == "islower") return Value::Bool(any_cased);
    return Value::Bool(true);
  }
  if (m == "center" || m == "ljust" || m == "rjust") {
    need(1, 2);
    const int64_t width = AsIndex(p[0]);
    std::string fill = " ";
    if (p.size() > 1) {
      fill = StrArg(a, 1, m);
      if (Utf8Length(fill) != 1)
        RaiseTypeError("The fill character must be exactly one character long");
    }
    RuntimeOf(ctx).CheckLength(width, "string");
    const int64_t len = Utf8Length(s);
    if (width <= len) return Value::Str(s);
    const int64_t pad = width - len;
    int64_t left = m == "ljust"   ? 0
                   : m == "rjust" ? pad
                                  : pad / 2 + (pad & width & 1);
    std::string out;
    for (int64_t i = 0; i < left; ++i) out += fill;
    out += s;
    for (int64_t i = 0; i < pad - left; ++i) out += fill;
    return Value::Str(out);
  }
  if (m == "zfill") {
    need(1, 1);
    const int64_t width = AsIndex(p[0]);
    RuntimeOf(ctx).CheckLength(width, "string");
    const int64_t len = Utf8Length(s);
    if (width <= len) return Value::Str(s);
    std::string zeros(static_cast<size_t>(width - len), '0');
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
      return Value::Str(s.substr(0, 1) + zeros + s.substr(1));
    }
    return Value::Str(zeros + s);
  }
  if (m == "splitlines") {
    need(0, 0);
    ValueList out;
    size_t pos = 0;
    while (pos < s.size()) {
      size_t e = s.find_first_of("\r\n", pos);
      if (e == std::string::npos) {
        out.push_back(Value::Str(s.substr(pos)));
        break;
      }
      out.push_back(Value::Str(s.substr(pos, e - pos)));
      pos =
          e + ((s[e] == '\r' && e + 1 < s.size() && s[e + 1] == '\n') ? 2 : 1);
    }
    return Value::List(std::move(out));
  }
  RaiseText(ErrorClass::kAttributeError,
            "'str' object has no attribute '" + m + "'");
}

namespace {

// ---- str.format

Value FieldValue(RunContext& ctx, const std::string& field, const CallArgs& a,
                 size_t& auto_index, bool& used_auto, bool& used_manual) {
  // field_name: arg_name ("." attribute | "[" index "]")*
  size_t i = 0;
  while (i < field.size() && field[i] != '.' && field[i] != '[') ++i;
  const std::string head = field.substr(0, i);
  Value v;
  if (head.empty()) {
    if (used_manual)
      RaiseValueError(
          "cannot switch from manual field specification to automatic field "
          "numbering");
    used_auto = true;
    if (auto_index >= a.positional.size()) {
      RaiseText(ErrorClass::kIndexError,
                "Replacement index " + std::to_string(auto_index) +
                    " out of range for positional args tuple");
    }
    v = a.positional[auto_index++];
  } else if (std::isdigit(static_cast<unsigned char>(head[0]))) {
    if (used_auto)
      RaiseValueError(
          "cannot switch from automatic field numbering to manual field "
          "specification");
    used_manual = true;
    const size_t idx =
        static_cast<size_t>(std::strtoull(head.c_str(), nullptr, 10));
    if (idx >= a.positional.size()) {
      RaiseText(ErrorClass::kIndexError,
                "Replacement index " + head +
                    " out of range for positional args tuple");
    }
    v = a.positional[idx];
  } else {
    std::optional<Value> k = KeywordArg(a, head);
    if (!k) RaiseText(ErrorClass::kKeyError, PyRepr(Value::Str(head)));
    v = *k;
  }
  while (i < field.size()) {
    if (field[i] == '.') {
      size_t j = i + 1;
      while (j < field.size() && field[j] != '.' && field[j] != '[') ++j;
      const std::string attr = field.substr(i + 1, j - i - 1);
      std::optional<Value> r;
      if (v.is_tensor())
        r = FrameworkOf(ctx).Attribute(v, attr, ctx);
      else if (v.kind() == VK::kObject)
        r = v.as_object()->GetAttr(attr);
      if (!r) r = PlainAttribute(v, attr);
      if (!r)
        RaiseText(
            ErrorClass::kAttributeError,
            "'" + v.TypeName() + "' object has no attribute '" + attr + "'");
      v = *r;
      i = j;
    } else {
      const size_t j = field.find(']', i);
      if (j == std::string::npos)
        RaiseValueError("Missing ']' in format string");
      const std::string key = field.substr(i + 1, j - i - 1);
      const bool numeric =
          !key.empty() &&
          key.find_first_not_of("0123456789") == std::string::npos;
      v = GetItem(ctx, v,
                  numeric ? Value::Int(std::stoll(key.substr(0, 18)))
                          : Value::Str(key));
      i = j + 1;
    }
  }
  return v;
}

std::string FormatTemplate(RunContext& ctx, const std::string& fmt,
                           const CallArgs& a, size_t& auto_index,
                           bool& used_auto, bool& used_manual, int depth) {
  if (depth > 2) RaiseValueError("Max string recursion exceeded");
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    const char c = fmt[i];
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
        out += '}';
        ++i;
        continue;
      }
      RaiseValueError("Single '}' encountered in format string");
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    // Find the matching '}' (the spec may nest one level of fields).
    size_t j = i + 1;
    int level = 1;
    while (j < fmt.size()) {
      if (fmt[j] == '{') ++level;
      if (fmt[j] == '}' && --level == 0) break;
      ++j;
    }
    if (j >= fmt.size()) {
      RaiseValueError(level > 1 ? "unmatched '{' in format spec"
                                : "Single '{' encountered in format string");
    }
    const std::string body = fmt.substr(i + 1, j - i - 1);
    size_t k = 0;
    while (k < body.size() && body[k] != '!' && body[k] != ':') {
      if (body[k] == '[') {
        while (k < body.size() && body[k] != ']') ++k;
      }
      if (k < body.size()) ++k;
    }
    const std::string field = body.substr(0, std::min(k, body.size()));
    char conv = 0;
    std::string spec;
    if (k < body.size() && body[k] == '!') {
      if (k + 1 >= body.size())
        RaiseValueError("end of string while looking for conversion specifier");
      conv = body[k + 1];
      if (conv != 'r' && conv != 's' && conv != 'a') {
        RaiseValueError(std::string("Unknown conversion specifier ") + conv);
      }
      k += 2;
      if (k < body.size() && body[k] != ':')
        RaiseValueError("expected ':' after conversion specifier");
    }
    if (k < body.size() && body[k] == ':') {
      spec = FormatTemplate(ctx, body.substr(k + 1), a, auto_index, used_auto,
                            used_manual, depth + 1);
    }
    Value v = FieldValue(ctx, field, a, auto_index, used_auto, used_manual);
    if (conv == 'r' || conv == 'a') v = Value::Str(PyRepr(v));
    if (conv == 's') v = Value::Str(PyStr(v));
    out += FormatValue(ctx, v, spec);
    RuntimeOf(ctx).CheckLength(static_cast<int64_t>(out.size()),
                               "formatted string");
    i = j;
  }
  return out;
}

std::string StrFormat(RunContext& ctx, const std::string& fmt,
                      const CallArgs& args) {
  size_t auto_index = 0;
  bool used_auto = false, used_manual = false;
  return FormatTemplate(ctx, fmt, args, auto_index, used_auto, used_manual, 0);
}

}  // namespace

}  // namespace ap::py
