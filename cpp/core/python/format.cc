#include "format.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "../error.h"
#include "../repr.h"
#include "native_array.h"
#include "runtime.h"
#include "text.h"

namespace ap::py {

namespace {

using VK = Value::Kind;

struct Spec {
  char fill = ' ';
  std::string fill_text = " ";
  char align = 0;  // < > ^ =
  char sign = '-';
  bool alternate = false;
  bool zero = false;
  int64_t width = -1;
  char grouping = 0;
  int64_t precision = -1;
  char type = 0;
};

[[noreturn]] void BadSpec(const std::string& msg) { RaiseValueError(msg); }

// Widths and precisions are playground limits (CPython accepts any that fits
// in memory): past them, a LimitError that names the limit and the value.
constexpr int64_t kMaxFormatWidth = 100000;
constexpr int64_t kMaxFormatPrecision = 10000;

int64_t FormatNumber(const std::string& digits, const char* what,
                     int64_t limit) {
  int64_t v = 0;
  for (char c : digits) {
    v = v * 10 + (c - '0');
    if (v > limit) {
      RaiseText(
          ErrorClass::kLimitError,
          std::string("format limit exceeded: a format ") + what + " of " +
              (digits.size() > 30 ? digits.substr(0, 30) + "..." : digits) +
              " is more than the playground allows (" + std::to_string(limit) +
              ")");
    }
  }
  return v;
}

// snprintf of one double with a precision, whatever the length (a fixed
// buffer would silently cut "{:.1000f}" short).
std::string FormatDouble(const char* fmt, int precision, double x) {
  const int n = std::snprintf(nullptr, 0, fmt, precision, x);
  if (n <= 0) return "";
  std::vector<char> buf(static_cast<size_t>(n) + 1);
  std::snprintf(buf.data(), buf.size(), fmt, precision, x);
  return std::string(buf.data(), static_cast<size_t>(n));
}

// type_name: the formatted object's Python type, for CPython's message.
Spec ParseSpec(const std::string& s, const char* type_name) {
  Spec spec;
  size_t i = 0;
  auto is_align = [](char c) {
    return c == '<' || c == '>' || c == '^' || c == '=';
  };
  // [[fill]align]: the fill may be a multi-byte character.
  size_t fill_len = 1;
  if (!s.empty() && static_cast<unsigned char>(s[0]) >= 0x80) {
    const unsigned char c = s[0];
    fill_len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  }
  if (s.size() > fill_len && is_align(s[fill_len])) {
    spec.fill_text = s.substr(0, fill_len);
    spec.fill = s[0];
    spec.align = s[fill_len];
    i = fill_len + 1;
  } else if (!s.empty() && is_align(s[0])) {
    spec.align = s[0];
    i = 1;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) {
    spec.sign = s[i++];
  }
  if (i < s.size() && s[i] == 'z') ++i;
  if (i < s.size() && s[i] == '#') {
    spec.alternate = true;
    ++i;
  }
  if (i < s.size() && s[i] == '0') {
    spec.zero = true;
    ++i;
  }
  if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    std::string digits;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
      digits += s[i++];
    spec.width = FormatNumber(digits, "width", kMaxFormatWidth);
  }
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) spec.grouping = s[i++];
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) {
      BadSpec("Format specifier missing precision");
    }
    std::string digits;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
      digits += s[i++];
    spec.precision = FormatNumber(digits, "precision", kMaxFormatPrecision);
  }
  if (i < s.size()) spec.type = s[i++];
  if (i < s.size())
    BadSpec("Invalid format specifier '" + s + "' for object of type '" +
            type_name + "'");
  if (spec.zero && !spec.align) {
    spec.fill = '0';
    spec.fill_text = "0";
    spec.align = '=';
  }
  return spec;
}

std::string Group(const std::string& digits, char sep, int every) {
  std::string out;
  const int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % every == 0) out += sep;
    out += digits[static_cast<size_t>(i)];
  }
  return out;
}

int64_t DisplayWidth(const std::string& s) { return Utf8Length(s); }

