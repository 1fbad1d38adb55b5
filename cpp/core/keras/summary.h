// model.summary() as Keras 3 prints it to a console that is not a terminal
// (keras/src/utils/summary_utils.py print_summary, Keras 3.15, through
// rich's Table): 76 columns (an 80-column console less 4), the column
// widths reduced as rich reduces them, cells word-wrapped and long words cut
// with an ellipsis.
#pragma once

#include <string>
#include <vector>

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

// "720,000": Python's f"{n:,}".
std::string WithThousandsSeparators(int64_t n);

}  // namespace ap::keras
