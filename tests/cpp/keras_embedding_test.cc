// layers.Embedding: the table's shape and name, the lookup (Keras 3's
// negative-index fix, the GatherV2 / ResourceGather errors), mask_zero's
// Keras mask, and the symbolic call. Texts are Keras 3.15's / tf-keras
// 2.21's, as tests/corpus/keras_embedding_recurrent.json records them.
#include "core/keras/embedding.h"
#include "core/keras/keras_tensor.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using namespace ::ap::keras::testing;

Tensor Ints(const Shape& shape, const std::vector<int32_t>& values) {
  Tensor t = Tensor::Zeros(DType::kInt32, shape);
  for (size_t i = 0; i < values.size(); ++i) t.i32()[i] = values[i];
  return t;
}

Value Str(const char* s) { return Value::Str(s); }

TEST(KerasEmbeddingTest, LookupGivesRowsOfTheTable) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Embedding", {Value::Int(10), Value::Int(3)},
                         {{"embeddings_initializer", Str("ones")}});
  const Tensor y =
      CallLayer(ctx, *layer, {T(Ints({2, 2}, {1, 2, 3, 9}))}).as_tensor();
  EXPECT_EQ(y.shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(y.dtype(), DType::kFloat32);
  EXPECT_EQ(At(y, 0), 1.0f);
  const auto weights = static_cast<Layer&>(*layer).Weights();
  ASSERT_EQ(weights.size(), 1u);
  EXPECT_EQ(weights[0].first, "embeddings");
  EXPECT_EQ(weights[0].second.shape(), (Shape{10, 3}));
}

// Float indices are cast to int32 (truncated) before the gather.
TEST(KerasEmbeddingTest, FloatInputsAreCast) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Embedding", {Value::Int(10), Value::Int(4)});
  const Tensor y =
      CallLayer(ctx, *layer, {T(FromValues({1, 2}, {1.7f, 9.9f}))}).as_tensor();
  EXPECT_EQ(y.shape(), (Shape{1, 2, 4}));
}

TEST(KerasEmbeddingTest, IndexOutOfRangeIsTheGatherError) {
  {
    RunContext ctx;
    auto layer = MakeLayer(ctx, "Embedding", {Value::Int(10), Value::Int(4)});
    const Error e = CatchError([&] {
      CallLayer(ctx, *layer, {T(Ints({1, 1}, {12}))});
    });
    EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
    ASSERT_TRUE(e.keras_call.has_value());
    EXPECT_EQ(e.keras_call->class_name, "Embedding");
    EXPECT_EQ(e.OpMessage(),
              "{{function_node "
              "__wrapped__GatherV2_device_/job:localhost/replica:0/task:0/"
              "device:CPU:0}} indices[0,0] = 12 is not in [0, 10) "
              "[Op:GatherV2]");
  }
  {
    RunContext ctx;
    ctx.profile = Profile::kTfKeras;
    auto layer = MakeLayer(ctx, "Embedding", {Value::Int(10), Value::Int(4)});
    const Error e = CatchError([&] {
      CallLayer(ctx, *layer, {T(Ints({1, 2}, {-1, 2}))});
    });
    EXPECT_EQ(e.OpMessage(),
              "{{function_node "
              "__wrapped__ResourceGather_device_/job:localhost/replica:0/"
              "task:0/device:CPU:0}} indices[0,0] = -1 is not in [0, 10) "
              "[Op:ResourceGather] name: ");
  }
}

// Keras 3's ops.take adds input_dim to negative indices first.
TEST(KerasEmbeddingTest, Keras3WrapsNegativeIndices) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Embedding", {Value::Int(10), Value::Int(4)});
  const Tensor y =
      CallLayer(ctx, *layer, {T(Ints({1, 2}, {-1, 2}))}).as_tensor();
  EXPECT_EQ(y.shape(), (Shape{1, 2, 4}));
  const Error e = CatchError([&] {
    CallLayer(ctx, *layer, {T(Ints({1, 1}, {-11}))});
  });
  EXPECT_NE(e.OpMessage().find("indices[0,0] = -1 is not in [0, 10)"),
            std::string::npos);
}

TEST(KerasEmbeddingTest, MaskZeroPutsNotEqualZeroOnTheOutput) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Embedding", {Value::Int(10), Value::Int(4)},
                         {{"mask_zero", Value::Bool(true)}});
  const Value y = CallLayer(ctx, *layer, {T(Ints({1, 3}, {5, 0, 2}))});
  ASSERT_NE(y.keras_mask(), nullptr);
  const Tensor& mask = *y.keras_mask();
  EXPECT_EQ(mask.dtype(), DType::kBool);
  EXPECT_EQ(mask.shape(), (Shape{1, 3}));
  EXPECT_TRUE(mask.b8()[0]);
  EXPECT_FALSE(mask.b8()[1]);
  EXPECT_TRUE(mask.b8()[2]);
}

TEST(KerasEmbeddingTest, NoMaskWithoutMaskZero) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Embedding", {Value::Int(10), Value::Int(4)});
  const Value y = CallLayer(ctx, *layer, {T(Ints({1, 2}, {0, 1}))});
  EXPECT_EQ(y.keras_mask(), nullptr);
}

TEST(KerasEmbeddingTest, DimensionsMustBePositive) {
  {
    RunContext ctx;
    const Error e = CatchError([&] {
      MakeLayer(ctx, "Embedding", {Value::Int(10), Value::Float(4.0)});
    });
    EXPECT_EQ(e.Message(),
              "`output_dim` must be a positive integer. Received: "
              "output_dim=4.0 (of type float).");
  }
  {
    RunContext ctx;
    ctx.profile = Profile::kTfKeras;
    const Error e = CatchError([&] {
      MakeLayer(ctx, "Embedding", {Value::Int(0), Value::Int(4)});
    });
    EXPECT_EQ(e.Message(),
              "Both `input_dim` and `output_dim` should be positive, Received "
              "input_dim = 0 and output_dim = 4");
  }
}

TEST(KerasEmbeddingTest, EmbeddingsBeforeBuild) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Embedding", {Value::Int(10), Value::Int(4)});
  const Error e = CatchError([&] { layer->GetAttr("embeddings"); });
  EXPECT_EQ(e.cls, ErrorClass::kAttributeError);
  EXPECT_EQ(e.Message(),
            "You must build the layer before accessing `embeddings`.");
}

// keras.Input(shape=(None,)) -> (None, None, 64) float32, with a bool
// KerasTensor mask of the input's shape.
TEST(KerasEmbeddingTest, SymbolicCallGivesOutputAndMask) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Embedding", {Value::Int(1000), Value::Int(64)},
                         {{"mask_zero", Value::Bool(true)}});
  const auto input =
      NewKerasTensor(ctx, PartialShape{Dim(), Dim()}, DType::kFloat32);
  const Value y = CallLayer(ctx, *layer, {Value::FromObject(input)});
  const auto out = AsKerasTensor(y);
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(out->shape(), (PartialShape{Dim(), Dim(), 64}));
  EXPECT_EQ(out->dtype(), DType::kFloat32);
  ASSERT_NE(out->mask(), nullptr);
  EXPECT_EQ(out->mask()->shape(), (PartialShape{Dim(), Dim()}));
  EXPECT_EQ(out->mask()->dtype(), DType::kBool);
  EXPECT_EQ(static_cast<Layer&>(*layer).Weights()[0].second.shape(),
            (Shape{1000, 64}));
}

}  // namespace
}  // namespace ap::keras
