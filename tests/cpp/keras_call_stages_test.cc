// The structure an attention call leaves in the trace and in its error, for
// a viewer that must not read prose: each input's role and the role its
// name suggests, the stages (validate, scores, mask, softmax, output, ...)
// with how far the call got, and the tensors of Keras' call arguments.
#include <nlohmann/json.hpp>

#include "core/api.h"
#include "core/keras/common.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using namespace ::ap::keras::testing;
using nlohmann::json;
using Status = CallStage::Status;

Tensor BoolMask(const Shape& shape) {
  return ops::Fill(shape, 1, DType::kBool);
}

const CallStage& StageOf(const CallEvent& event, const std::string& name) {
  for (const CallStage& s : event.stages) {
    if (s.stage == name) return s;
  }
  ADD_FAILURE() << "no stage " << name;
  static const CallStage none;
  return none;
}

std::vector<std::string> StageNames(const CallEvent& event) {
  std::vector<std::string> names;
  for (const CallStage& s : event.stages) names.push_back(s.stage);
  return names;
}

// [query_tensor, key_tensor, value_tensor]: inputs[1] is the value, though
// its name says key; the binding says so next to the prose note.
TEST(KerasCallStagesTest, RoleSuggestedByNameIsStructure) {
  RecordingSink sink;
  RunContext ctx;
  ctx.trace = &sink;
  auto layer = MakeLayer(ctx, "Attention");
  CallArgs args;
  args.positional = {
      List({Normal({1, 4, 2}, 1), Normal({1, 6, 2}, 2), Normal({1, 6, 2}, 3)})};
  args.positional_sources = {"[query_tensor, key_tensor, value_tensor]"};
  args.positional_item_sources = {
      {"query_tensor", "key_tensor", "value_tensor"}};
  layer->Call(ctx, args);
  ASSERT_EQ(sink.events.size(), 1u);
  const CallEvent& ev = sink.events[0];
  ASSERT_EQ(ev.inputs.size(), 3u);
  EXPECT_EQ(ev.inputs[0].suggested_role, "");
  EXPECT_EQ(ev.inputs[0].role_note, "");
  EXPECT_EQ(ev.inputs[1].role, "value");
  EXPECT_EQ(ev.inputs[1].suggested_role, "key");
  EXPECT_EQ(ev.inputs[2].role, "key");
  EXPECT_EQ(ev.inputs[2].suggested_role, "value");
  ASSERT_GE(ev.notes.size(), 2u);
  EXPECT_EQ(ev.inputs[1].role_note, ev.notes[0]);
  EXPECT_EQ(ev.inputs[2].role_note, ev.notes[1]);
}

// A run that masks values causally: every stage done, the mask made of both.
TEST(KerasCallStagesTest, AttentionStagesDoneWithShapes) {
  RecordingSink sink;
  RunContext ctx;
  ctx.trace = &sink;
  auto layer = MakeLayer(ctx, "Attention");
  CallLayer(ctx, *layer, {List({Normal({1, 4, 2}), Normal({1, 6, 2})})},
            {{"mask", Value::List({Value::None(), T(BoolMask({1, 6}))})},
             {"use_causal_mask", Value::Bool(true)}});
  ASSERT_EQ(sink.events.size(), 1u);
  const CallEvent& ev = sink.events[0];
  EXPECT_EQ(StageNames(ev),
            (std::vector<std::string>{"validate", "scores", "mask", "softmax",
                                      "output", "query_mask"}));
  EXPECT_EQ(StageOf(ev, "validate").status, Status::kDone);
  const CallStage& scores = StageOf(ev, "scores");
  EXPECT_EQ(scores.status, Status::kDone);
  EXPECT_EQ(scores.shape, (Shape{1, 4, 6}));
  EXPECT_EQ(scores.axes, "batch,Tq,Tv");
  const CallStage& mask = StageOf(ev, "mask");
  EXPECT_EQ(mask.status, Status::kDone);
  EXPECT_EQ(mask.sources, (std::vector<std::string>{"value_mask", "causal"}));
  EXPECT_EQ(StageOf(ev, "softmax").status, Status::kDone);
  const CallStage& output = StageOf(ev, "output");
  EXPECT_EQ(output.shape, (Shape{1, 4, 2}));
  EXPECT_EQ(output.axes, "batch,Tq,dim");
  EXPECT_EQ(StageOf(ev, "query_mask").status, Status::kSkipped);
}

