// Eviction under memory pressure: the run's trace gives the storage of
// tensors only it still holds back to the program (run/trace_store.h), so
// a loop over large temporaries runs as in TensorFlow, while a program that
// itself holds more than the live budget still fails with the same OOM. The
// document summarises a released tensor exactly as before, without an id.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/api.h"
#include "core/error.h"
#include "core/tensor.h"

namespace ap {
namespace {

using nlohmann::json;

std::string LoopProgram(int iterations) {
  return "import tensorflow as tf\n"
         "x = tf.random.normal((1200, 1200))\n"
         "for i in range(" +
         std::to_string(iterations) +
         "):\n"
         "    y = x + x * 2.0 - 1.0\n"
         "    m = tf.where(y > 0, y, tf.zeros_like(y))\n"
         "    print(i)\n";
}

std::string Counting(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += std::to_string(i) + "\n";
  return out;
}

json RunDoc(const std::string& src, const RunOptions& options = {}) {
  return json::parse(RunProgramToJson(src, options));
}

// Every tensor summary of the document, in document order: step bindings,
// then each call's intermediates and outputs.
std::vector<json> TraceTensors(const json& doc) {
  std::vector<json> out;
  for (const json& step : doc.at("steps")) {
    for (const json& b : step.at("bindings")) {
      if (b.at("value").at("kind") == "tensor") out.push_back(b.at("value"));
    }
    for (const json& call : step.at("calls")) {
      for (const char* list : {"intermediates", "outputs"}) {
        for (const json& t : call.at(list)) out.push_back(t);
      }
    }
  }
  return out;
}

// The binding `name` of the last step that binds it.
json LastBinding(const json& doc, const std::string& name) {
  json found;
  for (const json& step : doc.at("steps")) {
    for (const json& b : step.at("bindings")) {
      if (b.at("name") == name) found = b.at("value");
    }
  }
  return found;
}

// Frees its one tensor when asked, like the trace does.
class HoldingReclaimer : public MemoryReclaimer {
 public:
  void Reclaim(const MemoryBudget&, int64_t) override {
    ++calls;
    held = Tensor();
  }
  Tensor held;
  int calls = 0;
};

// The budget asks its reclaimer before failing, and only then: an allocation
// that fits never calls it, one that fits after the reclaim succeeds.
TEST(TraceEvictBudgetTest, ChargeAsksTheReclaimerBeforeFailing) {
  auto budget = std::make_shared<MemoryBudget>(ResourceLimits{1000, 8000});
  BudgetScope scope(budget);
  HoldingReclaimer reclaimer;
  ReclaimerScope reclaim(budget, &reclaimer);
  reclaimer.held = Tensor::Zeros(DType::kFloat32, {1000});  // 4000 bytes
  Tensor a = Tensor::Zeros(DType::kFloat32, {500});         // 2000 bytes
  EXPECT_EQ(reclaimer.calls, 0);
  Tensor b = Tensor::Zeros(DType::kFloat32, {1000});  // needs the held bytes
  EXPECT_EQ(reclaimer.calls, 1);
  EXPECT_FALSE(reclaimer.held.valid());
  EXPECT_EQ(budget->live_bytes(), 6000);
}

// Nothing left to release: the same OOM (kind and note) as without a
// reclaimer.
TEST(TraceEvictBudgetTest, StillOverTheLimitRaisesTheSameOom) {
  auto budget = std::make_shared<MemoryBudget>(ResourceLimits{1000, 8000});
  BudgetScope scope(budget);
  HoldingReclaimer reclaimer;
  ReclaimerScope reclaim(budget, &reclaimer);
  Tensor a = Tensor::Zeros(DType::kFloat32, {1000});
  Tensor b = Tensor::Zeros(DType::kFloat32, {1000});
  try {
    Tensor::Zeros(DType::kFloat32, {10}, "Fill");
    FAIL() << "expected an OOM";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().kind, ErrorKind::kOutOfMemory);
    EXPECT_EQ(e.error().note,
              "the playground allows at most 0 MiB of live tensors in a run; "
              "0 MiB are live and this tensor needs 0 MiB more");
  }
  EXPECT_EQ(reclaimer.calls, 1);
  EXPECT_EQ(budget->live_bytes(), 8000);
}

// The scope removes its reclaimer, so a budget never calls a dead one.
TEST(TraceEvictBudgetTest, ReclaimerScopeRestoresThePrevious) {
  auto budget = std::make_shared<MemoryBudget>();
  HoldingReclaimer outer, inner;
  ReclaimerScope a(budget, &outer);
  {
    ReclaimerScope b(budget, &inner);
    EXPECT_EQ(budget->reclaimer(), &inner);
  }
  EXPECT_EQ(budget->reclaimer(), &outer);
}

// The bug: ten iterations of 5.76 MB temporaries failed at iteration 7 on
// the trace's references alone. Now the loop runs to the end, and 30 too.
TEST(TraceEvictTest, LoopOverLargeTemporariesRuns) {
  for (int iterations : {10, 30}) {
    const json doc = RunDoc(LoopProgram(iterations));
    ASSERT_TRUE(doc.at("ok").get<bool>())
        << iterations << ": " << doc.at("error");
    EXPECT_EQ(doc.at("stdout"), Counting(iterations));
  }
}

// Released tensors are summarised exactly as a kept one would be (shape,
// dtype, first values, min/max/mean: compared with a run whose budget is big
// enough to keep everything), without an id and flagged values_dropped.
TEST(TraceEvictTest, ReleasedTensorsKeepTheirTrueSummary) {
  const std::string src = LoopProgram(10);
  const json doc = RunDoc(src);
  RunOptions roomy;
  roomy.limits.max_total_bytes = int64_t{1} << 30;
  const json reference = RunDoc(src, roomy);
  ASSERT_TRUE(doc.at("ok").get<bool>()) << doc.at("error");
  ASSERT_TRUE(reference.at("ok").get<bool>()) << reference.at("error");

  const std::vector<json> got = TraceTensors(doc);
  const std::vector<json> want = TraceTensors(reference);
  ASSERT_EQ(got.size(), want.size());
  int dropped = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_FALSE(want[i].contains("values_dropped")) << i;
    for (const char* field :
         {"kind", "shape", "dtype", "values", "min", "max", "mean"}) {
      EXPECT_EQ(got[i].at(field), want[i].at(field)) << i << " " << field;
    }
    if (got[i].contains("values_dropped")) {
      ++dropped;
      EXPECT_TRUE(got[i].at("values_dropped").get<bool>());
      EXPECT_FALSE(got[i].contains("id")) << i;
      EXPECT_EQ(got[i].at("values_dropped_reason"),
                "the trace released this tensor to free memory for the "
                "program (live-memory limit 256 MiB)");
    } else {
      EXPECT_TRUE(got[i].at("id").is_number_integer()) << i;
    }
  }
  EXPECT_GT(dropped, 0);
}

