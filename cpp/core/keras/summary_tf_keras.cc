// model.summary() as tf-keras 2.21 prints it: print_summary and its print_row
// in tf_keras/src/utils/layer_utils.py (tf-keras 2.21), with the default
// line_length and positions and without expand_nested or show_trainable.
#include <algorithm>
#include <cstdio>

#include "../python/text.h"
#include "../repr.h"
#include "summary.h"

namespace ap::keras {

namespace {

// A field as print_row slices it: Python str indices count code points.
using Chars = std::vector<std::string>;

std::string Join(const Chars& chars, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < chars.size(); ++i) out += chars[i];
  return out;
}

// Python's fit.find(pattern) on code points (the pattern is ASCII); npos
// when absent.
size_t Find(const Chars& fit, const std::string& pattern) {
  for (size_t i = 0; i + pattern.size() <= fit.size(); ++i) {
    bool match = true;
    for (size_t k = 0; k < pattern.size() && match; ++k) {
      match = fit[i + k].size() == 1 && fit[i + k][0] == pattern[k];
    }
    if (match) return i;
  }
  return std::string::npos;
}

// One print_row call: each field cut at its column's width, or earlier just
// after the first "),", "},", "]," or "',", until every field is printed.
// `positions` are the columns' end positions.
std::string PrintRow(const std::vector<std::string>& fields,
                     const std::vector<int>& positions) {
  std::vector<Chars> left;
  for (const std::string& f : fields) left.push_back(py::Utf8Chars(f));
  std::vector<size_t> offsets(left.size(), 0);  // printed so far
  auto any_left = [&] {
    for (size_t i = 0; i < left.size(); ++i) {
      if (offsets[i] < left[i].size()) return true;
    }
    return false;
  };
  static const char* const kLineBreaks[] = {"),", "},", "],", "',"};
  std::string out;
  while (any_left()) {
    std::string line;
    int line_length = 0;  // in code points, as Python's len(line)
    for (size_t col = 0; col < left.size(); ++col) {
      const bool last = col == positions.size() - 1;
      const int start = col > 0 ? positions[col - 1] : 0;
      const int space = last ? 0 : 2;
      // One more column is left free before all but the last column.
      const int cutoff = positions[col] - start - space - (last ? 0 : 1);
      const Chars& chars = left[col];
      const size_t rest = chars.size() - offsets[col];
      size_t take = std::min(rest, static_cast<size_t>(std::max(cutoff, 0)));
      size_t consumed = static_cast<size_t>(std::max(cutoff, 0));
      const Chars fit(chars.begin() + offsets[col],
                      chars.begin() + offsets[col] + take);
      size_t earliest = std::string::npos;
      for (const char* pattern : kLineBreaks) {
        const size_t at = Find(fit, pattern);
        if (at != std::string::npos) earliest = std::min(earliest, at + 2);
      }
      if (earliest != std::string::npos) take = consumed = earliest;
      if (col == 0) {
        line += " ";
        ++line_length;
      }
      line += Join(fit, take);
      line += std::string(space, ' ');
      line_length += static_cast<int>(take) + space;
      offsets[col] = std::min(chars.size(), offsets[col] + consumed);
      const int fill = positions[col] - line_length;
      if (fill > 0) {
        line += std::string(fill, ' ');
        line_length += fill;
      }
    }
    out += line + "\n";
  }
  return out;
}

// Python's str(list_of_str): "['input_1[0][0]', 'input_2[0][0]']".
std::string PyListOfStrings(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += PyStringRepr(items[i]);
  }
  return out + "]";
}

// The output shapes of one node, as str(node.output_shapes).
std::string NodeShapesText(const std::vector<PartialShape>& shapes,
                           bool as_list) {
  if (!as_list && shapes.size() == 1) return PartialShapeToPyString(shapes[0]);
  std::string out = "[";
  for (size_t i = 0; i < shapes.size(); ++i) {
    if (i) out += ", ";
    out += PartialShapeToPyString(shapes[i]);
  }
  return out + "]";
}

}  // namespace

std::string TfKerasOutputShapeCell(
    const std::vector<std::vector<PartialShape>>& node_outputs, bool as_list) {
  // base_layer.py output_shape raises AttributeError (printed "multiple")
  // when the layer has no node or its nodes' shapes print differently.
  if (node_outputs.empty()) return "multiple";
  const std::string first = NodeShapesText(node_outputs[0], as_list);
  for (size_t i = 1; i < node_outputs.size(); ++i) {
    if (NodeShapesText(node_outputs[i], as_list) != first) return "multiple";
  }
  return first;
}

std::string TfKerasConnection(const std::string& inbound_layer,
                              int64_t node_index, int64_t tensor_index) {
  return inbound_layer + "[" + std::to_string(node_index) + "][" +
         std::to_string(tensor_index) + "]";
}

std::string TfKerasReadableMemorySize(double bytes) {
  static const char* const kUnits[] = {"Byte", "KB", "MB", "GB", "TB", "PB"};
  char buf[64];
  for (const char* unit : kUnits) {
    if (bytes / 1024 < 1) {
      std::snprintf(buf, sizeof buf, "%.2f %s", bytes, unit);
      return buf;
    }
    bytes /= 1024;
  }
  // Past the loop the size has been divided once more than "PB" says: kept,
  // as tf-keras prints it.
  std::snprintf(buf, sizeof buf, "%.2f PB", bytes);
  return buf;
}

std::string RenderSummaryTfKeras(const TfKerasSummaryTable& table) {
  const int line_length = table.with_connections ? 98 : 65;
  const std::vector<double> fractions =
      table.with_connections ? std::vector<double>{0.3, 0.6, 0.70, 1.0}
                             : std::vector<double>{0.45, 0.85, 1.0};
  std::vector<int> positions;
  for (double f : fractions) {
    positions.push_back(static_cast<int>(line_length * f));  // Python int()
  }
  std::vector<std::string> header = {"Layer (type)", "Output Shape", "Param #"};
  if (table.with_connections) header.push_back("Connected to");

  const std::string rule(line_length, '_');
  const std::string double_rule(line_length, '=');
  std::string out = "Model: \"" + table.title + "\"\n";
  out += rule + "\n";
  out += PrintRow(header, positions);
  out += double_rule + "\n";
  for (const TfKerasSummaryRow& row : table.rows) {
    std::vector<std::string> fields = {
        row.name + " (" + row.class_name + ")", row.output_shape,
        row.unused && !table.with_connections ? "0 (unused)"
                                              : std::to_string(row.params)};
    if (table.with_connections) {
      fields.push_back(PyListOfStrings(row.connected_to));
    }
    out += PrintRow(fields, positions);
    out += std::string(line_length, ' ') + "\n";  // after every layer
  }
  out += double_rule + "\n";

  const int64_t trainable_bytes = table.trainable_bytes.value_or(
      table.trainable_params * table.bytes_per_param);
  const int64_t non_trainable_bytes = table.non_trainable_bytes.value_or(
      table.non_trainable_params * table.bytes_per_param);
  auto line = [](const char* label, int64_t count, int64_t bytes) {
    return std::string(label) + std::to_string(count) + " (" +
           TfKerasReadableMemorySize(static_cast<double>(bytes)) + ")\n";
  };
  out += line(
      "Total params: ", table.trainable_params + table.non_trainable_params,
      trainable_bytes + non_trainable_bytes);
  out += line("Trainable params: ", table.trainable_params, trainable_bytes);
  out += line("Non-trainable params: ", table.non_trainable_params,
              non_trainable_bytes);
  out += rule + "\n";
  return out;
}

}  // namespace ap::keras
