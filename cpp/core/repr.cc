#include "repr.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <vector>

namespace ap {

namespace {

constexpr int64_t kSummariseThreshold = 1000;  // numpy's default threshold
constexpr int64_t kEdgeItems = 3;              // numpy's default edgeitems
constexpr size_t kLineWidth = 75;              // numpy's default linewidth
constexpr int kMaxReprDepth = 100;  // bounded recursion for nested lists

std::string ShortestDouble(double v) {
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
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
    char buf[16];
    std::snprintf(buf, sizeof buf, "e%c%02d", exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    return out + buf;
  }
  std::string ip, fp;
  Positional(digits, point, &ip, &fp);
  return out + ip + "." + (fp.empty() ? "0" : fp);
}

std::string FormatFloat32Shortest(float v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[40];
  for (int precision = 1; precision <= 9; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v) break;
  }
  return buf;
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

namespace {

// Formats every element of `t` the way numpy's default FloatingFormat /
// IntegerFormat / BoolFormat would, all padded to one width.
class ElementFormatter {
 public:
  ElementFormatter(const Tensor& t, const std::vector<int64_t>& shown) : t_(t) {
    switch (t.dtype()) {
      case DType::kBool: {
        // numpy pads " True" to the width of "False" only if a False exists.
        bool any_false = false;
        for (int64_t i : shown) any_false = any_false || !t.b8()[i];
        width_ = any_false ? 5 : 4;
        break;
      }
      case DType::kInt32:
        for (int64_t i : shown) {
          width_ = std::max(width_, std::to_string(t.i32()[i]).size());
        }
        break;
      case DType::kFloat32:
        PrepareFloats(shown);
        break;
    }
  }

  std::string Format(int64_t i) const {
    std::string s;
    switch (t_.dtype()) {
      case DType::kBool:
        s = t_.b8()[i] ? "True" : "False";
        break;
      case DType::kInt32:
        s = std::to_string(t_.i32()[i]);
        break;
      case DType::kFloat32:
        return FormatFloat(t_.f32()[i]);
    }
    return std::string(width_ > s.size() ? width_ - s.size() : 0, ' ') + s;
  }

 private:
  void PrepareFloats(const std::vector<int64_t>& shown) {
    double max_abs = 0, min_abs = INFINITY;
    bool any_finite = false;
    for (int64_t i : shown) {
      const float v = t_.f32()[i];
      if (!std::isfinite(v)) continue;
      any_finite = true;
      const double a = std::fabs(v);
      max_abs = std::max(max_abs, a);
      if (a > 0) min_abs = std::min(min_abs, a);
    }
    if (!any_finite) min_abs = 0;
    if (min_abs == INFINITY) min_abs = 0;
    // numpy switches to scientific notation for very large or small values,
    // or a large ratio between them.
    scientific_ =
        any_finite && (max_abs >= 1e8 || (min_abs != 0 && min_abs < 1e-4) ||
                       (min_abs != 0 && max_abs / min_abs > 1e3));
    for (int64_t i : shown) {
      const float v = t_.f32()[i];
      if (!std::isfinite(v)) {
        pad_left_ = std::max(
            pad_left_,
            std::string(v != v ? "nan" : (v > 0 ? "inf" : "-inf")).size());
        continue;
      }
      std::string digits;
      int point;
      bool negative;
      Decompose(FormatFloat32Shortest(v), &digits, &point, &negative);
      if (scientific_) {
        const size_t frac = digits.size() - 1;
        pad_right_ = std::max(pad_right_, frac);
        pad_left_ = std::max<size_t>(pad_left_, negative ? 2 : 1);
        const int exponent = v == 0 ? 0 : point - 1;
        exp_digits_ =
            std::max<size_t>(exp_digits_, std::abs(exponent) >= 100 ? 3 : 2);
      } else {
        std::string ip, fp;
        Positional(digits, point, &ip, &fp);
        pad_left_ = std::max(pad_left_, ip.size() + (negative ? 1 : 0));
        pad_right_ = std::max(pad_right_, fp.size());
      }
    }
  }