// Oldest first: the first iteration's y and m are released, the last
// iteration's keep ids, and x, which the program holds throughout, is never
// released.
TEST(TraceEvictTest, EarlyStepsAreReleasedLatestKeepIds) {
  const json doc = RunDoc(LoopProgram(10));
  ASSERT_TRUE(doc.at("ok").get<bool>()) << doc.at("error");
  const json& steps = doc.at("steps");
  // Steps: 0 import, 1 x, then per iteration: for, y, m, print.
  const json& first_y = steps.at(4).at("bindings").at(0);
  ASSERT_EQ(first_y.at("name"), "y");
  EXPECT_TRUE(first_y.at("value").value("values_dropped", false));
  EXPECT_EQ(first_y.at("value").at("shape"), json({1200, 1200}));
  EXPECT_EQ(first_y.at("value").at("dtype"), "float32");
  const json& first_m = steps.at(5).at("bindings").at(0);
  ASSERT_EQ(first_m.at("name"), "m");
  EXPECT_TRUE(first_m.at("value").value("values_dropped", false));
  // m = where(y > 0, y, 0): never negative.
  EXPECT_EQ(first_m.at("value").at("min"), 0.0);

  const json& x = steps.at(1).at("bindings").at(0);
  ASSERT_EQ(x.at("name"), "x");
  EXPECT_TRUE(x.at("value").at("id").is_number_integer());
  EXPECT_FALSE(x.at("value").contains("values_dropped"));
  for (const char* name : {"y", "m"}) {
    const json last = LastBinding(doc, name);
    EXPECT_TRUE(last.at("id").is_number_integer()) << name;
    EXPECT_FALSE(last.contains("values_dropped")) << name;
  }
  // The variables (the program's own globals) are never released.
  for (const char* name : {"x", "y", "m"}) {
    EXPECT_TRUE(doc.at("variables").at(name).at("id").is_number_integer());
  }
}

