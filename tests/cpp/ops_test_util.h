// Small helpers shared by the ops_*_test.cc suites: build tensors from
// literals, read them back, and capture the Error an op raises.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "core/error.h"
#include "core/ops/ops.h"
#include "core/tensor.h"

namespace ap::testing {

inline Tensor F32(const Shape& shape, const std::vector<float>& v) {
  Tensor t = Tensor::Zeros(DType::kFloat32, shape);
  EXPECT_EQ(static_cast<int64_t>(v.size()), t.num_elements());
  for (size_t i = 0; i < v.size() && i < size_t(t.num_elements()); ++i) {
    t.f32()[i] = v[i];
  }
  return t;
}

inline Tensor I32(const Shape& shape, const std::vector<int32_t>& v) {
  Tensor t = Tensor::Zeros(DType::kInt32, shape);
  EXPECT_EQ(static_cast<int64_t>(v.size()), t.num_elements());
  for (size_t i = 0; i < v.size() && i < size_t(t.num_elements()); ++i) {
    t.i32()[i] = v[i];
  }
  return t;
}

inline Tensor Bool(const Shape& shape, const std::vector<int>& v) {
  Tensor t = Tensor::Zeros(DType::kBool, shape);
  EXPECT_EQ(static_cast<int64_t>(v.size()), t.num_elements());
  for (size_t i = 0; i < v.size() && i < size_t(t.num_elements()); ++i) {
    t.b8()[i] = v[i] ? 1 : 0;
  }
  return t;
}

// A zero-filled float tensor of the given shape.
inline Tensor Zf(const Shape& shape) {
  return Tensor::Zeros(DType::kFloat32, shape);
}

inline std::vector<double> Values(const Tensor& t) {
  std::vector<double> out;
  for (int64_t i = 0; i < t.num_elements(); ++i)
    out.push_back(t.GetAsDouble(i));
  return out;
}

// Runs `f`, expecting it to throw; returns the Error (or a default Error
// with text "no error" so the caller's assertions fail readably).
inline Error ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ErrorException& e) {
    return e.error();
  }
  Error none;
  none.text = "no error";
  return none;
}

// The eager envelope around a kernel message, for readable expectations.
inline std::string Eager(const std::string& op, const std::string& msg,
                         const std::string& name = "",
                         const std::string& suffix = "") {
  return "{{function_node __wrapped__" + op + suffix +
         "_device_/job:localhost/replica:0/task:0/device:CPU:0}} " + msg +
         " [Op:" + op + "] name: " + name;
}

// The same when the Python call took the slow path (an input given as a
// Python list): no " name: " (Error::fast_path).
inline std::string EagerNoName(const std::string& op, const std::string& msg,
                               const std::string& suffix = "") {
  return "{{function_node __wrapped__" + op + suffix +
         "_device_/job:localhost/replica:0/task:0/device:CPU:0}} " + msg +
         " [Op:" + op + "]";
}

}  // namespace ap::testing