// Q·Kᵀ of dims 4 and 6 fails in the scores stage; nothing after it runs.
TEST(KerasCallStagesTest, FailingScoresStage) {
  RecordingSink sink;
  RunContext ctx;
  ctx.trace = &sink;
  auto layer = MakeLayer(ctx, "Attention");
  CatchError([&] {
    CallLayer(ctx, *layer, {List({Normal({1, 10, 4}), Normal({1, 20, 6})})});
  });
  ASSERT_EQ(sink.events.size(), 1u);
  const CallEvent& ev = sink.events[0];
  EXPECT_TRUE(ev.failed);
  EXPECT_EQ(StageOf(ev, "validate").status, Status::kDone);
  EXPECT_EQ(StageOf(ev, "scores").status, Status::kFailed);
  EXPECT_FALSE(StageOf(ev, "scores").has_shape);
  for (const char* later : {"mask", "softmax", "output", "query_mask"}) {
    EXPECT_EQ(StageOf(ev, later).status, Status::kNotReached) << later;
  }
}

// Key length 18 against value length 20: weights · value fails.
TEST(KerasCallStagesTest, FailingOutputStage) {
  RecordingSink sink;
  RunContext ctx;
  ctx.trace = &sink;
  auto layer = MakeLayer(ctx, "Attention");
  CatchError([&] {
    CallLayer(
        ctx, *layer,
        {List({Normal({1, 10, 4}), Normal({1, 20, 4}), Normal({1, 18, 4})})});
  });
  ASSERT_EQ(sink.events.size(), 1u);
  const CallEvent& ev = sink.events[0];
  EXPECT_EQ(StageOf(ev, "softmax").status, Status::kDone);
  EXPECT_EQ(StageOf(ev, "output").status, Status::kFailed);
  EXPECT_EQ(StageOf(ev, "query_mask").status, Status::kNotReached);
}

// Keras rejects a one-element mask list before any stage: "validate" fails,
// and the error's call frame carries the arguments' tensors.
TEST(KerasCallStagesTest, RejectedCallFailsValidateWithArgumentLayouts) {
  RecordingSink sink;
  RunContext ctx;
  ctx.trace = &sink;
  auto layer = MakeLayer(ctx, "Attention");
  const Error e = CatchError([&] {
    CallLayer(ctx, *layer,
              {List({Normal({1, 4, 2}), Normal({1, 6, 2}), Normal({1, 6, 2})})},
              {{"mask", Value::List({T(BoolMask({1, 4}))})}});
  });
  ASSERT_EQ(sink.events.size(), 1u);
  const CallEvent& ev = sink.events[0];
  EXPECT_EQ(StageOf(ev, "validate").status, Status::kFailed);
  EXPECT_EQ(StageOf(ev, "scores").status, Status::kNotReached);

  ASSERT_TRUE(e.keras_call.has_value());
  const auto& layouts = e.keras_call->argument_layouts;
  ASSERT_EQ(layouts.size(), e.keras_call->arguments.size());
  EXPECT_EQ(layouts[0].first, "inputs");
  const ArgumentLayout& inputs = layouts[0].second;
  ASSERT_EQ(inputs.kind, ArgumentLayout::Kind::kSequence);
  ASSERT_EQ(inputs.items.size(), 3u);
  EXPECT_EQ(inputs.items[0].kind, ArgumentLayout::Kind::kTensor);
  EXPECT_EQ(inputs.items[0].shape, (Shape{1, 4, 2}));
  EXPECT_EQ(inputs.items[1].shape, (Shape{1, 6, 2}));
  EXPECT_EQ(layouts[1].first, "mask");
  ASSERT_EQ(layouts[1].second.items.size(), 1u);
  EXPECT_EQ(layouts[1].second.items[0].dtype, DType::kBool);
  EXPECT_EQ(layouts[2].first, "training");
  EXPECT_EQ(layouts[2].second.kind, ArgumentLayout::Kind::kOther);
}

