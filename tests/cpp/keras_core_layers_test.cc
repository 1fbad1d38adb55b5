// Flatten, Reshape, Activation and BatchNormalization: shapes (also with
// unknown dims), Keras 3's reshape errors, activations, batch normalisation
// in inference and training. Texts as tests/corpus/keras_conv_pool_layers.json
// records them.
#include "core/keras/core_layers.h"
#include "core/keras/time_distributed.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using namespace ::ap::keras::testing;

Value Dims(std::vector<int64_t> dims) {
  ValueList items;
  for (int64_t d : dims) items.push_back(Value::Int(d));
  return Value::Tuple(std::move(items));
}

TEST(KerasCoreLayersTest, FlattenShapesAndUnknownDims) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Flatten");
  EXPECT_EQ(CallLayer(ctx, *layer, {T(Ones({2, 5, 3}))}).as_tensor().shape(),
            (Shape{2, 15}));
  EXPECT_EQ(CallLayer(ctx, *layer, {T(Ones({3}))}).as_tensor().shape(),
            (Shape{3, 1}));
  const auto input =
      NewKerasTensor(ctx, PartialShape{Dim(), Dim(), 8}, DType::kInt32);
  const auto out =
      AsKerasTensor(CallLayer(ctx, *layer, {Value::FromObject(input)}));
  EXPECT_EQ(out->shape(), (PartialShape{Dim(), Dim()}));
  EXPECT_EQ(out->dtype(), DType::kInt32);
}

TEST(KerasCoreLayersTest, ReshapeInfersMinusOne) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Reshape", {Dims({-1, 5})});
  EXPECT_EQ(CallLayer(ctx, *layer, {T(Ones({2, 5, 3}))}).as_tensor().shape(),
            (Shape{2, 3, 5}));
  const auto unknown =
      NewKerasTensor(ctx, PartialShape{Dim(), Dim(), 5}, DType::kFloat32);
  EXPECT_EQ(AsKerasTensor(CallLayer(ctx, *layer, {Value::FromObject(unknown)}))
                ->shape(),
            (PartialShape{Dim(), Dim(), 5}));
}

// Keras 3 checks the sizes itself (inside call()); tf_keras leaves it to
// tf.reshape.
TEST(KerasCoreLayersTest, ReshapeErrors) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Reshape", {Dims({4, 4})});
  const Error e = CatchError([&] {
    CallLayer(ctx, *layer, {T(Ones({2, 5, 3}))});
  });
  EXPECT_TRUE(e.keras_call.has_value());
  EXPECT_THAT(e.Message(),
              ::testing::HasSubstr("The total size of the tensor must be "
                                   "unchanged. Received: input_shape=(5, 3), "
                                   "target_shape=(4, 4)"));
  EXPECT_EQ(CatchError([&] {
              MakeLayer(ctx, "Reshape", {Dims({-1, -1})});
            }).Message(),
            "There must be at most one unknown dimension (-1) in "
            "`target_shape`. Received: target_shape=(-1, -1).");
  EXPECT_EQ(CatchError([&] {
              MakeLayer(ctx, "Reshape", {Value::Int(15)});
            }).Message(),
            "'int' object is not iterable");
}

TEST(KerasCoreLayersTest, ActivationNamesAndErrors) {
  RunContext ctx;
  auto relu = MakeLayer(ctx, "Activation", {Value::Str("relu")});
  const Tensor y =
      CallLayer(ctx, *relu, {T(FromValues({1, 2}, {-1, 2}))}).as_tensor();
  EXPECT_EQ(At(y, 0), 0);
  EXPECT_EQ(At(y, 1), 2);
  EXPECT_EQ(CatchError([&] {
              MakeLayer(ctx, "Activation", {Value::Str("nope")});
            }).Message(),
            "Could not interpret activation function identifier: nope");
  RunContext tk;
  tk.profile = Profile::kTfKeras;
  EXPECT_EQ(CatchError([&] {
              MakeLayer(tk, "Activation", {Value::Str("nope")});
            }).Message(),
            "Unknown activation function 'nope' cannot be deserialized.");
}

// Inference: (x - 0) / sqrt(1 + epsilon); four weights, two of them the
// moving statistics.
TEST(KerasCoreLayersTest, BatchNormalizationInference) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "BatchNormalization");
  const Tensor y =
      CallLayer(ctx, *layer, {T(FromValues({1, 2}, {0, 1}))}).as_tensor();
  EXPECT_FLOAT_EQ(At(y, 1), 1.0f / std::sqrt(1.001f));
  const auto weights = static_cast<Layer&>(*layer).Weights();
  ASSERT_EQ(weights.size(), 4u);
  EXPECT_EQ(weights[2].first, "moving_mean");
  EXPECT_EQ(weights[3].first, "moving_variance");
}

// training=True: the batch's statistics, and the moving mean moves 1% of
// the way to the batch mean.
TEST(KerasCoreLayersTest, BatchNormalizationTraining) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "BatchNormalization");
  const Tensor y = CallLayer(ctx, *layer, {T(FromValues({2, 1}, {1, 3}))},
                             {{"training", Value::Bool(true)}})
                       .as_tensor();
  EXPECT_NEAR(At(y, 0), -1.0f / std::sqrt(1.001f), 1e-6);
  const Tensor moving_mean = static_cast<Layer&>(*layer).Weights()[2].second;
  EXPECT_NEAR(At(moving_mean, 0), 0.02f, 1e-7);
}

// TimeDistributed(Dense) maps every step with the same kernel; its weights
// are the inner layer's.
TEST(KerasCoreLayersTest, TimeDistributedDense) {
  RunContext ctx;
  auto dense = MakeLayer(ctx, "Dense", {Value::Int(2)},
                         {{"kernel_initializer", Value::Str("ones")}});
  auto layer = MakeLayer(ctx, "TimeDistributed", {Value::FromObject(dense)});
  const Tensor y =
      CallLayer(ctx, *layer, {T(FromValues({1, 2, 2}, {1, 2, 3, 4}))})
          .as_tensor();
  ASSERT_EQ(y.shape(), (Shape{1, 2, 2}));
  EXPECT_EQ(At(y, 0), 3);
  EXPECT_EQ(At(y, 2), 7);
  EXPECT_EQ(static_cast<Layer&>(*layer).Weights().size(), 2u);
  const auto input =
      NewKerasTensor(ctx, PartialShape{Dim(), Dim(), 2}, DType::kFloat32);
  EXPECT_EQ(AsKerasTensor(CallLayer(ctx, *layer, {Value::FromObject(input)}))
                ->shape(),
            (PartialShape{Dim(), Dim(), 2}));
}

TEST(KerasCoreLayersTest, TimeDistributedErrors) {
  RunContext ctx;
  EXPECT_EQ(CatchError([&] {
              MakeLayer(ctx, "TimeDistributed", {Value::Int(3)});
            }).Message(),
            "Please initialize `TimeDistributed` layer with a "
            "`keras.layers.Layer` instance. Received: 3");
  auto dense = MakeLayer(ctx, "Dense", {Value::Int(2)});
  auto layer = MakeLayer(ctx, "TimeDistributed", {Value::FromObject(dense)});
  EXPECT_EQ(CatchError([&] {
              CallLayer(ctx, *layer, {T(Ones({2, 3}))});
            }).Message(),
            "`TimeDistributed` Layer should be passed an `input_shape` with "
            "at least 3 dimensions, received: (2, 3)");
}

}  // namespace
}  // namespace ap::keras
