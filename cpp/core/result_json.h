// JSON for the run document (api.h): values, errors and trace events. One
// function per kind of thing, so the document has one spelling for each.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "error.h"
#include "run_context.h"
#include "tensor.h"
#include "tensor_digest.h"
#include "value.h"

namespace ap {

// Tensors the document refers to by id, so a client can fetch their values
// (the heatmap of a 1200 x 1200 weights matrix) without putting them in the
// JSON. Ids are indices into `tensors`.
//
// It also memoises, for the one document being built (after the run, so every
// reference sees the same final values): the min/max/mean of each tensor's
// storage and the clipped repr of each list, tuple and dict. A tensor or list
// bound in thousands of steps is then summarised once, not once per step.
struct TensorTable {
  std::vector<Tensor> tensors;
  std::map<std::pair<const void*, int64_t>, Tensor::ValueStats> stats;
  std::unordered_map<const void*, std::string> reprs;
  int64_t Add(const Tensor& t);
};

// {"kind": "tensor", "shape", "dtype", "values" (the first few), "min",
// "max", "mean"}: what the document shows of every tensor.
nlohmann::json TensorDigestJson(const TensorDigest& digest);
// The digest plus "id" (when `table` is given) to fetch the values.
nlohmann::json TensorSummaryJson(const Tensor& t, TensorTable* table);
// The digest plus "values_dropped": true and "values_dropped_reason", without
// an id: the trace released the values under memory pressure.
nlohmann::json ReleasedTensorJson(const ReleasedTensor& released);
nlohmann::json ValueJson(const Value& v, TensorTable* table, int depth = 0);
// line/column: where the program raised it (1-based; 0 if unknown).
nlohmann::json ErrorJson(const Error& e, int line, int column, int end_line,
                         int end_column);
nlohmann::json CallEventJson(const CallEvent& event, TensorTable* table);

// Message without ANSI escape sequences.
std::string StripAnsi(const std::string& text);

}  // namespace ap
