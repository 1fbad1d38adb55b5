// model.summary() as Keras 3 prints it to a console that is not a terminal
// (keras/src/utils/summary_utils.py print_summary, Keras 3.15, through
// rich's Table): 76 columns (an 80-column console less 4), the column
// widths reduced as rich reduces them, cells word-wrapped and long words cut
// with an ellipsis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../partial_shape.h"

namespace ap::keras {

struct SummaryTable {
  std::string title;  // the model's name
  bool with_connections = false;
  // One row per layer: name (type), output shape, params[, connected to].
  std::vector<std::vector<std::string>> rows;
  int64_t trainable_params = 0;
  int64_t non_trainable_params = 0;
  int bytes_per_param = 4;
};

std::string RenderSummary(const SummaryTable& table);

// format_layer_shape's text for a layer's output shapes: "(None, 32)" (rank
// 1: "(32)"), several as a list without quotes "[(None, 4), (None, 4)]".
std::string Keras3ShapeCell(const std::vector<PartialShape>& shapes);

// "720,000": Python's f"{n:,}".
std::string WithThousandsSeparators(int64_t n);

// ---- tf-keras 2.21 ----------------------------------------------------------
// print_summary of tf_keras/src/utils/layer_utils.py (tf-keras 2.21): plain
// text, 65 columns (98 with "Connected to"), fields cut at fixed positions
// and after "),", "],", "}," or "',"; counts without separators.

struct TfKerasSummaryRow {
  std::string name;        // layer.name
  std::string class_name;  // "Dense", "InputLayer", "Functional", ...
  // TfKerasOutputShapeCell, or "multiple".
  std::string output_shape;
  int64_t params = 0;  // layer.count_params()
  // An unbuilt layer of a subclassed model: "0 (unused)" (plain layout only).
  bool unused = false;
  // TfKerasConnection of every inbound tensor of the layer's nodes that
  // belong to the model, in node order; with_connections only.
  std::vector<std::string> connected_to;
};

struct TfKerasSummaryTable {
  std::string title;  // the model's name
  // A functional model that is not sequential-like: some depth has several
  // nodes, a node has several inputs, or a layer is called twice.
  bool with_connections = false;
  std::vector<TfKerasSummaryRow> rows;  // model.layers (Sequential: no Input)
  int64_t trainable_params = 0;
  int64_t non_trainable_params = 0;
  int bytes_per_param = 4;
  // weight_memory_size when the dtypes differ; else params * bytes_per_param.
  std::optional<int64_t> trainable_bytes;
  std::optional<int64_t> non_trainable_bytes;
};

// model.summary() as tf-keras 2.21 prints it (print_summary, default
// line_length and positions), each line ending in "\n".
std::string RenderSummaryTfKeras(const TfKerasSummaryTable& table);

// layer.output_shape: one entry per inbound node of the layer, each the
// shapes of that node's outputs. One output prints as a tuple
// "(None, 32, 5)"; several, or one when `as_list` (the node's outputs are a
// list, as an InputLayer's always are), as a list "[(None, 32, 2)]".
// "multiple" when the nodes' texts differ or the layer was never called.
std::string TfKerasOutputShapeCell(
    const std::vector<std::vector<PartialShape>>& node_outputs, bool as_list);

// "input_1[0][0]": the inbound layer, its node index, the tensor index.
std::string TfKerasConnection(const std::string& inbound_layer,
                              int64_t node_index, int64_t tensor_index);

// readable_memory_size: "60.00 Byte", "2.00 KB", "9.42 MB" (1024-based).
std::string TfKerasReadableMemorySize(double bytes);

}  // namespace ap::keras
