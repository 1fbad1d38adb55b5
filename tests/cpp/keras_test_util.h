// Helpers shared by the keras_*_test.cc suites: building tensors, calls and
// a trace sink that keeps the events.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/call_args.h"
#include "core/error.h"
#include "core/keras/layer.h"
#include "core/keras/layer_registry.h"
#include "core/ops/ops.h"
#include "core/run_context.h"
#include "core/value.h"

namespace ap::keras::testing {

inline Tensor Normal(const Shape& shape, uint64_t seed = 1) {
  Random rng(seed);
  return ops::RandomNormal(shape, 0.0, 1.0, rng);
}

inline Tensor Ones(const Shape& shape) {
  return ops::Fill(shape, 1.0, DType::kFloat32);
}

inline Tensor FromValues(const Shape& shape, const std::vector<float>& values) {
  Tensor t = Tensor::Zeros(DType::kFloat32, shape);
  for (size_t i = 0; i < values.size(); ++i) t.f32()[i] = values[i];
  return t;
}

inline Value T(const Tensor& t) { return Value::FromTensor(t); }

inline Value List(std::vector<Tensor> ts) {
  ValueList items;
  for (const Tensor& t : ts) items.push_back(T(t));
  return Value::List(std::move(items));
}

struct RecordingSink : TraceSink {
  std::vector<CallEvent> events;
  void OnCall(CallEvent event) override { events.push_back(std::move(event)); }
};

// Creates a layer from positional/keyword constructor arguments.
inline std::shared_ptr<Callable> MakeLayer(
    RunContext& ctx, std::string_view cls, ValueList positional = {},
    std::vector<std::pair<std::string, Value>> keywords = {}) {
  CallArgs args;
  args.positional = std::move(positional);
  args.keywords = std::move(keywords);
  auto layer = CreateLayer(cls, ctx, args);
  EXPECT_NE(layer, nullptr) << cls;
  return layer;
}

inline Value CallLayer(
    RunContext& ctx, Callable& layer, ValueList positional,
    std::vector<std::pair<std::string, Value>> keywords = {}) {
  CallArgs args;
  args.positional = std::move(positional);
  args.keywords = std::move(keywords);
  return layer.Call(ctx, args);
}

// Runs `f` and returns the error it raised (fails the test if none).
template <typename F>
Error CatchError(F&& f) {
  try {
    f();
  } catch (const ErrorException& e) {
    return e.error();
  }
  ADD_FAILURE() << "expected an error";
  return Error{};
}

inline float At(const Tensor& t, int64_t i) { return t.f32()[i]; }

}  // namespace ap::keras::testing
