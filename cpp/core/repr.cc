#include "repr.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <type_traits>
#include <vector>

namespace ap {

namespace {

// A TensorShape's dims, None for an unknown one: "[None, 32]" or "(None,)".
std::string DimsText(const Value& shape, char open, char close) {
  std::string out(1, open);
  const ValueList& dims = shape.items();
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) out += ", ";
    out += dims[i].is_none() ? "None" : std::to_string(dims[i].as_int());
  }
  if (dims.size() == 1 && open == '(') out += ",";
  return out + close;
}

constexpr int64_t kSummariseThreshold = 1000;  // numpy's default threshold
constexpr int64_t kEdgeItems = 3;              // numpy's default edgeitems
constexpr size_t kLineWidth = 75;              // numpy's default linewidth
constexpr int kMaxReprDepth = 100;  // bounded recursion for nested lists

// Adds one unit in the last digit of printf's "%.Ne" text of a positive
// number ("9.99e+04" -> "1.00e+05").
std::string StepUp(const std::string& sci) {
  const size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int exponent = std::atoi(sci.c_str() + e + 1);
  int i = static_cast<int>(digits.size()) - 1;
  while (i >= 0 && digits[i] == '9') digits[i--] = '0';
  if (i >= 0) {
    ++digits[i];
  } else {
    digits.insert(0, "1");
    digits.pop_back();
    ++exponent;
  }
  std::string out = digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  return out + "e" + std::to_string(exponent);
}

// The shortest decimal that reads back as `v`, in "%.Ne" form: the digits
// CPython's repr (dtoa mode 0) and NumPy's Dragon4 "unique" mode choose.
// printf's correctly rounded N digits are that decimal, except just above
// a power of two, where the interval of values reading back as `v` is
// half as wide below it: the nearest decimal can miss it while the next
// one up does not (2**-24 is 5.960464477539063e-08, not ...0625e-08).
template <typename Float, typename Parse>
std::string ShortestRoundTrip(Float v, int max_digits, Parse parse) {
  const Float a = std::fabs(v);
  const std::string sign = std::signbit(v) ? "-" : "";
  char buf[48];
  for (int digits = 1; digits <= max_digits; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, static_cast<double>(a));
    if (parse(buf) == a) return sign + buf;
    const std::string up = StepUp(buf);
    if (parse(up.c_str()) == a) return sign + up;
  }
  return sign + buf;
}

// Splits "%g" output into digits and decimal exponent: "1.25e-05" ->
// ("125", -5) meaning 1.25e-05 = 0.125e-04; we return (digits, exp10) where
// value = 0.d1d2d3... * 10^exp10.
void Decompose(const std::string& g, std::string* digits, int* exp10,
               bool* negative) {
  std::string s = g;
  *negative = !s.empty() && s[0] == '-';
  if (*negative) s = s.substr(1);
  int e = 0;
  const size_t epos = s.find_first_of("eE");
  if (epos != std::string::npos) {
    e = std::atoi(s.c_str() + epos + 1);
    s = s.substr(0, epos);
  }
  const size_t dot = s.find('.');
  std::string intpart = dot == std::string::npos ? s : s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  std::string all = intpart + frac;
  int point = static_cast<int>(intpart.size()) + e;
  // Strip leading zeros.
  size_t lead = 0;
  while (lead < all.size() && all[lead] == '0') {
    ++lead;
    --point;
  }
  all = all.substr(lead);
  while (!all.empty() && all.back() == '0') all.pop_back();
  if (all.empty()) {
    all = "0";
    point = 1;
  }
  *digits = all;
  *exp10 = point;
}

// Positional text of 0.DIGITS * 10^point, e.g. ("125", 1) -> int "1", frac
// "25".
void Positional(const std::string& digits, int point, std::string* int_part,
                std::string* frac_part) {
  if (point <= 0) {
    *int_part = "0";
    *frac_part = std::string(-point, '0') + digits;
  } else if (point >= static_cast<int>(digits.size())) {
    *int_part = digits + std::string(point - digits.size(), '0');
    *frac_part = "";
  } else {
    *int_part = digits.substr(0, point);
    *frac_part = digits.substr(point);
  }
  if (*frac_part == "0") frac_part->clear();
}