std::string Pad(const std::string& body, const std::string& sign_prefix,
                const Spec& spec, char default_align) {
  const char align = spec.align ? spec.align : default_align;
  const int64_t len = DisplayWidth(body) + DisplayWidth(sign_prefix);
  if (spec.width <= len) return sign_prefix + body;
  const int64_t pad = spec.width - len;
  auto fill = [&](int64_t n) {
    std::string out;
    for (int64_t i = 0; i < n; ++i) out += spec.fill_text;
    return out;
  };
  switch (align) {
    case '<':
      return sign_prefix + body + fill(pad);
    case '^':
      return fill(pad / 2) + sign_prefix + body + fill(pad - pad / 2);
    case '=':
      return sign_prefix + fill(pad) + body;
    default:
      return fill(pad) + sign_prefix + body;
  }
}

std::string SignPrefix(bool negative, const Spec& spec) {
  if (negative) return "-";
  if (spec.sign == '+') return "+";
  if (spec.sign == ' ') return " ";
  return "";
}

std::string FormatInt(int64_t v, const Spec& spec, const char* type_name) {
  const bool neg = v < 0;
  const uint64_t mag =
      neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string digits;
  std::string prefix;
  switch (spec.type) {
    case 0:
    case 'd':
    case 'n':
      digits = std::to_string(mag);
      if (spec.grouping) digits = Group(digits, spec.grouping, 3);
      break;
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      const int base = spec.type == 'o' ? 8 : spec.type == 'b' ? 2 : 16;
      const char* alphabet =
          spec.type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
      uint64_t m = mag;
      do {
        digits.insert(digits.begin(), alphabet[m % base]);
        m /= base;
      } while (m);
      if (spec.grouping == '_') digits = Group(digits, '_', 4);
      if (spec.alternate) prefix = std::string("0") + spec.type;
      break;
    }
    case 'c':
      digits = std::string(1, static_cast<char>(v));
      break;
    default:
      RaiseValueError(std::string("Unknown format code '") + spec.type +
                      "' for object of type '" + type_name + "'");
  }
  return Pad(digits, SignPrefix(neg, spec) + prefix, spec, '>');
}

std::string FormatFloat(double v, Spec spec) {
  const bool neg = std::signbit(v) && !std::isnan(v);
  const double mag = std::fabs(v);
  std::string body;
  char type = spec.type;
  if (std::isinf(mag) || std::isnan(mag)) {
    body = std::isnan(mag) ? "nan" : "inf";
    if (type == 'F' || type == 'E' || type == 'G') {
      for (char& c : body) c = static_cast<char>(std::toupper(c));
    }
    if (type == '%') body += "%";
    Spec s2 = spec;
    if (s2.fill == '0' && s2.align == '=') {
      s2.fill = ' ';
      s2.fill_text = " ";
    }
    return Pad(body, SignPrefix(neg, spec), s2, '>');
  }
  if (type == 0 && spec.precision < 0) {
    body = PyRepr(Value::Float(mag));
  } else if (type == 0) {
    // Like 'g', but always with a digit after the point for integers.
    const int p = spec.precision == 0 ? 1 : static_cast<int>(spec.precision);
    body = FormatDouble("%.*g", p, mag);
    if (body.find_first_of(".e") == std::string::npos &&
        body.find("inf") == std::string::npos) {
      body += ".0";
    }
  } else {
    int p = spec.precision < 0 ? 6 : static_cast<int>(spec.precision);
    double x = mag;
    char t = type;
    if (t == '%') {
      x *= 100;
      t = 'f';
    }
    if (t == 'n') t = 'g';
    if (t != 'f' && t != 'F' && t != 'e' && t != 'E' && t != 'g' && t != 'G') {
      RaiseValueError(std::string("Unknown format code '") + type +
                      "' for object of type 'float'");
    }
    if ((t == 'g' || t == 'G') && p == 0) p = 1;
    const char fmt[] = {'%', spec.alternate ? '#' : '%', '.', '*', t, 0};
    if (spec.alternate) {
      body = FormatDouble(fmt, p, x);
    } else {
      const char fmt2[] = {'%', '.', '*', t, 0};
      body = FormatDouble(fmt2, p, x);
    }
    if (type == '%') body += "%";
  }
  if (spec.grouping) {
    size_t end = body.find_first_of(".eE%");
    if (end == std::string::npos) end = body.size();
    body = Group(body.substr(0, end), spec.grouping, 3) + body.substr(end);
  }
  return Pad(body, SignPrefix(neg, spec), spec, '>');
}

