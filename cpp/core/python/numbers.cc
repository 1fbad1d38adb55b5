#include "numbers.h"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "../error.h"
#include "builtin_support.h"
#include "native_array.h"
#include "text.h"

namespace ap::py {

using VK = Value::Kind;

// A one-element tensor as a Python number (int(t), float(t), round(t)).
Value ScalarOf(const Value& v) {
  if (const NativeArrayLike* a = AsNativeArrayLike(v)) return a->PyScalar();
  if (!v.is_tensor()) return v;
  const Tensor& t = v.as_tensor();
  if (t.num_elements() != 1) {
    RaiseTypeError("only length-1 arrays can be converted to Python scalars");
  }
  const double x = t.GetAsDouble(0);
  switch (t.dtype()) {
    case DType::kFloat32:
      return Value::Float(x);
    case DType::kInt32:
      return Value::Int(static_cast<int64_t>(x));
    case DType::kBool:
      return Value::Bool(x != 0);
  }
  return Value::Float(x);
}

namespace {

int64_t ParseIntText(const std::string& text, int base) {
  const std::string s = Strip(text, kWhitespace, true, true);
  auto fail = [&]() -> int64_t {
    RaiseValueError("invalid literal for int() with base " +
                    std::to_string(base) + ": " + PyRepr(Value::Str(text)));
  };
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (base == 16 && s.size() > i + 1 && s[i] == '0' &&
      (s[i + 1] == 'x' || s[i + 1] == 'X'))
    i += 2;
  if (i >= s.size()) fail();
  uint64_t v = 0;
  bool prev_digit = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_' && prev_digit && i + 1 < s.size()) {
      prev_digit = false;
      continue;
    }
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      d = std::tolower(c) - 'a' + 10;
    } else {
      fail();
    }
    if (d >= base) fail();
    if (v > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - d) /
                base) {
      RaiseText(ErrorClass::kNotSupportedError,
                "integer too large: the playground's ints are 64-bit");
    }
    v = v * base + d;
    prev_digit = true;
  }
  if (!prev_digit) fail();
  return neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
}

double ParseFloatText(const std::string& text) {
  std::string s = Strip(text, kWhitespace, true, true);
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(c));
  const std::string body =
      (!lower.empty() && (lower[0] == '+' || lower[0] == '-')) ? lower.substr(1)
                                                               : lower;
  const bool neg = !lower.empty() && lower[0] == '-';
  if (body == "inf" || body == "infinity") return neg ? -INFINITY : INFINITY;
  if (body == "nan") return NAN;
  std::string clean;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i > 0 && i + 1 < s.size() &&
        std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
        std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      continue;
    }
    clean += s[i];
  }
  bool ok = !clean.empty();
  for (char c : clean) {
    if (!std::isdigit(static_cast<unsigned char>(c)) &&
        std::string("+-.eE").find(c) == std::string::npos) {
      ok = false;
    }
  }
  char* end = nullptr;
  const double v = ok ? std::strtod(clean.c_str(), &end) : 0;
  if (!ok || end != clean.c_str() + clean.size()) {
    RaiseValueError("could not convert string to float: " +
                    PyRepr(Value::Str(text)));
  }
  return v;
}

}  // namespace

Value ToInt(const Value& raw, std::optional<int64_t> base) {
  const Value v = ScalarOf(raw);
  if (base) {
    if (v.kind() != VK::kStr) {
      RaiseTypeError("int() can't convert non-string with explicit base");
    }
    return Value::Int(ParseIntText(v.as_str(), static_cast<int>(*base)));
  }
  switch (v.kind()) {
    case VK::kInt:
    case VK::kBool:
      return Value::Int(v.as_int());
    case VK::kFloat: {
      const double x = v.as_float();
      if (std::isnan(x)) RaiseValueError("cannot convert float NaN to integer");
      if (std::isinf(x)) {
        RaiseText(ErrorClass::kNotSupportedError,
                  "cannot convert float infinity to integer (OverflowError in "
                  "Python)");
      }
      if (std::fabs(x) >= 9.2233720368547758e18) {
        RaiseText(ErrorClass::kNotSupportedError,
                  "integer too large: the playground's ints are 64-bit");
      }
      return Value::Int(static_cast<int64_t>(std::trunc(x)));
    }
    case VK::kStr:
      return Value::Int(ParseIntText(v.as_str(), 10));
    default:
      RaiseTypeError(
          "int() argument must be a string, a bytes-like object or a real "
          "number, not '" +
          v.TypeName() + "'");
  }
}

Value ToFloat(const Value& raw) {
  const Value v = ScalarOf(raw);
  switch (v.kind()) {
    case VK::kInt:
    case VK::kBool:
    case VK::kFloat:
      return Value::Float(v.as_number());
    case VK::kStr:
      return Value::Float(ParseFloatText(v.as_str()));
    default:
      RaiseTypeError(
          "float() argument must be a string or a real number, not '" +
          v.TypeName() + "'");
  }
}

double RoundHalfEven(double x) {
  double r = std::round(x);
  if (std::fabs(x - std::trunc(x)) == 0.5) r = 2.0 * std::round(x / 2.0);
  return r;
}

}  // namespace ap::py