// An exponent as printf and Dragon4 write it: sign, then at least `digits`
// digits.
std::string ExponentText(int exponent, size_t digits) {
  std::string e = std::to_string(std::abs(exponent));
  if (e.size() < digits) e.insert(0, digits - e.size(), '0');
  return (exponent < 0 ? "-" : "+") + e;
}

// "%.Ne" text as "%g" would write its digits (without rounding them
// again): positional for exponents -4 .. N-1, trailing zeros dropped.
std::string AsPercentG(const std::string& sci) {
  std::string digits;
  int point;
  bool negative;
  Decompose(sci, &digits, &point, &negative);
  const int significant = static_cast<int>(
      std::count_if(sci.begin(), sci.begin() + sci.find('e'),
                    [](char c) { return std::isdigit(c) != 0; }));
  const int exponent = digits == "0" ? 0 : point - 1;
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= significant) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    return out + "e" + ExponentText(exponent, 2);
  }
  std::string int_part, frac_part;
  Positional(digits, point, &int_part, &frac_part);
  return out + int_part + (frac_part.empty() ? "" : "." + frac_part);
}

std::string ShortestDouble(double v) {
  return AsPercentG(ShortestRoundTrip(
      v, 17, [](const char* s) { return std::strtod(s, nullptr); }));
}

}  // namespace

std::string FormatPyFloat(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string digits;
  int point;
  bool negative;
  Decompose(ShortestDouble(v), &digits, &point, &negative);
  const int exponent = point - 1;
  std::string out = negative ? "-" : "";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  if (exponent < -4 || exponent >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    return out + "e" + ExponentText(exponent, 2);
  }
  std::string ip, fp;
  Positional(digits, point, &ip, &fp);
  return out + ip + "." + (fp.empty() ? "0" : fp);
}

std::string FormatFloat32Shortest(float v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return AsPercentG(ShortestRoundTrip(
      v, 9, [](const char* s) { return std::strtof(s, nullptr); }));
}

std::string PyStringRepr(const std::string& s) {
  const bool has_single = s.find('\'') != std::string::npos;
  const bool has_double = s.find('"') != std::string::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, quote);
  for (unsigned char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

// ---- numpy array printing -------------------------------------------------
//
// A port of NumPy 2.4's numpy/_core/arrayprint.py with the default print
// options (legacy=False, precision=8, floatmode='maxprec', threshold=1000,
// edgeitems=3, linewidth=75, sign='-'), for the five dtypes the engine has.

namespace {

// A float32 or float64 written as Dragon4 does in its "unique" mode: the
// shortest digits that read back as the same value, value = 0.DIGITS *
// 10^point.
struct ShortestDigits {
  bool negative = false;
  std::string digits;
  int point = 0;
};

ShortestDigits Shortest(float v) {
  ShortestDigits d;
  Decompose(FormatFloat32Shortest(v), &d.digits, &d.point, &d.negative);
  return d;
}

ShortestDigits Shortest(double v) {
  ShortestDigits d;
  Decompose(ShortestDouble(v), &d.digits, &d.point, &d.negative);
  return d;
}

// Splits printf's "%.Nf" or "%.Ne" text of |v| (exact in glibc and musl,
// rounding half to even as Dragon4 does) at the point and at the 'e'.
template <typename Float>
void PrintfParts(const char* format, int digits, Float v, std::string* int_part,
                 std::string* frac_part, int* exponent) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, digits,
                std::fabs(static_cast<double>(v)));
  std::string s = buf;
  const size_t e = s.find('e');
  if (exponent) *exponent = e == std::string::npos ? 0 : std::atoi(&s[e + 1]);
  s = s.substr(0, e);
  const size_t dot = s.find('.');
  *int_part = s.substr(0, dot);
  *frac_part = dot == std::string::npos ? "" : s.substr(dot + 1);
}

// dragon4_positional(v, precision=8, unique=True, trim='.'): the shortest
// digits, but never more than 8 after the point (then the exact value is
// rounded there); trailing zeros trimmed. Returns the sign with int_part.
template <typename Float>
void PositionalMaxPrec(Float v, std::string* int_part, std::string* frac_part) {
  constexpr int kPrecision = 8;  // numpy's default print precision
  const ShortestDigits d = Shortest(v);
  Positional(d.digits, d.point, int_part, frac_part);
  if (frac_part->size() > kPrecision) {
    PrintfParts("%.*f", kPrecision, v, int_part, frac_part, nullptr);
    while (!frac_part->empty() && frac_part->back() == '0') {
      frac_part->pop_back();
    }
  }
  if (d.negative) *int_part = "-" + *int_part;
}

