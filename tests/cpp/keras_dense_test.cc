// layers.Dense: last-axis projection, InputSpec after build (corpus f01),
// constructor validation, activations.
#include "core/keras/dense.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using ::testing::HasSubstr;
using namespace ::ap::keras::testing;

// f01 (Keras 3.15): a second call with another last dim fails before call(),
// unwrapped, with the >= 3.13 InputSpec text.
TEST(KerasDenseTest, F01SecondCallOtherLastDimKeras3) {
  RunContext ctx;
  auto dense = MakeLayer(ctx, "Dense", {Value::Int(16)});
  EXPECT_EQ(CallLayer(ctx, *dense, {T(Ones({4, 8}))}).as_tensor().shape(),
            (Shape{4, 16}));
  const Error e = CatchError([&] {
    CallLayer(ctx, *dense, {T(Ones({4, 6}))});
  });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_FALSE(e.keras_call.has_value());
  EXPECT_EQ(
      e.Message(),
      "Input 0 with name 'None' of layer 'dense' is incompatible with the "
      "layer: expected axis -1 of input shape to have value 8, but received "
      "input with shape (4, 6)");
}

// f01 under tf_keras: the Keras 2 InputSpec wording.
TEST(KerasDenseTest, F01SecondCallOtherLastDimTfKeras) {
  RunContext ctx;
  ctx.profile = Profile::kTfKeras;
  auto dense = MakeLayer(ctx, "Dense", {Value::Int(16)});
  CallLayer(ctx, *dense, {T(Ones({4, 8}))});
  const Error e = CatchError([&] {
    CallLayer(ctx, *dense, {T(Ones({4, 6}))});
  });
  EXPECT_EQ(
      e.Message(),
      "Input 0 of layer \"dense\" is incompatible with the layer: expected "
      "axis -1 of input shape to have value 8, but received input with "
      "shape (4, 6)");
}

// Dense acts on the last axis only: (32,2) and (1200,2) both work with one
// instance; (1,32,2) keeps its leading dims; rank 1 fails min_ndim.
TEST(KerasDenseTest, LastAxisOnly) {
  RunContext ctx;
  auto dense = MakeLayer(ctx, "Dense", {Value::Int(128)});
  EXPECT_EQ(CallLayer(ctx, *dense, {T(Ones({32, 2}))}).as_tensor().shape(),
            (Shape{32, 128}));
  EXPECT_EQ(CallLayer(ctx, *dense, {T(Ones({1200, 2}))}).as_tensor().shape(),
            (Shape{1200, 128}));
  EXPECT_EQ(CallLayer(ctx, *dense, {T(Ones({1, 32, 2}))}).as_tensor().shape(),
            (Shape{1, 32, 128}));
  auto fresh = MakeLayer(ctx, "Dense", {Value::Int(4)});
  const Error e = CatchError([&] { CallLayer(ctx, *fresh, {T(Ones({8}))}); });
  EXPECT_EQ(
      e.Message(),
      "Input 0 with name 'None' of layer 'dense_1' is incompatible with the "
      "layer: expected min_ndim=2, found ndim=1. Full shape received: (8,)");
}

// Values: x @ kernel + bias with zero bias and the layer's own kernel.
TEST(KerasDenseTest, ValuesAreMatmulPlusBias) {
  RunContext ctx;
  auto dense = MakeLayer(ctx, "Dense", {Value::Int(3)},
                         {{"activation", Value::Str("relu")}});
  const Tensor x = FromValues({1, 2}, {1.0f, -2.0f});
  const Tensor y = CallLayer(ctx, *dense, {T(x)}).as_tensor();
  const auto& layer = static_cast<DenseLayer&>(*dense);
  ASSERT_EQ(layer.kernel().shape(), (Shape{2, 3}));
  for (int j = 0; j < 3; ++j) {
    const float expected = std::max(
        0.0f, 1.0f * At(layer.kernel(), j) - 2.0f * At(layer.kernel(), 3 + j));
    EXPECT_NEAR(At(y, j), expected, 1e-6);
    EXPECT_EQ(At(layer.bias(), j), 0.0f);
  }
  EXPECT_EQ(dense->GetAttr("units")->as_int(), 3);
  EXPECT_EQ(dense->GetAttr("weights")->items().size(), 2u);
}

// Constructor: units must be a positive int (K3 text); unknown activations
// are reported as not modelled.
TEST(KerasDenseTest, ConstructorValidation) {
  RunContext ctx;
  CallArgs args;
  args.positional = {Value::Int(0)};
  Error e = CatchError([&] { CreateLayer("Dense", ctx, args); });
  EXPECT_EQ(
      e.Message(),
      "Received an invalid value for `units`, expected a positive integer. "
      "Received: units=0");
  args.positional = {Value::Int(4)};
  // An activation Keras knows and the playground does not compute.
  args.keywords = {{"activation", Value::Str("elu")}};
  e = CatchError([&] { CreateLayer("Dense", ctx, args); });
  EXPECT_EQ(e.cls, ErrorClass::kNotSupportedError);
  EXPECT_THAT(e.Message(), HasSubstr("'elu'"));
}

// The trace records the Dense call with its source and a last-axis note.
TEST(KerasDenseTest, TraceEvent) {
  RecordingSink sink;
  RunContext ctx;
  ctx.trace = &sink;
  auto dense = MakeLayer(ctx, "Dense", {Value::Int(5)});
  CallArgs args;
  args.positional = {T(Ones({32, 2}))};
  args.positional_sources = {"query"};
  dense->Call(ctx, args);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].callee, "Dense");
  EXPECT_EQ(sink.events[0].inputs[0].source, "query");
  EXPECT_EQ(sink.events[0].outputs[0].tensor.shape(), (Shape{32, 5}));
  ASSERT_FALSE(sink.events[0].notes.empty());
  EXPECT_THAT(sink.events[0].notes[0],
              HasSubstr("only the last axis (2 -> 5)"));
}

}  // namespace
}  // namespace ap::keras
