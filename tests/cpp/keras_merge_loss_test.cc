// layers.Add / layers.Concatenate build checks and
// keras.losses.MeanSquaredError (docs/spec/keras-semantics.md §4.4, §6
// d01/d04).
#include "core/keras/losses.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using ::testing::HasSubstr;
using namespace ::ap::keras::testing;

std::shared_ptr<Callable> Loss(RunContext& ctx) {
  return CreateLoss("MeanSquaredError", ctx, CallArgs{});
}

// Add on (32,2)/(1200,2): the batch-size check, unwrapped, per profile.
TEST(KerasMergeTest, AddDifferentBatchSizes) {
  for (Profile profile : {Profile::kKeras3, Profile::kTfKeras}) {
    RunContext ctx;
    ctx.profile = profile;
    auto add = MakeLayer(ctx, "Add");
    const Error e = CatchError([&] {
      CallLayer(ctx, *add, {List({Ones({32, 2}), Ones({1200, 2})})});
    });
    EXPECT_EQ(e.cls, ErrorClass::kValueError);
    EXPECT_FALSE(e.keras_call.has_value());
    EXPECT_EQ(e.Message(),
              std::string("Cannot merge tensors with different batch sizes. ") +
                  (profile == Profile::kKeras3 ? "Received" : "Got") +
                  " tensors with shapes [(32, 2), (1200, 2)]");
  }
}

// Add on (1,32,2)/(1,1200,2): shapes without the batch dim in the message.
TEST(KerasMergeTest, AddIncompatibleShapes) {
  RunContext ctx;
  auto add = MakeLayer(ctx, "Add");
  const Error e = CatchError([&] {
    CallLayer(ctx, *add, {List({Ones({1, 32, 2}), Ones({1, 1200, 2})})});
  });
  EXPECT_EQ(
      e.Message(),
      "Inputs have incompatible shapes. Received shapes (32, 2) and (1200, 2)");
}

// Add sums elementwise, broadcasting size-1 dims; a single tensor is
// rejected in build.
TEST(KerasMergeTest, AddValuesAndNotList) {
  RunContext ctx;
  auto add = MakeLayer(ctx, "Add");
  const Tensor out =
      CallLayer(ctx, *add, {List({Ones({2, 3}), Ones({2, 3}), Ones({2, 3})})})
          .as_tensor();
  EXPECT_EQ(out.shape(), (Shape{2, 3}));
  EXPECT_EQ(At(out, 0), 3.0f);
  auto add2 = MakeLayer(ctx, "Add");
  const Error e = CatchError([&] {
    CallLayer(ctx, *add2, {T(Ones({1, 32, 2}))});
  });
  EXPECT_EQ(e.Message(),
            "A merge layer should be called on a list of inputs. Received: "
            "input_shape=(1, 32, 2) (not a list of shapes)");
  EXPECT_EQ(static_cast<Layer&>(*add2).name(), "add_1");
}

// Concatenate: matching shapes except the axis; mismatch raises in build.
TEST(KerasMergeTest, Concatenate) {
  RunContext ctx;
  auto cat = MakeLayer(ctx, "Concatenate");
  EXPECT_EQ(CallLayer(ctx, *cat, {List({Ones({1, 32, 2}), Ones({1, 32, 3})})})
                .as_tensor()
                .shape(),
            (Shape{1, 32, 5}));
  auto cat2 = MakeLayer(ctx, "Concatenate", {}, {{"axis", Value::Int(1)}});
  EXPECT_EQ(
      CallLayer(ctx, *cat2, {List({Ones({1, 32, 2}), Ones({1, 1200, 2})})})
          .as_tensor()
          .shape(),
      (Shape{1, 1232, 2}));
  auto cat3 = MakeLayer(ctx, "Concatenate");
  const Error e = CatchError([&] {
    CallLayer(ctx, *cat3, {List({Ones({1, 32, 2}), Ones({1, 1200, 2})})});
  });
  EXPECT_EQ(e.Message(),
            "A `Concatenate` layer requires inputs with matching shapes except "
            "for the concatenation axis. Received: input_shape=[(1, 32, 2), "
            "(1, 1200, 2)]");
}