std::string PadLeft(const std::string& s, size_t width) {
  return std::string(width > s.size() ? width - s.size() : 0, ' ') + s;
}

std::string PadRight(const std::string& s, size_t width) {
  return s + std::string(width > s.size() ? width - s.size() : 0, ' ');
}

// numpy's FloatingFormat (arrayprint.py): one layout for every element
// shown, positional or scientific, chosen from the finite values. Float is
// float (float32) or double (float64).
template <typename Float>
class FloatFormat {
 public:
  FloatFormat(const Float* data, const std::vector<int64_t>& shown) {
    std::vector<Float> finite;
    bool any_neg_inf = false, any_non_finite = false;
    for (int64_t i : shown) {
      const Float v = data[i];
      if (std::isfinite(v)) {
        finite.push_back(v);
      } else {
        any_non_finite = true;
        any_neg_inf = any_neg_inf || v < 0;
      }
    }
    exp_format_ = UseScientific(finite);
    if (finite.empty()) {
      pad_left_ = pad_right_ = 0;
    } else if (exp_format_) {
      FillScientific(finite);
    } else {
      FillPositional(finite);
    }
    if (any_non_finite) {
      // Room for "nan" / "inf" / "-inf" in the same width as the numbers.
      const int offset = pad_right_ + 1;
      pad_left_ =
          std::max({pad_left_, 3 - offset, 3 + (any_neg_inf ? 1 : 0) - offset});
    }
  }

  std::string operator()(Float v) const {
    if (!std::isfinite(v)) {
      return PadLeft(std::isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf"),
                     pad_left_ + pad_right_ + 1);
    }
    std::string int_part, frac_part;
    if (exp_format_) {
      int exponent = 0;
      Scientific(v, &int_part, &frac_part, &exponent);
      return PadLeft(int_part, pad_left_) + "." + frac_part + "e" +
             ExponentText(exponent, exp_size_);
    }
    PositionalMaxPrec(v, &int_part, &frac_part);
    return PadLeft(int_part, pad_left_) + "." + PadRight(frac_part, pad_right_);
  }

 private:
  // Scientific when a non-zero magnitude is >= 10**min(8, finfo(dtype)
  // .precision) (1e6 for float32, 1e8 for float64, since NumPy 2.3) or
  // < 1e-4, or they span more than 1e3. The comparisons are in the array's
  // type: NumPy 2 casts the Python floats to it (NEP 50).
  static bool UseScientific(const std::vector<Float>& finite) {
    constexpr Float kCutoff =
        std::is_same_v<Float, float> ? Float{1e6} : Float{1e8};
    Float max_val = 0, min_val = INFINITY;
    for (Float v : finite) {
      const Float a = std::fabs(v);
      if (a == 0) continue;
      max_val = std::max(max_val, a);
      min_val = std::min(min_val, a);
    }
    if (max_val == 0) return false;  // no non-zero finite value
    return max_val >= kCutoff || min_val < Float{1e-4} ||
           max_val / min_val > Float{1e3};
  }

  // dragon4_scientific(v, precision=8, unique=True, trim='.'): the unique
  // digits, cut (rounded) to 8 after the point when there are more (only
  // float64 has more: float32 never needs more than 9 significant digits),
  // trailing zeros trimmed.
  static void ShortestScientific(Float v, std::string* int_part,
                                 std::string* frac_part, int* exponent) {
    constexpr size_t kPrecision = 8;  // numpy's default print precision
    const ShortestDigits d = Shortest(v);
    *int_part = (d.negative ? "-" : "") + d.digits.substr(0, 1);
    *frac_part = d.digits.substr(1);
    *exponent = d.point - 1;
    if (frac_part->size() > kPrecision) {
      PrintfParts("%.*e", static_cast<int>(kPrecision), v, int_part, frac_part,
                  exponent);
      while (!frac_part->empty() && frac_part->back() == '0') {
        frac_part->pop_back();
      }
      if (std::signbit(v)) *int_part = "-" + *int_part;
    }
  }

