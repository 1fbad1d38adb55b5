// Keras masks carried by tensors: a layer call attaches compute_mask's mask
// to its outputs (`_keras_mask`) and a later call without `mask=` takes the
// masks of its inputs (Layer.__call__ in Keras 3.15 and tf-keras 2.21).
#include "core/keras/losses.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using namespace ::ap::keras::testing;

constexpr Profile kProfiles[] = {Profile::kKeras3, Profile::kTfKeras};

// (batch, len) bool mask: the first lengths[b] positions are True.
Tensor SequenceMask(const std::vector<int>& lengths, int64_t len) {
  Tensor m =
      Tensor::Zeros(DType::kBool, {static_cast<int64_t>(lengths.size()), len});
  for (size_t b = 0; b < lengths.size(); ++b) {
    for (int64_t i = 0; i < len; ++i) m.b8()[b * len + i] = i < lengths[b];
  }
  return m;
}

Tensor Ramp(const Shape& shape) {
  Tensor t = Tensor::Zeros(DType::kFloat32, shape);
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    t.f32()[i] = static_cast<float>(i) / static_cast<float>(t.num_elements());
  }
  return t;
}

// Attention([x, x], mask=[query_mask, None]): the output carries the query
// mask.
Value MaskedAttentionOutput(RunContext& ctx, const Tensor& x,
                            const Tensor& query_mask) {
  auto att = MakeLayer(ctx, "Attention");
  return CallLayer(ctx, *att, {List({x, x})},
                   {{"mask", Value::List({T(query_mask), Value::None()})}});
}

std::vector<uint8_t> Bools(const Tensor& t) {
  return std::vector<uint8_t>(t.b8(), t.b8() + t.num_elements());
}

TEST(KerasMaskTest, CopiesOfAValueShareTheMask) {
  Value a = T(Ones({2, 3}));
  EXPECT_FALSE(a.has_keras_mask_attribute());
  a.SetKerasMask(SequenceMask({1, 2}, 3));
  const Value b = a;  // another reference to the same tensor object
  ASSERT_NE(b.keras_mask(), nullptr);
  a.SetKerasMask(Tensor());  // set to None through one of them
  EXPECT_EQ(b.keras_mask(), nullptr);
  EXPECT_TRUE(b.has_keras_mask_attribute());
  // An op's result is a new tensor without the attribute.
  EXPECT_FALSE(T(b.as_tensor()).has_keras_mask_attribute());
}

TEST(KerasMaskTest, AttentionOutputCarriesQueryMaskScoresDoNot) {
  for (Profile profile : kProfiles) {
    RunContext ctx;
    ctx.profile = profile;
    const Tensor qm = SequenceMask({3, 1}, 4);
    auto att = MakeLayer(ctx, "Attention");
    const Value out =
        CallLayer(ctx, *att, {List({Ramp({2, 4, 8}), Ramp({2, 4, 8})})},
                  {{"mask", Value::List({T(qm), Value::None()})},
                   {"return_attention_scores", Value::Bool(true)}});
    const Value& output = out.items()[0];
    ASSERT_NE(output.keras_mask(), nullptr);
    EXPECT_EQ(Bools(*output.keras_mask()), Bools(qm));
    EXPECT_FALSE(out.items()[1].has_keras_mask_attribute());
  }
}

// The next Attention takes [mask, mask] from its inputs: keys past the
// query mask get weight 0.
TEST(KerasMaskTest, NextAttentionUsesTheCarriedMask) {
  for (Profile profile : kProfiles) {
    RunContext ctx;
    ctx.profile = profile;
    const Value out =
        MaskedAttentionOutput(ctx, Ramp({1, 4, 8}), SequenceMask({2}, 4));
    auto att = MakeLayer(ctx, "Attention");
    const Value r = CallLayer(ctx, *att, {Value::List({out, out})},
                              {{"return_attention_scores", Value::Bool(true)}});
    const Tensor& w = r.items()[1].as_tensor();
    for (int q = 0; q < 2; ++q) {
      EXPECT_EQ(At(w, q * 4 + 2), 0.0f);
      EXPECT_EQ(At(w, q * 4 + 3), 0.0f);
      EXPECT_NEAR(At(w, q * 4) + At(w, q * 4 + 1), 1.0f, 1e-6);
    }
    ASSERT_NE(r.items()[0].keras_mask(), nullptr);
  }
}

// An explicit mask wins; mask=None as a keyword is filled in again by
// Keras 3 but counts as passed in tf_keras.
TEST(KerasMaskTest, ExplicitMaskAndMaskNone) {
  for (Profile profile : kProfiles) {
    RunContext ctx;
    ctx.profile = profile;
    const Value out =
        MaskedAttentionOutput(ctx, Ramp({1, 4, 8}), SequenceMask({2}, 4));
    auto att = MakeLayer(ctx, "Attention");
    const Value overridden = CallLayer(
        ctx, *att, {Value::List({out, out})},
        {{"mask", Value::List({Value::None(), T(SequenceMask({3}, 4))})}});
    EXPECT_EQ(overridden.keras_mask(), nullptr);
    const Value with_none = CallLayer(ctx, *att, {Value::List({out, out})},
                                      {{"mask", Value::None()}});
    EXPECT_EQ(with_none.keras_mask() != nullptr, profile == Profile::kKeras3);
  }
}