// d04, K3: y_true - y_pred fails in Sub ([32,2] vs. [1200,2]), not wrapped.
TEST(KerasLossTest, D04MseSubErrorKeras3) {
  RunContext ctx;
  auto loss = Loss(ctx);
  const Error e = CatchError([&] {
    CallLayer(ctx, *loss, {T(Ones({32, 2})), T(Ones({1200, 2}))});
  });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_FALSE(e.keras_call.has_value());
  EXPECT_EQ(
      e.Message(),
      "{{function_node __wrapped__Sub_device_/job:localhost/replica:0/task:0/"
      "device:CPU:0}} Incompatible shapes: [32,2] vs. [1200,2] [Op:Sub] "
      "name: ");
}

// d04, tf_keras: SquaredDifference(y_pred, y_true) reverses the operands.
TEST(KerasLossTest, D04MseSquaredDifferenceTfKeras) {
  RunContext ctx;
  ctx.profile = Profile::kTfKeras;
  auto loss = Loss(ctx);
  const Error e = CatchError([&] {
    CallLayer(ctx, *loss, {T(Ones({32, 2})), T(Ones({1200, 2}))});
  });
  EXPECT_THAT(e.Message(), HasSubstr("Incompatible shapes: [1200,2] vs. [32,2] "
                                     "[Op:SquaredDifference]"));
}

// MSE value: mean over the last axis, then the mean over the batch.
TEST(KerasLossTest, MseValue) {
  RunContext ctx;
  auto loss = Loss(ctx);
  const Tensor y_true = FromValues({2, 2}, {0, 0, 1, 1});
  const Tensor y_pred = FromValues({2, 2}, {1, 3, 1, 1});
  const Tensor out = CallLayer(ctx, *loss, {T(y_true), T(y_pred)}).as_tensor();
  EXPECT_EQ(out.shape(), Shape{});
  EXPECT_NEAR(At(out, 0), (1 + 9) / 2.0 / 2.0, 1e-6);
  CallArgs bad;
  bad.keywords = {{"reduction", Value::Str("avg")}};
  const Error e = CatchError([&] { CreateLoss("MeanSquaredError", ctx, bad); });
  EXPECT_THAT(e.Message(), HasSubstr("Received: reduction=avg"));
}

// The tables list what is modelled, sorted by name; the lookups return
// nullptr otherwise.
TEST(KerasFactoryTest, ClassNames) {
  RunContext ctx;
  EXPECT_EQ(CreateLayer("ConvLSTM2D", ctx, CallArgs{}), nullptr);
  EXPECT_EQ(CreateLoss("Huber", ctx, CallArgs{}), nullptr);
  std::vector<std::string> layers;
  for (const ClassEntry& entry : LayerClasses()) layers.push_back(entry.name);
  const std::vector<std::string> want = {"Activation",
                                         "Add",
                                         "AdditiveAttention",
                                         "Attention",
                                         "Average",
                                         "AveragePooling1D",
                                         "BatchNormalization",
                                         "Bidirectional",
                                         "Concatenate",
                                         "Conv1D",
                                         "Dense",
                                         "Dot",
                                         "Dropout",
                                         "Embedding",
                                         "Flatten",
                                         "GRU",
                                         "GlobalAveragePooling1D",
                                         "GlobalMaxPooling1D",
                                         "LSTM",
                                         "Lambda",
                                         "LayerNormalization",
                                         "Masking",
                                         "MaxPooling1D",
                                         "Maximum",
                                         "Minimum",
                                         "MultiHeadAttention",
                                         "Multiply",
                                         "Permute",
                                         "RepeatVector",
                                         "Reshape",
                                         "SimpleRNN",
                                         "Softmax",
                                         "Subtract",
                                         "TimeDistributed"};
  EXPECT_EQ(layers, want);
  std::vector<std::string> losses;
  for (const ClassEntry& entry : LossClasses()) losses.push_back(entry.name);
  const std::vector<std::string> want_losses = {
      "BinaryCrossentropy", "CategoricalCrossentropy", "MeanAbsoluteError",
      "MeanSquaredError", "SparseCategoricalCrossentropy"};
  EXPECT_EQ(losses, want_losses);
}

}  // namespace
}  // namespace ap::keras