  void FillScientific(const std::vector<Float>& finite) {
    size_t precision = 0, pad_left = 0, exp_size = 0;
    for (Float v : finite) {
      std::string int_part, frac_part;
      int exponent = 0;
      ShortestScientific(v, &int_part, &frac_part, &exponent);
      precision = std::max(precision, frac_part.size());
      pad_left = std::max(pad_left, int_part.size());
      exp_size = std::max(exp_size, ExponentText(exponent, 2).size() - 1);
    }
    precision_ = static_cast<int>(precision);
    pad_left_ = static_cast<int>(pad_left);
    exp_size_ = exp_size;
    pad_right_ = static_cast<int>(exp_size) + 2 + precision_;
  }

  void FillPositional(const std::vector<Float>& finite) {
    size_t pad_left = 0, pad_right = 0;
    for (Float v : finite) {
      std::string int_part, frac_part;
      PositionalMaxPrec(v, &int_part, &frac_part);
      pad_left = std::max(pad_left, int_part.size());
      pad_right = std::max(pad_right, frac_part.size());
    }
    pad_left_ = static_cast<int>(pad_left);
    pad_right_ = static_cast<int>(pad_right);
  }

  // Every element gets `precision_` digits after the point (min_digits):
  // values with fewer unique digits show more of their exact value
  // (1e-05f next to 1.2345678e-05f prints as 9.9999997e-06).
  void Scientific(Float v, std::string* int_part, std::string* frac_part,
                  int* exponent) const {
    ShortestScientific(v, int_part, frac_part, exponent);
    if (static_cast<int>(frac_part->size()) == precision_) return;
    PrintfParts("%.*e", precision_, v, int_part, frac_part, exponent);
    if (std::signbit(v)) *int_part = "-" + *int_part;
  }

  bool exp_format_ = false;
  int pad_left_ = 0, pad_right_ = 0, precision_ = 0;
  size_t exp_size_ = 2;
};

// numpy's IntegerFormat, BoolFormat and FloatingFormat for one array.
class ElementFormatter {
 public:
  ElementFormatter(const Tensor& t, const std::vector<int64_t>& shown) : t_(t) {
    if (t.dtype() == DType::kInt32 || t.dtype() == DType::kInt64) {
      // The width of the longest of str(max) and str(min).
      for (int64_t i : shown) {
        int_width_ = std::max(int_width_, IntText(i).size());
      }
    } else if (t.dtype() == DType::kFloat32) {
      float_.emplace(t.f32(), shown);
    } else if (t.dtype() == DType::kFloat64) {
      double_.emplace(t.f64(), shown);
    }
  }

  std::string operator()(int64_t i) const {
    switch (t_.dtype()) {
      case DType::kBool:
        // " True" lines up with "False", except in 0-d arrays.
        return t_.b8()[i] ? (t_.rank() == 0 ? "True" : " True") : "False";
      case DType::kInt32:
      case DType::kInt64:
        return PadLeft(IntText(i), int_width_);
      case DType::kFloat32:
        return (*float_)(t_.f32()[i]);
      case DType::kFloat64:
        return (*double_)(t_.f64()[i]);
    }
    return "?";
  }

 private:
  std::string IntText(int64_t i) const {
    return std::to_string(t_.dtype() == DType::kInt64 ? t_.i64()[i]
                                                      : t_.i32()[i]);
  }

  const Tensor& t_;
  size_t int_width_ = 0;
  std::optional<FloatFormat<float>> float_;
  std::optional<FloatFormat<double>> double_;
};

// Indices shown along one axis: all, or the first and last kEdgeItems with
// -1 for the "..." between them.
std::vector<int64_t> ShownIndices(int64_t n, bool summarise) {
  std::vector<int64_t> idx;
  if (summarise && n > 2 * kEdgeItems) {
    for (int64_t i = 0; i < kEdgeItems; ++i) idx.push_back(i);
    idx.push_back(-1);
    for (int64_t i = n - kEdgeItems; i < n; ++i) idx.push_back(i);
  } else {
    for (int64_t i = 0; i < n; ++i) idx.push_back(i);
  }
  return idx;
}

// The flat offsets of the elements shown (numpy's _leading_trailing): only
// these decide the widths and the float layout.
void CollectShown(const Tensor& t, bool summarise, int axis, int64_t offset,
                  const std::vector<int64_t>& strides,
                  std::vector<int64_t>* out) {
  if (axis == t.rank()) {
    out->push_back(offset);
    return;
  }
  for (int64_t i : ShownIndices(t.dim(axis), summarise)) {
    if (i < 0) continue;
    CollectShown(t, summarise, axis + 1, offset + i * strides[axis], strides,
                 out);
  }
}