// A None inside a list is not a tensor; deep nesting stops being described.
TEST(KerasCallStagesTest, ArgumentLayoutOfListsAndDepth) {
  const ArgumentLayout mixed =
      ArgumentLayoutOf(Value::List({T(Ones({2})), Value::None()}));
  ASSERT_EQ(mixed.items.size(), 2u);
  EXPECT_EQ(mixed.items[0].kind, ArgumentLayout::Kind::kTensor);
  EXPECT_EQ(mixed.items[1].kind, ArgumentLayout::Kind::kOther);
  Value deep = T(Ones({1}));
  for (int i = 0; i < 100; ++i) deep = Value::List({deep});
  const ArgumentLayout* at = nullptr;
  const ArgumentLayout top = ArgumentLayoutOf(deep);
  at = &top;
  int depth = 0;
  while (at->kind == ArgumentLayout::Kind::kSequence) {
    at = &at->items[0];
    ++depth;
  }
  EXPECT_LT(depth, 10);
  EXPECT_EQ(at->kind, ArgumentLayout::Kind::kOther);
}

// MultiHeadAttention: projection before scores; a query named like a key.
TEST(KerasCallStagesTest, MultiHeadAttentionStagesAndRoles) {
  RecordingSink sink;
  RunContext ctx;
  ctx.trace = &sink;
  auto mha =
      MakeLayer(ctx, "MultiHeadAttention", {Value::Int(2), Value::Int(4)});
  CallArgs args;
  args.positional = {T(Normal({1, 3, 8})), T(Normal({1, 5, 8}))};
  args.positional_sources = {"key_tensor", "value_tensor"};
  mha->Call(ctx, args);
  ASSERT_EQ(sink.events.size(), 1u);
  const CallEvent& ev = sink.events[0];
  EXPECT_EQ(StageNames(ev),
            (std::vector<std::string>{
                "validate", "projection", "value_projection", "scores", "mask",
                "softmax", "output", "output_projection"}));
  for (const CallStage& s : ev.stages) {
    EXPECT_EQ(s.status, s.stage == "mask" ? Status::kSkipped : Status::kDone)
        << s.stage;
  }
  EXPECT_EQ(StageOf(ev, "scores").shape, (Shape{1, 2, 3, 5}));
  EXPECT_EQ(StageOf(ev, "output_projection").shape, (Shape{1, 3, 8}));
  ASSERT_GE(ev.inputs.size(), 1u);
  EXPECT_EQ(ev.inputs[0].role, "query");
  EXPECT_EQ(ev.inputs[0].suggested_role, "key");
  EXPECT_EQ(ev.inputs[0].role_note, ev.notes[0]);
}

// The run document: "stages" on attention calls only, "suggested_role" only
// where the name disagrees, "argument_tensors" beside "arguments".
TEST(KerasCallStagesTest, RunDocumentFields) {
  const json doc = json::parse(RunProgramToJson(
      "import tensorflow as tf\n"
      "from tensorflow.keras import layers\n"
      "q = tf.ones((1, 3, 2))\n"
      "key_tensor = tf.ones((1, 5, 2))\n"
      "y = q + q\n"
      "out = layers.Attention()([q, key_tensor], mask=[None])\n",
      RunOptions{}));
  json attention, add;
  for (const json& step : doc["steps"]) {
    if (!step.contains("calls")) continue;
    for (const json& call : step["calls"]) {
      if (call["callee"] == "Attention") attention = call;
      if (call["kind"] == "op") add = call;
    }
  }
  ASSERT_TRUE(attention.is_object());
  ASSERT_TRUE(add.is_object());
  EXPECT_FALSE(add.contains("stages"));
  ASSERT_FALSE(add.at("inputs").empty());
  EXPECT_FALSE(add.at("inputs").at(0).contains("suggested_role"));
  const json& stages = attention["stages"];
  ASSERT_EQ(stages.size(), 6u);
  EXPECT_EQ(stages[0]["stage"], "validate");
  EXPECT_EQ(stages[0]["status"], "failed");
  EXPECT_EQ(stages[1]["status"], "not_reached");
  EXPECT_TRUE(stages[1]["shape"].is_null());
  const json& keras_call = doc["error"]["keras_call"];
  const json& tensors = keras_call["argument_tensors"];
  ASSERT_EQ(tensors.size(), keras_call["arguments"].size());
  EXPECT_EQ(tensors[0]["name"], "inputs");
  EXPECT_EQ(tensors[0]["value"][1]["shape"], json({1, 5, 2}));
  EXPECT_EQ(tensors[0]["value"][1]["dtype"], "float32");
  EXPECT_EQ(tensors[1]["name"], "mask");
  EXPECT_TRUE(tensors[1]["value"][0].is_null());
  EXPECT_TRUE(tensors[2]["value"].is_null());
}

}  // namespace
}  // namespace ap::keras