std::string FormatStr(const std::string& s, const Spec& spec) {
  if (spec.type != 0 && spec.type != 's') {
    RaiseValueError(std::string("Unknown format code '") + spec.type +
                    "' for object of type 'str'");
  }
  if (spec.sign != '-')
    RaiseValueError("Sign not allowed in string format specifier");
  if (spec.align == '=') {
    RaiseValueError("'=' alignment not allowed in string format specifier");
  }
  std::string body = s;
  if (spec.precision >= 0) {
    std::vector<std::string> chars = Utf8Chars(s);
    if (static_cast<int64_t>(chars.size()) > spec.precision) {
      body.clear();
      for (int64_t i = 0; i < spec.precision; ++i)
        body += chars[static_cast<size_t>(i)];
    }
  }
  return Pad(body, "", spec, '<');
}

}  // namespace

std::string FormatValue(RunContext& ctx, const Value& v,
                        const std::string& spec_text) {
  switch (v.kind()) {
    case VK::kStr:
      if (spec_text.empty()) return v.as_str();
      return FormatStr(v.as_str(), ParseSpec(spec_text, "str"));
    case VK::kInt:
    case VK::kBool: {
      if (spec_text.empty()) return PyStr(v);
      Spec spec = ParseSpec(spec_text, v.kind() == VK::kBool ? "bool" : "int");
      if (std::string("eEfFgG%").find(spec.type) != std::string::npos &&
          spec.type) {
        return FormatFloat(static_cast<double>(v.as_int()), spec);
      }
      return FormatInt(v.as_int(), spec,
                       v.kind() == VK::kBool ? "bool" : "int");
    }
    case VK::kFloat:
      if (spec_text.empty()) return PyStr(v);
      return FormatFloat(v.as_float(), ParseSpec(spec_text, "float"));
    case VK::kTensor: {
      // EagerTensor.__format__ formats the numpy value: "[[1.5 2. ]]".
      if (spec_text.empty()) return TensorFormat(v.as_tensor());
      const Tensor& t = v.as_tensor();
      if (t.num_elements() != 1 || t.rank() != 0) {
        RaiseTypeError(
            "unsupported format string passed to numpy.ndarray.__format__");
      }
      const double x = t.GetAsDouble(0);
      if (t.dtype() == DType::kFloat32)
        return FormatFloat(x, ParseSpec(spec_text, "float"));
      if (t.dtype() == DType::kBool) {
        return FormatValue(ctx, Value::Bool(x != 0), spec_text);
      }
      return FormatInt(static_cast<int64_t>(x), ParseSpec(spec_text, "int"),
                       "int");
    }
    default:
      if (spec_text.empty()) return PyStr(v);
      if (const NativeArrayLike* a = AsNativeArrayLike(v)) {
        if (a->PyFormatsAsScalar()) {
          return FormatValue(ctx, a->PyScalar(), spec_text);
        }
        RaiseTypeError(
            "unsupported format string passed to numpy.ndarray.__format__");
      }
      RaiseTypeError("unsupported format string passed to " + v.TypeName() +
                     ".__format__");
  }
}