std::string RStrip(const std::string& s) {
  const size_t end = s.find_last_not_of(' ');
  return end == std::string::npos ? "" : s.substr(0, end + 1);
}

// arrayprint.py _extendLine: starts a new line when `word` would pass
// `width`, unless the line holds nothing but its indent.
void ExtendLine(std::string* s, std::string* line, const std::string& word,
                size_t width, const std::string& next_line_prefix) {
  if (line->size() + word.size() > width &&
      line->size() > next_line_prefix.size()) {
    *s += RStrip(*line) + "\n";
    *line = next_line_prefix;
  }
  *line += word;
}

// arrayprint.py _formatArray's recurser: every line is built with its full
// hanging indent (so widths count the "array(" prefix), and the first
// line's indent is replaced by "[" at the end.
class ArrayFormatter {
 public:
  ArrayFormatter(const Tensor& t, const ElementFormatter& fmt, bool summarise,
                 const std::string& separator)
      : t_(t),
        fmt_(fmt),
        summarise_(summarise),
        separator_(separator),
        strides_(RowMajorStrides(t.shape())) {}

  std::string Format(int axis, int64_t offset,
                     const std::string& hanging_indent,
                     size_t curr_width) const {
    if (axis == t_.rank()) return fmt_(offset);
    // Children sit one column right of this "[" and end before its "]".
    const std::string next_indent = hanging_indent + " ";
    const size_t next_width = curr_width - 1;
    const auto shown = ShownIndices(t_.dim(axis), summarise_);
    std::string s;
    if (axis == t_.rank() - 1) {
      // Room for the separator or the "]" after each element.
      const size_t elem_width =
          curr_width - std::max<size_t>(RStrip(separator_).size(), 1);
      std::string line = hanging_indent;
      for (size_t k = 0; k < shown.size(); ++k) {
        const std::string word =
            shown[k] < 0 ? "..." : fmt_(offset + shown[k] * strides_[axis]);
        ExtendLine(&s, &line, word, elem_width, hanging_indent);
        if (k + 1 < shown.size()) line += separator_;
      }
      s += line;
    } else {
      // One blank line more between blocks for every axis left.
      const std::string line_sep =
          RStrip(separator_) + std::string(t_.rank() - axis - 1, '\n');
      for (size_t k = 0; k < shown.size(); ++k) {
        s += hanging_indent;
        s += shown[k] < 0 ? "..."
                          : Format(axis + 1, offset + shown[k] * strides_[axis],
                                   next_indent, next_width);
        if (k + 1 < shown.size()) s += line_sep;
      }
    }
    return "[" + s.substr(hanging_indent.size()) + "]";
  }

 private:
  const Tensor& t_;
  const ElementFormatter& fmt_;
  bool summarise_;
  std::string separator_;
  std::vector<int64_t> strides_;
};

// arrayprint.py array2string: `prefix` is what precedes the text on its
// first line ("array(") and `suffix` what follows its last (")").
std::string Array2String(const Tensor& t, const std::string& separator,
                         const std::string& prefix, const std::string& suffix) {
  if (t.num_elements() == 0) return "[]";
  const bool summarise = t.num_elements() > kSummariseThreshold;
  std::vector<int64_t> shown;
  CollectShown(t, summarise, 0, 0, RowMajorStrides(t.shape()), &shown);
  const ElementFormatter fmt(t, shown);
  const ArrayFormatter array(t, fmt, summarise, separator);
  return array.Format(0, 0, std::string(1 + prefix.size(), ' '),
                      kLineWidth - suffix.size());
}

// str(np.float32): the shortest digits, positional for 1e-4 <= |v| < 1e6
// (numpy scalartypes.c.src; the bounds compare as doubles) with at least
// one digit after the point, else scientific without trailing zeros.
std::string Float32ScalarStr(float v) {
  if (!std::isfinite(v))
    return std::isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf");
  const ShortestDigits d = Shortest(v);
  const double a = std::fabs(static_cast<double>(v));
  std::string out = d.negative ? "-" : "";
  if (a == 0 || (a >= 1e-4 && a < 1e6)) {
    std::string int_part, frac_part;
    Positional(d.digits, d.point, &int_part, &frac_part);
    return out + int_part + "." + (frac_part.empty() ? "0" : frac_part);
  }
  out += d.digits.substr(0, 1);
  if (d.digits.size() > 1) out += "." + d.digits.substr(1);
  return out + "e" + ExponentText(d.point - 1, 2);
}

