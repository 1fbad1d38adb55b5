#include "summary.h"

#include <cmath>
#include <cstdio>

namespace ap::keras {

namespace {

// Console width less 4 (shutil.get_terminal_size() is 80 columns without a
// terminal), capped by print_summary's default line length.
constexpr int kLineLength = 76;

// Display width of UTF-8 text (every character here is one cell wide).
int CellLength(const std::string& s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The first `cells` characters of `s`.
std::string Prefix(const std::string& s, int cells) {
  std::string out;
  int n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = s[i];
    if ((c & 0xC0) != 0x80 && n++ == cells) break;
    out += s[i];
  }
  return out;
}

// rich's ratio_reduce(total, [1] * n, widths, widths): Python's round()
// (half to even) of each share.
std::vector<int> ReduceWidths(int excess, std::vector<int> widths) {
  int total_ratio = static_cast<int>(widths.size());
  int remaining = excess;
  for (int& w : widths) {
    const double share = static_cast<double>(remaining) / total_ratio;
    const int distributed =
        std::min(w, static_cast<int>(std::nearbyint(share)));
    w -= distributed;
    remaining -= distributed;
    --total_ratio;
  }
  return widths;
}

// rich's wrapping of a cell without folding (rich/_wrap.py divide_line, then
// each line cut to the width with "…", overflow="ellipsis").
std::vector<std::string> WrapCell(const std::string& text, int width) {
  std::vector<std::string> words;  // each with its trailing spaces
  for (size_t i = 0; i < text.size();) {
    size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    while (j < text.size() && text[j] == ' ') ++j;
    words.push_back(text.substr(i, j - i));
    i = j;
  }
  std::vector<std::string> lines(1);
  int offset = 0;
  for (const std::string& word : words) {
    std::string stripped = word;
    while (!stripped.empty() && stripped.back() == ' ') stripped.pop_back();
    const int length = CellLength(stripped);
    if (width - offset >= length) {
      lines.back() += word;
      offset += CellLength(word);
    } else {
      if (!lines.back().empty()) lines.emplace_back();
      lines.back() = word;
      offset = CellLength(word);
    }
  }
  for (std::string& line : lines) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (CellLength(line) > width) line = Prefix(line, width - 1) + "…";
  }
  return lines;
}

std::string Pad(const std::string& s, int width, bool right) {
  const int fill = std::max(0, width - CellLength(s));
  return right ? std::string(fill, ' ') + s : s + std::string(fill, ' ');
}

std::string Repeat(const char* piece, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += piece;
  return out;
}

std::string Rule(const std::vector<int>& widths, const char* left,
                 const char* fill, const char* mid, const char* right) {
  std::string out = left;
  for (size_t i = 0; i < widths.size(); ++i) {
    if (i) out += mid;
    out += Repeat(fill, widths[i]);
  }
  return out + right + "\n";
}

std::string Row(const std::vector<std::string>& cells,
                const std::vector<int>& widths, const std::vector<bool>& right,
                const char* bar) {
  std::vector<std::vector<std::string>> wrapped;
  size_t height = 1;
  for (size_t i = 0; i < cells.size(); ++i) {
    wrapped.push_back(WrapCell(cells[i], widths[i] - 2));
    height = std::max(height, wrapped.back().size());
  }
  std::string out;
  for (size_t line = 0; line < height; ++line) {
    out += bar;
    for (size_t i = 0; i < cells.size(); ++i) {
      const std::string text =
          line < wrapped[i].size() ? wrapped[i][line] : std::string();
      out += " " + Pad(text, widths[i] - 2, right[i]) + " " + bar;
    }
    out += "\n";
  }
  return out;
}

// readable_memory_size: 1024-based units with two decimals.
std::string ReadableMemorySize(double bytes) {
  static const char* const kUnits[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  for (const char* unit : kUnits) {
    if (bytes / 1024 < 1) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f %s", bytes, unit);
      return buf;
    }
    bytes /= 1024;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f PB", bytes);
  return buf;
}

}  // namespace

std::string WithThousandsSeparators(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string RenderSummary(const SummaryTable& table) {
  const std::vector<double> positions =
      table.with_connections ? std::vector<double>{0.3, 0.56, 0.74, 1.0}
                             : std::vector<double>{0.45, 0.80, 1.0};
  std::vector<int> widths;
  int current = 0;
  for (double pos : positions) {
    const int width = static_cast<int>(pos * kLineLength) - current;
    widths.push_back(width);
    current += width;
  }
  // The borders take one column each, plus the two edges.
  widths = ReduceWidths(static_cast<int>(widths.size()) + 1, widths);
  std::vector<std::string> header = {"Layer (type)", "Output Shape", "Param #"};
  std::vector<bool> right = {false, false, true};
  if (table.with_connections) {
    header.push_back("Connected to");
    right.push_back(false);
  }
  std::string out = "Model: \"" + table.title + "\"\n";
  out += Rule(widths, "┏", "━", "┳", "┓");
  out += Row(header, widths, right, "┃");
  out += Rule(widths, "┡", "━", "╇", "┩");
  for (size_t i = 0; i < table.rows.size(); ++i) {
    if (i) out += Rule(widths, "├", "─", "┼", "┤");
    out += Row(table.rows[i], widths, right, "│");
  }
  out += Rule(widths, "└", "─", "┴", "┘");
  const int64_t total = table.trainable_params + table.non_trainable_params;
  auto line = [&](const char* label, int64_t count) {
    return std::string(label) + WithThousandsSeparators(count) + " (" +
           ReadableMemorySize(static_cast<double>(count) *
                              table.bytes_per_param) +
           ")\n";
  };
  out += line(" Total params: ", total);
  out += line(" Trainable params: ", table.trainable_params);
  out += line(" Non-trainable params: ", table.non_trainable_params);
  return out;
}

std::string Keras3ShapeCell(const std::vector<PartialShape>& shapes) {
  // format_shape: "(" + ", ".join(dims) + ")", so (None) for rank 1.
  std::vector<std::string> cells;
  for (const PartialShape& shape : shapes) {
    std::string text = "(";
    for (size_t i = 0; i < shape.size(); ++i) {
      text +=
          (i ? ", " : "") + (shape[i].known() ? std::to_string(shape[i].size())
                                              : std::string("None"));
    }
    cells.push_back(text + ")");
  }
  if (cells.size() == 1) return cells[0];
  std::string out = "[";
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? ", " : "") + cells[i];
  return out + "]";
}

}  // namespace ap::keras