  std::string FormatFloat(float v) const {
    std::string body;
    if (!std::isfinite(v)) {
      body = v != v ? "nan" : (v > 0 ? "inf" : "-inf");
      const size_t width = pad_left_ + 1 + pad_right_;
      return std::string(width > body.size() ? width - body.size() : 0, ' ') +
             body;
    }
    std::string digits;
    int point;
    bool negative;
    Decompose(FormatFloat32Shortest(v), &digits, &point, &negative);
    std::string left, right;
    if (scientific_) {
      left = (negative ? "-" : "") + digits.substr(0, 1);
      right = digits.substr(1);
      const int exponent = v == 0 ? 0 : point - 1;
      std::string e = std::to_string(std::abs(exponent));
      e = std::string(exp_digits_ > e.size() ? exp_digits_ - e.size() : 0,
                      '0') +
          e;
      right += std::string(
          pad_right_ > right.size() ? pad_right_ - right.size() : 0, '0');
      return std::string(pad_left_ > left.size() ? pad_left_ - left.size() : 0,
                         ' ') +
             left + "." + right + "e" + (exponent < 0 ? "-" : "+") + e;
    }
    Positional(digits, point, &left, &right);
    if (negative) left = "-" + left;
    return std::string(pad_left_ > left.size() ? pad_left_ - left.size() : 0,
                       ' ') +
           left + "." + right +
           std::string(
               pad_right_ > right.size() ? pad_right_ - right.size() : 0, ' ');
  }