// The Python object a 0-d tensor's .numpy().item() gives, as repr() or
// str() writes it (both are the same for float, int and bool).
std::string ItemRepr(const Tensor& t) {
  switch (t.dtype()) {
    case DType::kFloat32:
      return FormatPyFloat(static_cast<double>(t.f32()[0]));
    case DType::kInt32:
      return std::to_string(t.i32()[0]);
    case DType::kBool:
      return t.b8()[0] ? "True" : "False";
    case DType::kFloat64:
      return FormatPyFloat(t.f64()[0]);
    case DType::kInt64:
      return std::to_string(t.i64()[0]);
  }
  return "?";
}

// numpy's dtype_is_implied: float64, int64 and bool arrays omit dtype=.
bool DTypeIsImplied(DType dtype) {
  return dtype == DType::kBool || dtype == DType::kFloat64 ||
         dtype == DType::kInt64;
}

// TF's numpy_text (tensorflow/python/framework/ops.py, TF 2.21): text
// spanning lines starts on a line of its own.
std::string OnOwnLineIfMultiline(const std::string& text) {
  return text.find('\n') == std::string::npos ? text : "\n" + text;
}

}  // namespace

std::string NumpyStr(const Tensor& t) {
  if (t.rank() == 0) {
    // A 0-d array prints as its scalar: str(np.float32) is not str(float).
    return t.dtype() == DType::kFloat32 ? Float32ScalarStr(t.f32()[0])
                                        : ItemRepr(t);
  }
  return Array2String(t, " ", "", "");
}

// arrayprint.py _array_repr_implementation: shape= when the text cannot
// show it (summarised or empty), dtype= unless implied, on a new line if
// they would pass the line width.
std::string NumpyRepr(const Tensor& t) {
  const std::string prefix = "array(";
  const std::string body = prefix + Array2String(t, ", ", prefix, ")");
  std::vector<std::string> extras;
  if ((t.num_elements() == 0 && t.rank() != 1) ||
      t.num_elements() > kSummariseThreshold) {
    extras.push_back("shape=" + ShapeToPyString(t.shape()));
  }
  if (!DTypeIsImplied(t.dtype()) || t.num_elements() == 0) {
    extras.push_back("dtype=" + std::string(DTypeName(t.dtype())));
  }
  if (extras.empty()) return body + ")";
  std::string extra = extras[0];
  for (size_t i = 1; i < extras.size(); ++i) extra += ", " + extras[i];
  extra += ")";
  const std::string arr = body + ",";
  const size_t newline = arr.rfind('\n');
  const size_t last_line =
      arr.size() - (newline == std::string::npos ? 0 : newline + 1);
  const bool wrap = last_line + extra.size() + 1 > kLineWidth;
  return arr + (wrap ? "\n" + std::string(prefix.size(), ' ') : " ") + extra;
}

// A Keras weight: Keras 3's KerasVariable.__repr__ (keras/src/backend/
// common/variables.py, Keras 3.15), str() of its values; tf-keras' is TF's
// ResourceVariable repr (tensorflow/python/ops/resource_variable_ops.py),
// the EagerTensor's numpy text after it. Both print the same for str().
std::string VariableRepr(const Value& v) {
  const VariableInfo& info = *v.variable();
  const Tensor& t = v.as_tensor();
  const std::string dtype(DTypeName(t.dtype()));
  if (info.keras3) {
    return "<Variable path=" + info.path +
           ", shape=" + ShapeToPyString(t.shape()) + ", dtype=" + dtype +
           ", value=" + NumpyStr(t) + ">";
  }
  const std::string tensor = TensorRepr(t);
  return "<tf.Variable '" + info.Name() +
         "' shape=" + ShapeToPyString(t.shape()) + " dtype=" + dtype + ", " +
         tensor.substr(tensor.find("numpy="));
}

std::string TensorRepr(const Tensor& t) {
  // A 0-d tensor's .numpy() is a numpy scalar, shown as repr(.item()).
  const std::string text =
      t.rank() == 0 ? ItemRepr(t) : OnOwnLineIfMultiline(NumpyRepr(t));
  return "<tf.Tensor: shape=" + ShapeToPyString(t.shape()) +
         ", dtype=" + std::string(DTypeName(t.dtype())) + ", numpy=" + text +
         ">";
}