// The same program gives the same document, released tensors included.
TEST(TraceEvictTest, DocumentIsDeterministic) {
  const std::string src = LoopProgram(12);
  EXPECT_EQ(RunProgramToJson(src, {}), RunProgramToJson(src, {}));
}

// A program that itself keeps more than the budget alive still gets
// TensorFlow's OOM, with the same note as before the trace could release
// anything: the trace frees its own copies, never the program's tensors.
TEST(TraceEvictTest, ProgramHoldingTooMuchStillRunsOutOfMemory) {
  const json doc = RunDoc(
      "import tensorflow as tf\nxs = []\nfor i in range(60):\n"
      "    xs.append(tf.ones((1200, 1200)))\n");
  ASSERT_FALSE(doc.at("ok").get<bool>());
  const json& e = doc.at("error");
  EXPECT_EQ(e.at("type"), "ResourceExhaustedError");
  EXPECT_EQ(e.at("line"), 4);
  const std::string message = e.at("plain_message");
  EXPECT_NE(message.find("OOM when allocating tensor with shape[1200,1200]"),
            std::string::npos)
      << message;
  // The note the engine gave before the trace could release anything.
  EXPECT_EQ(e.at("note"),
            "the playground allows at most 256 MiB of live tensors in a run; "
            "252 MiB are live and this tensor needs 5 MiB more");
  EXPECT_EQ(doc.at("stdout"), "");
}

// One tensor as large as the whole budget beside a live one fails as before.
TEST(TraceEvictTest, OneHugeTensorStillRunsOutOfMemory) {
  const json doc = RunDoc(
      "import tensorflow as tf\na = tf.ones((4096, 4096))\n"
      "b = tf.ones((8192, 8192))\n");
  ASSERT_FALSE(doc.at("ok").get<bool>());
  const json& e = doc.at("error");
  EXPECT_EQ(e.at("type"), "ResourceExhaustedError");
  EXPECT_EQ(e.at("line"), 3);
  EXPECT_EQ(e.at("note"),
            "the playground allows at most 256 MiB of live tensors in a run; "
            "64 MiB are live and this tensor needs 256 MiB more");
}

// The heatmap's tensor: the attention weights of the last Attention call
// keep their id (and the Session serves their values), while the first
// call's were released to make room for the later calls.
TEST(TraceEvictTest, LastAttentionWeightsKeepTheirId) {
  const std::string src =
      "import tensorflow as tf\nfrom tensorflow.keras import layers\n"
      "q = tf.random.normal((1, 1200, 8))\n"
      "v = tf.random.normal((1, 1200, 8))\n"
      "attn = layers.Attention()\n"
      "for i in range(40):\n"
      "    out = attn([q, v])\n";
  Session session;
  const json doc = json::parse(session.Run(src, {}));
  ASSERT_TRUE(doc.at("ok").get<bool>()) << doc.at("error");
  std::vector<json> weights;  // of every Attention call, in order
  for (const json& step : doc.at("steps")) {
    for (const json& call : step.at("calls")) {
      if (call.at("callee") != "Attention") continue;
      for (const json& t : call.at("intermediates")) {
        if (t.at("label") == "weights") weights.push_back(t);
      }
    }
  }
  ASSERT_EQ(weights.size(), 40u);
  EXPECT_TRUE(weights.front().value("values_dropped", false));
  EXPECT_FALSE(weights.front().contains("id"));
  EXPECT_EQ(weights.front().at("shape"), json({1, 1200, 1200}));
  const json& last = weights.back();
  EXPECT_FALSE(last.contains("values_dropped"));
  ASSERT_TRUE(last.at("id").is_number_integer());
  const int64_t id = last.at("id").get<int64_t>();
  EXPECT_EQ(session.TensorShape(id), (std::vector<int64_t>{1, 1200, 1200}));
  const std::vector<float> values = session.TensorValues(id);
  ASSERT_EQ(values.size(), 1200u * 1200u);
  // Each query row of the softmax weights sums to 1.
  double row = 0;
  for (int j = 0; j < 1200; ++j) row += values[j];
  EXPECT_NEAR(row, 1.0, 1e-4);
}

}  // namespace
}  // namespace ap
