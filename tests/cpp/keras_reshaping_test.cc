// layers.Permute and layers.RepeatVector: the layers added through the one
// call path (constructor checks, InputSpec, body, output shapes, the error
// wrapper, no masking). Texts are Keras 3.15's / tf-keras 2.21's, as the
// corpus tests/corpus/keras_reshaping_layers.json records them.
#include "core/keras/reshaping.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using namespace ::ap::keras::testing;

Tensor Iota(const Shape& shape) {
  Tensor t = Tensor::Zeros(DType::kFloat32, shape);
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    t.f32()[i] = static_cast<float>(i);
  }
  return t;
}

Value Dims(std::vector<int64_t> dims) {
  ValueList items;
  for (int64_t d : dims) items.push_back(Value::Int(d));
  return Value::Tuple(std::move(items));
}

// Permute((2, 1)) swaps the two non-batch axes: values move with them.
TEST(KerasReshapingTest, PermuteSwapsAxes) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Permute", {Dims({2, 1})});
  const Tensor y = CallLayer(ctx, *layer, {T(Iota({1, 2, 3}))}).as_tensor();
  EXPECT_EQ(y.shape(), (Shape{1, 3, 2}));
  const std::vector<float> want = {0, 3, 1, 4, 2, 5};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(At(y, i), want[i]);
}

// dims must be a permutation of 1..n: the ValueError shows them as given.
TEST(KerasReshapingTest, PermuteDimsNotAPermutation) {
  RunContext ctx;
  const Error e = CatchError([&] {
    MakeLayer(ctx, "Permute", {Dims({0, 1})});
  });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_EQ(e.Message(),
            "Invalid permutation argument `dims` for Permute Layer. The set of "
            "indices in `dims` must be consecutive and start from 1. Received "
            "dims=(0, 1)");
}

// The InputSpec (ndim = len(dims) + 1) fails before call(): unwrapped.
TEST(KerasReshapingTest, PermuteWrongRankBothProfiles) {
  for (Profile profile : {Profile::kKeras3, Profile::kTfKeras}) {
    RunContext ctx;
    ctx.profile = profile;
    auto layer = MakeLayer(ctx, "Permute", {Dims({2, 1})});
    const Error e = CatchError([&] {
      CallLayer(ctx, *layer, {T(Ones({2, 3}))});
    });
    EXPECT_EQ(e.cls, ErrorClass::kValueError);
    EXPECT_FALSE(e.keras_call.has_value());
    EXPECT_EQ(e.Message(),
              profile == Profile::kKeras3
                  ? "Input 0 with name 'None' of layer 'permute' is "
                    "incompatible with the layer: expected ndim=3, found "
                    "ndim=2. Full shape received: (2, 3)"
                  : "Input 0 of layer \"permute\" is incompatible with the "
                    "layer: expected ndim=3, found ndim=2. Full shape "
                    "received: (2, 3)");
  }
}

// RepeatVector(n): (batch, features) -> (batch, n, features).
TEST(KerasReshapingTest, RepeatVectorRepeats) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "RepeatVector", {Value::Int(2)});
  const Tensor y = CallLayer(ctx, *layer, {T(Iota({2, 2}))}).as_tensor();
  EXPECT_EQ(y.shape(), (Shape{2, 2, 2}));
  const std::vector<float> want = {0, 1, 0, 1, 2, 3, 2, 3};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(At(y, i), want[i]);
}

// n must be an int (Keras 3 also refuses a bool) and, in Keras 3, positive.
TEST(KerasReshapingTest, RepeatVectorConstructorChecks) {
  RunContext ctx;
  Error e =
      CatchError([&] { MakeLayer(ctx, "RepeatVector", {Value::Float(2.0)}); });
  EXPECT_EQ(e.cls, ErrorClass::kTypeError);
  EXPECT_EQ(e.Message(),
            "Expected an integer value for `n`, got <class 'float'>.");
  e = CatchError([&] { MakeLayer(ctx, "RepeatVector", {Value::Int(0)}); });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_EQ(e.Message(),
            "Argument `n` should be a positive integer. Received: n=0");
}

// tf_keras accepts a negative n; tf.tile fails inside call(), wrapped, with
// the fast-path " name: " ending (the multiples are a tensor).
TEST(KerasReshapingTest, RepeatVectorNegativeTfKeras) {
  RunContext ctx;
  ctx.profile = Profile::kTfKeras;
  auto layer = MakeLayer(ctx, "RepeatVector", {Value::Int(-1)});
  const Error e = CatchError([&] {
    CallLayer(ctx, *layer, {T(Ones({2, 4}))});
  });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  ASSERT_TRUE(e.keras_call.has_value());
  EXPECT_EQ(
      e.Message(),
      "Exception encountered when calling layer 'repeat_vector' (type "
      "RepeatVector).\n\n{{function_node "
      "__wrapped__Tile_device_/job:localhost/replica:0/task:0/device:CPU:0}} "
      "Expected multiples[1] >= 0, but got -1 [Op:Tile] name: \n\nCall "
      "arguments received by layer 'repeat_vector' (type RepeatVector):\n  "
      "\u2022 inputs=tf.Tensor(shape=(2, 4), dtype=float32)");
}

// Output-shape inference agrees with what the body computes.
TEST(KerasReshapingTest, ComputeOutputShapeMatchesCall) {
  RunContext ctx;
  auto permute = MakeLayer(ctx, "Permute", {Dims({3, 1, 2})});
  auto repeat = MakeLayer(ctx, "RepeatVector", {Value::Int(5)});
  auto dense = MakeLayer(ctx, "Dense", {Value::Int(7)});
  const std::vector<std::pair<Callable*, Shape>> cases = {
      {permute.get(), {2, 3, 4, 5}},
      {repeat.get(), {2, 6}},
      {dense.get(), {2, 3, 4}},
  };
  for (const auto& [callable, input] : cases) {
    auto* layer = dynamic_cast<Layer*>(callable);
    ASSERT_NE(layer, nullptr);
    const std::optional<PartialShape> inferred =
        layer->ComputeOutputShape(ToPartialShape(input));
    ASSERT_TRUE(inferred.has_value()) << layer->class_name();
    EXPECT_EQ(ToPartialShape(
                  CallLayer(ctx, *layer, {T(Ones(input))}).as_tensor().shape()),
              *inferred)
        << layer->class_name();
  }
}

// Neither layer supports masking: the output carries no Keras mask.
TEST(KerasReshapingTest, MaskIsDropped) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "RepeatVector", {Value::Int(3)});
  Value x = T(Ones({2, 4}));
  x.SetKerasMask(ops::Fill({2}, 1, DType::kBool));
  EXPECT_EQ(CallLayer(ctx, *layer, {x}).keras_mask(), nullptr);
}

}  // namespace
}  // namespace ap::keras