std::string TensorStr(const Tensor& t) {
  return "tf.Tensor(" + OnOwnLineIfMultiline(NumpyStr(t)) +
         ", shape=" + ShapeToPyString(t.shape()) +
         ", dtype=" + std::string(DTypeName(t.dtype())) + ")";
}

std::string TensorFormat(const Tensor& t) {
  return t.rank() == 0 ? ItemRepr(t) : NumpyStr(t);
}

// ---- Python values
// -----------------------------------------------------------

namespace {

// Appends repr(v) to `out` in text order, and stops once `out` is longer
// than `max_chars` (the text so far is then exactly the full text's prefix).
class ReprWriter {
 public:
  ReprWriter(std::string* out, size_t max_chars)
      : out_(out), max_chars_(max_chars) {}

  void Write(const Value& v, int depth) {
    if (Full()) return;
    if (depth > kMaxReprDepth) {
      *out_ += "...";
      return;
    }
    switch (v.kind()) {
      case Value::Kind::kNone:
        *out_ += "None";
        return;
      case Value::Kind::kBool:
        *out_ += v.as_bool() ? "True" : "False";
        return;
      case Value::Kind::kInt:
        *out_ += std::to_string(v.as_int());
        return;
      case Value::Kind::kFloat:
        *out_ += FormatPyFloat(v.as_float());
        return;
      case Value::Kind::kStr:
        *out_ += PyStringRepr(v.as_str());
        return;
      case Value::Kind::kTensor:
        *out_ += v.variable() ? VariableRepr(v) : TensorRepr(v.as_tensor());
        return;
      case Value::Kind::kDType:
        *out_ += "tf." + std::string(DTypeName(v.as_dtype()));
        return;
      case Value::Kind::kShape:
        // TensorShape.__repr__; str() gives the tuple form (below).
        *out_ += "TensorShape(" + DimsText(v, '[', ']') + ")";
        return;
      case Value::Kind::kTuple:
        *out_ += '(';
        WriteItems(v.items(), depth);
        *out_ += v.items().size() == 1 ? ",)" : ")";
        return;
      case Value::Kind::kList: {
        const void* id = v.identity();
        if (active_.count(id)) {
          *out_ += "[...]";
          return;
        }
        active_.insert(id);
        *out_ += '[';
        WriteItems(v.items(), depth);
        *out_ += ']';
        active_.erase(id);
        return;
      }
      case Value::Kind::kDict: {
        const void* id = v.identity();
        if (active_.count(id)) {
          *out_ += "{...}";
          return;
        }
        active_.insert(id);
        *out_ += '{';
        bool first = true;
        for (const auto& [key, value] : v.dict_items()) {
          if (Full()) break;
          if (!first) *out_ += ", ";
          first = false;
          Write(key, depth + 1);
          *out_ += ": ";
          Write(value, depth + 1);
        }
        active_.erase(id);
        *out_ += '}';
        return;
      }
      case Value::Kind::kObject:
        *out_ += v.as_object() ? v.as_object()->Repr() : "None";
        return;
    }
    *out_ += '?';
  }

 private:
  bool Full() const { return out_->size() > max_chars_; }

  void WriteItems(const ValueList& items, int depth) {
    for (size_t i = 0; i < items.size() && !Full(); ++i) {
      if (i) *out_ += ", ";
      Write(items[i], depth + 1);
    }
  }

  std::string* out_;
  size_t max_chars_;
  std::set<const void*> active_;  // containers being written (cycles)
};

}  // namespace

std::string Repr(const Value& v, size_t max_chars) {
  std::string out;
  ReprWriter(&out, max_chars).Write(v, 0);
  return out;
}

std::string Str(const Value& v, size_t max_chars) {
  switch (v.kind()) {
    case Value::Kind::kStr:
      return v.as_str();
    case Value::Kind::kTensor:
      return v.variable() ? VariableRepr(v) : TensorStr(v.as_tensor());
    case Value::Kind::kDType:
      return "<dtype: '" + std::string(DTypeName(v.as_dtype())) + "'>";
    case Value::Kind::kObject:
      return v.as_object() ? v.as_object()->Str() : "None";
    case Value::Kind::kShape:
      return DimsText(v, '(', ')');
    default:
      return Repr(v, max_chars);
  }
}

}  // namespace ap