std::string PercentFormat(RunContext& ctx, const std::string& fmt,
                          const Value& args) {
  ValueList items;
  bool is_tuple = args.kind() == VK::kTuple;
  if (is_tuple) {
    items = args.items();
  } else {
    items.push_back(args);
  }
  size_t next = 0;
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    ++i;
    if (i >= fmt.size()) RaiseValueError("incomplete format");
    if (fmt[i] == '%') {
      out += '%';
      continue;
    }
    std::string spec;
    while (i < fmt.size() &&
           std::string("-+ #0123456789.").find(fmt[i]) != std::string::npos) {
      spec += fmt[i++];
    }
    if (i >= fmt.size()) RaiseValueError("incomplete format");
    const char conv = fmt[i];
    if (next >= items.size()) {
      RaiseTypeError("not enough arguments for format string");
    }
    const Value& v = items[next++];
    // Translate the printf flags into a format spec.
    Spec s;
    size_t k = 0;
    bool left = false;
    while (k < spec.size() &&
           std::string("-+ #0").find(spec[k]) != std::string::npos) {
      if (spec[k] == '-') left = true;
      if (spec[k] == '+') s.sign = '+';
      if (spec[k] == ' ' && s.sign != '+') s.sign = ' ';
      if (spec[k] == '#') s.alternate = true;
      if (spec[k] == '0') s.zero = true;
      ++k;
    }
    std::string width, prec;
    while (k < spec.size() && std::isdigit(static_cast<unsigned char>(spec[k])))
      width += spec[k++];
    if (k < spec.size() && spec[k] == '.') {
      ++k;
      while (k < spec.size() &&
             std::isdigit(static_cast<unsigned char>(spec[k])))
        prec += spec[k++];
      if (prec.empty()) prec = "0";
    }
    // (Cutting the digits to six silently formatted "%2000000000d" with a
    // width of 200000.)
    if (!width.empty()) s.width = FormatNumber(width, "width", kMaxFormatWidth);
    if (!prec.empty())
      s.precision = FormatNumber(prec, "precision", kMaxFormatPrecision);
    if (left) {
      s.align = '<';
    } else if (s.zero && conv != 's' && conv != 'r') {
      s.fill = '0';
      s.fill_text = "0";
      s.align = '=';
    } else {
      s.align = '>';
    }
    switch (conv) {
      case 's':
      case 'r':
      case 'a': {
        std::string text = conv == 's' ? PyStr(v) : PyRepr(v);
        Spec t = s;
        t.sign = '-';
        if (t.align == '=') t.align = '>';
        out += FormatStr(text, t);
        break;
      }
      case 'd':
      case 'i':
      case 'u': {
        if (!v.is_number() && !v.is_tensor()) {
          RaiseTypeError("%" + std::string(1, conv) +
                         " format: a real number is required, not " +
                         v.TypeName());
        }
        const int64_t x =
            v.kind() == VK::kFloat ? static_cast<int64_t>(v.as_float())
            : v.is_tensor() ? static_cast<int64_t>(v.as_tensor().GetAsDouble(0))
                            : v.as_int();
        s.type = 'd';
        s.precision = -1;
        out += FormatInt(x, s, "int");
        break;
      }
      case 'x':
      case 'X':
      case 'o':
        if (v.kind() != VK::kInt && v.kind() != VK::kBool) {
          RaiseTypeError("%" + std::string(1, conv) +
                         " format: an integer is required, not " +
                         v.TypeName());
        }
        s.type = conv;
        s.precision = -1;
        out += FormatInt(v.as_int(), s, "int");
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        double x;
        if (v.is_number()) {
          x = v.as_number();
        } else if (v.is_tensor() && v.as_tensor().num_elements() == 1) {
          x = v.as_tensor().GetAsDouble(0);
        } else {
          RaiseTypeError("must be real number, not " + v.TypeName());
        }
        s.type = conv;
        out += FormatFloat(x, s);
        break;
      }
      default:
        RaiseValueError(std::string("unsupported format character '") + conv +
                        "' (0x" +
                        [&] {
                          char b[8];
                          std::snprintf(b, sizeof b, "%x",
                                        static_cast<unsigned char>(conv));
                          return std::string(b);
                        }() +
                        ") at index " + std::to_string(i));
    }
    RuntimeOf(ctx).CheckLength(static_cast<int64_t>(out.size()),
                               "formatted string");
  }
  if (next < items.size()) {
    RaiseTypeError("not all arguments converted during string formatting");
  }
  return out;
}

}  // namespace ap::py