// Dense, LayerNormalization and Dropout pass the mask through; Keras 3's
// Dropout returns the very input when it drops nothing.
TEST(KerasMaskTest, SingleInputLayersPassTheMask) {
  for (Profile profile : kProfiles) {
    RunContext ctx;
    ctx.profile = profile;
    const Tensor qm = SequenceMask({3, 1}, 4);
    const Value out = MaskedAttentionOutput(ctx, Ramp({2, 4, 8}), qm);
    for (const char* cls : {"Dense", "LayerNormalization", "Dropout"}) {
      ValueList ctor;
      if (std::string_view(cls) == "Dense") ctor.push_back(Value::Int(4));
      if (std::string_view(cls) == "Dropout") ctor.push_back(Value::Float(0.5));
      auto layer = MakeLayer(ctx, cls, ctor);
      const Value y = CallLayer(ctx, *layer, {out});
      ASSERT_NE(y.keras_mask(), nullptr) << cls;
      EXPECT_EQ(Bools(*y.keras_mask()), Bools(qm)) << cls;
    }
  }
}

// Add: Keras 3 ORs the masks only when every input has one; tf_keras ANDs
// those given. Concatenate joins them like the inputs.
TEST(KerasMaskTest, MergeLayers) {
  for (Profile profile : kProfiles) {
    RunContext ctx;
    ctx.profile = profile;
    const bool k3 = profile == Profile::kKeras3;
    const Tensor x = Ramp({2, 4, 8});
    const Value a = MaskedAttentionOutput(ctx, x, SequenceMask({3, 1}, 4));
    const Value b = MaskedAttentionOutput(ctx, x, SequenceMask({1, 2}, 4));
    auto add = MakeLayer(ctx, "Add");
    const Value both = CallLayer(ctx, *add, {Value::List({a, b})});
    ASSERT_NE(both.keras_mask(), nullptr);
    EXPECT_EQ(Bools(*both.keras_mask()),
              Bools(SequenceMask(
                  k3 ? std::vector<int>{3, 2} : std::vector<int>{1, 1}, 4)));
    const Value one = CallLayer(ctx, *add, {Value::List({a, T(x)})});
    EXPECT_EQ(one.keras_mask() != nullptr, !k3);

    // Keras 3 broadcasts a mask to its input and gives the unmasked input
    // ones; tf_keras only expands the mask (so axis=1 would not fit).
    auto cat =
        MakeLayer(ctx, "Concatenate", {}, {{"axis", Value::Int(k3 ? 1 : -1)}});
    const Value joined = CallLayer(ctx, *cat, {Value::List({a, T(x)})});
    ASSERT_NE(joined.keras_mask(), nullptr);
    if (k3) {
      EXPECT_EQ(Bools(*joined.keras_mask()),
                (std::vector<uint8_t>{1, 1, 1, 0, 1, 1, 1, 1,  //
                                      1, 0, 0, 0, 1, 1, 1, 1}));
    } else {
      EXPECT_EQ(Bools(*joined.keras_mask()), Bools(SequenceMask({3, 1}, 4)));
    }
  }
}

// MultiHeadAttention: the output carries the query's mask, returned scores
// the Softmax sublayer's; Keras 3 deletes the inputs' masks, tf_keras keeps
// them.
TEST(KerasMaskTest, MultiHeadAttention) {
  for (Profile profile : kProfiles) {
    RunContext ctx;
    ctx.profile = profile;
    const Tensor x = Ramp({2, 4, 8});
    const Tensor qm = SequenceMask({3, 1}, 4);
    const Value q = MaskedAttentionOutput(ctx, x, qm);
    auto mha =
        MakeLayer(ctx, "MultiHeadAttention", {Value::Int(2), Value::Int(4)});
    const Value r = CallLayer(ctx, *mha, {q, T(x)},
                              {{"return_attention_scores", Value::Bool(true)}});
    const Value& output = r.items()[0];
    const Value& scores = r.items()[1];
    ASSERT_NE(output.keras_mask(), nullptr);
    EXPECT_EQ(Bools(*output.keras_mask()), Bools(qm));
    ASSERT_NE(scores.keras_mask(), nullptr);
    EXPECT_EQ(scores.keras_mask()->shape(), (Shape{2, 1, 4, 1}));
    // A fully masked query row: zeros after Keras 3's masked softmax,
    // uniform after tf_keras' -1e9 bias.
    if (profile == Profile::kKeras3) {
      EXPECT_EQ(At(scores.as_tensor(), 3 * 4), 0.0f);
      EXPECT_TRUE(q.has_keras_mask_attribute());
      EXPECT_EQ(q.keras_mask(), nullptr);
    } else {
      EXPECT_NEAR(At(scores.as_tensor(), 3 * 4), 0.25f, 1e-6);
      EXPECT_NE(q.keras_mask(), nullptr);
    }
  }
}

// MeanSquaredError averages over the entries y_pred's mask keeps.
TEST(KerasMaskTest, LossUsesThePredictionMask) {
  for (Profile profile : kProfiles) {
    RunContext ctx;
    ctx.profile = profile;
    Value pred = T(Ones({2, 4, 8}));
    pred.SetKerasMask(SequenceMask({1, 1}, 4));
    auto loss = CreateLoss("MeanSquaredError", ctx, CallArgs{});
    // Squared error 1 on the kept entries, 0 elsewhere: the mean of the
    // kept ones is 1, where the plain mean is 1/4.
    Tensor target = Ones({2, 4, 8});
    for (int64_t i = 0; i < target.num_elements(); ++i) {
      target.f32()[i] = (i / 8) % 4 == 0 ? 0.0f : 1.0f;
    }
    const Tensor l = CallLayer(ctx, *loss, {T(target), pred}).as_tensor();
    EXPECT_NEAR(At(l, 0), 1.0f, 1e-6) << static_cast<int>(profile);
  }
}

}  // namespace
}  // namespace ap::keras