  const Tensor& t_;
  size_t width_ = 0;
  bool scientific_ = false;
  size_t pad_left_ = 0, pad_right_ = 0, exp_digits_ = 2;
};

// Indices shown along one axis: all, or the first and last kEdgeItems.
std::vector<int64_t> ShownIndices(Dim n, bool summarise) {
  std::vector<int64_t> idx;
  if (summarise && n > 2 * kEdgeItems) {
    for (int64_t i = 0; i < kEdgeItems; ++i) idx.push_back(i);
    idx.push_back(-1);  // the "..." marker
    for (int64_t i = n - kEdgeItems; i < n; ++i) idx.push_back(i);
  } else {
    for (int64_t i = 0; i < n; ++i) idx.push_back(i);
  }
  return idx;
}

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

// numpy's _formatArray: nested brackets, separators, wrapping and "...".
void FormatArray(const Tensor& t, const ElementFormatter& fmt, bool summarise,
                 int axis, int64_t offset, const std::vector<int64_t>& strides,
                 const std::string& separator, const std::string& indent,
                 std::string* out) {
  const int rank = t.rank();
  if (axis == rank) {
    *out += fmt.Format(offset);
    return;
  }
  const std::string next_indent = indent + " ";
  *out += "[";
  const auto shown = ShownIndices(t.dim(axis), summarise);
  if (axis == rank - 1) {
    // Innermost axis: elements joined by the separator, wrapped at the line
    // width with the continuation lines indented under the first element.
    size_t line_len = indent.size() + 1;
    const std::string trimmed_sep =
        separator.substr(0, separator.find_last_not_of(' ') + 1);
    for (size_t k = 0; k < shown.size(); ++k) {
      std::string word =
          shown[k] < 0 ? "..." : fmt.Format(offset + shown[k] * strides[axis]);
      const bool last = k + 1 == shown.size();
      if (k > 0) {
        if (line_len + separator.size() + word.size() +
                (last ? 1 : trimmed_sep.size()) >
            kLineWidth) {
          *out += trimmed_sep + "\n" + next_indent;
          line_len = next_indent.size();
        } else {
          *out += separator;
          line_len += separator.size();
        }
      }
      *out += word;
      line_len += word.size();
    }
  } else {
    const std::string trimmed_sep =
        separator.substr(0, separator.find_last_not_of(' ') + 1);
    const std::string line_sep =
        trimmed_sep + std::string(rank - axis - 1, '\n');
    for (size_t k = 0; k < shown.size(); ++k) {
      if (k > 0) *out += line_sep + next_indent;
      if (shown[k] < 0) {
        *out += "...";
        continue;
      }
      FormatArray(t, fmt, summarise, axis + 1,
                  offset + shown[k] * strides[axis], strides, separator,
                  next_indent, out);
    }
  }
  *out += "]";
}

std::string FormatNumpy(const Tensor& t, const std::string& separator,
                        const std::string& indent) {
  const bool summarise = t.num_elements() > kSummariseThreshold;
  const auto strides = RowMajorStrides(t.shape());
  std::vector<int64_t> shown;
  CollectShown(t, summarise, 0, 0, strides, &shown);
  ElementFormatter fmt(t, shown);
  if (t.rank() == 0) {
    // 0-d arrays print their element without padding.
    switch (t.dtype()) {
      case DType::kFloat32: {
        const float v = t.f32()[0];
        std::string s = FormatFloat32Shortest(v);
        if (std::isfinite(v) && s.find_first_of(".e") == std::string::npos)
          s += ".0";
        return s;
      }
      case DType::kInt32:
        return std::to_string(t.i32()[0]);
      case DType::kBool:
        return t.b8()[0] ? "True" : "False";
    }
  }
  std::string out;
  FormatArray(t, fmt, summarise, 0, 0, strides, separator, indent, &out);
  return out;
}

}  // namespace

std::string NumpyStr(const Tensor& t) { return FormatNumpy(t, " ", ""); }

std::string NumpyRepr(const Tensor& t) {
  if (t.rank() == 0) return FormatNumpy(t, ", ", "");
  std::string body = FormatNumpy(t, ", ", "      ");
  std::string out = "array(" + body;
  if (t.dtype() == DType::kBool) return out + ")";
  if (t.num_elements() == 0) {
    return out + ", shape=" + ShapeToPyString(t.shape()) +
           ", dtype=" + std::string(DTypeName(t.dtype())) + ")";
  }
  // numpy puts the dtype on its own line if it would overflow the width.
  const size_t last_line =
      out.size() -
      (out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
  const std::string dtype = "dtype=" + std::string(DTypeName(t.dtype())) + ")";
  if (last_line + 2 + dtype.size() > kLineWidth)
    return out + ",\n      " + dtype;
  return out + ", " + dtype;
}

std::string TensorRepr(const Tensor& t) {
  std::string np = NumpyRepr(t);
  if (np.find('\n') != std::string::npos) np = "\n" + np;
  return "<tf.Tensor: shape=" + ShapeToPyString(t.shape()) +
         ", dtype=" + std::string(DTypeName(t.dtype())) + ", numpy=" + np + ">";
}

std::string TensorStr(const Tensor& t) {
  std::string np = NumpyStr(t);
  if (np.find('\n') != std::string::npos) np = "\n" + np;
  return "tf.Tensor(" + np + ", shape=" + ShapeToPyString(t.shape()) +
         ", dtype=" + std::string(DTypeName(t.dtype())) + ")";
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
        *out_ += TensorRepr(v.as_tensor());
        return;
      case Value::Kind::kDType:
        *out_ += "tf." + std::string(DTypeName(v.as_dtype()));
        return;
      case Value::Kind::kShape:
        *out_ += ShapeToPyString(v.as_shape());
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
      return TensorStr(v.as_tensor());
    case Value::Kind::kDType:
      return "<dtype: '" + std::string(DTypeName(v.as_dtype())) + "'>";
    case Value::Kind::kObject:
      return v.as_object() ? v.as_object()->Str() : "None";
    default:
      return Repr(v, max_chars);
  }
}

}  // namespace ap
