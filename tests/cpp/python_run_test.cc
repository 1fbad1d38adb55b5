#include <gtest/gtest.h>

#include <string>

#include "core/callable.h"
#include "core/run/run.h"
#include "python_test_util.h"

namespace ap::py {
namespace {

using testing::Err;
using testing::RunSrc;

// Records the CallArgs it receives and emits one CallEvent per call.
class Probe : public Callable {
 public:
  std::string TypeName() const override { return "function"; }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    last = args;
    CallEvent e;
    e.kind = "op";
    e.callee = "probe";
    ctx.Emit(e);
    return Value::Int(static_cast<int64_t>(args.positional.size()));
  }
  CallArgs last;
};

// One step per executed statement; loop bodies repeat; names bound per step.
TEST(InterpRunTest, StepsAndBindings) {
  RunResult r = RunSrc("a = 1\nfor i in range(2):\n    b = i * 2\nprint(a)\n");
  ASSERT_TRUE(r.ok);
  // a=1; for header; (iteration, body) x2; print
  ASSERT_EQ(r.steps.size(), 7u);
  EXPECT_EQ(r.steps[0].line, 1);
  EXPECT_EQ(r.steps[0].bound[0].first, "a");
  EXPECT_EQ(r.steps[2].bound[0].first, "i");
  EXPECT_EQ(r.steps[3].line, 3);
  EXPECT_EQ(r.steps[5].bound[0].second.as_int(), 2);
  EXPECT_EQ(r.steps[6].stdout_text, "1\n");
  EXPECT_EQ(r.stdout_text, "1\n");
}

// Globals in binding order; a failed program keeps what was bound before
// the failing statement and not what the failing line would have bound.
TEST(InterpRunTest, GlobalsOnFailure) {
  RunResult r = RunSrc("z = 0\na = 1\nz = 5\nb = [][0]\nc = 3\n");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error->line, 4);
  ASSERT_EQ(r.globals.size(), 2u);
  EXPECT_EQ(r.globals[0].first, "z");
  EXPECT_EQ(r.globals[0].second.as_int(), 5);
  EXPECT_EQ(r.globals[1].first, "a");
  ASSERT_TRUE(r.steps.back().error.has_value());
  EXPECT_FALSE(r.steps.back().error_caught);
}

// Errors carry the line and column of the raising expression.
TEST(InterpRunTest, ErrorPosition) {
  const RunError e = Err("x = 1\ny = (2 +\n     x['k'])\n");
  EXPECT_EQ(e.python_class, "TypeError");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.column, 6);
}

// Call arguments carry their source text, and list literals their items'.
TEST(InterpRunTest, ArgumentSources) {
  auto probe = std::make_shared<Probe>();
  RunContext ctx;
  RunResult r = RunProgram(
      "q = k = v = 0\nout = probe([q, k, v], mask=[None,  k], x=q)\n", ctx, {},
      {{"probe", Value::FromObject(probe)}});
  ASSERT_TRUE(r.ok);
  const CallArgs& a = probe->last;
  EXPECT_EQ(a.positional_sources, (std::vector<std::string>{"[q, k, v]"}));
  EXPECT_EQ(a.positional_item_sources[0],
            (std::vector<std::string>{"q", "k", "v"}));
  EXPECT_EQ(a.keywords[0].first, "mask");
  EXPECT_EQ(a.keyword_sources, (std::vector<std::string>{"[None,  k]", "q"}));
  EXPECT_EQ(a.keyword_item_sources[0], (std::vector<std::string>{"None", "k"}));
  EXPECT_TRUE(a.keyword_item_sources[1].empty());
  // The CallEvent lands in the step of the statement that made the call.
  ASSERT_EQ(r.steps.size(), 2u);
  ASSERT_EQ(r.steps[1].calls.size(), 1u);
  EXPECT_EQ(r.steps[1].calls[0].callee, "probe");
  EXPECT_EQ(ctx.trace, nullptr);  // the sink is removed after the run
}

// An infinite loop stops at the step budget with a LimitError.
TEST(InterpRunTest, StepLimit) {
  RunLimits limits;
  limits.max_steps = 1000;
  const RunError e = Err("i = 0\nwhile True:\n    i += 1\n", limits);
  EXPECT_EQ(e.python_class, "LimitError");
  EXPECT_NE(e.error.Message().find("step limit exceeded"), std::string::npos);
  EXPECT_NE(e.error.Message().find("1000"), std::string::npos);
}

// The recorded trace is capped and flagged as truncated.
TEST(InterpRunTest, TraceTruncated) {
  RunLimits limits;
  limits.max_recorded_steps = 10;
  RunContext ctx;
  RunResult r = RunProgram("for i in range(100):\n    pass\n", ctx, limits);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.steps.size(), 10u);
  EXPECT_TRUE(r.truncated);
}

// Huge sequences, long programs, deep values and big outputs fail cleanly.
TEST(InterpRunTest, SizeLimits) {
  EXPECT_EQ(Err("a = [0] * 10**9\n").python_class, "LimitError");
  EXPECT_EQ(Err("s = 'x' * 10**9\n").python_class, "LimitError");
  EXPECT_EQ(Err("a = list(range(10**9))\n").python_class, "LimitError");
  EXPECT_EQ(Err("a = []\nfor i in range(100000):\n    a = [a]\n").python_class,
            "LimitError");
  EXPECT_EQ(Err("s = 'x' * 100000\nwhile True:\n    print(s)\n").python_class,
            "LimitError");
  RunLimits limits;
  limits.max_source_bytes = 100;
  EXPECT_EQ(Err(std::string(200, '#'), limits).python_class, "LimitError");
  // range() is lazy: a huge range costs nothing until iterated.
  EXPECT_TRUE(RunSrc("r = range(10**12)\nprint(len(r), r[-1], 5 in r)\n").ok);
}

// Deep expression chains and deep recursion are bounded.
TEST(InterpRunTest, DeepEvaluation) {
  std::string chain = "x = 1";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  EXPECT_EQ(Err(chain + "\n").python_class, "LimitError");
  std::string calls = "x = f";
  for (int i = 0; i < 5000; ++i) calls += "()";
  EXPECT_EQ(Err(calls + "\n").python_class, "LimitError");
}

// Syntax errors come back as the run's error with position; empty input runs.
TEST(InterpRunTest, SyntaxErrorResult) {
  RunResult r = RunSrc("x = 1\ny = (\n");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error->python_class, "SyntaxError");
  EXPECT_EQ(r.error->line, 2);
  EXPECT_EQ(r.error->column, 5);
  EXPECT_TRUE(r.steps.empty());
  EXPECT_TRUE(RunSrc("").ok);
  EXPECT_FALSE(RunSrc(std::string("\0\x01\xff", 3)).ok);
}

// A caught error is recorded on its step and flagged as caught.
TEST(InterpRunTest, CaughtStepsAreFlagged) {
  RunResult r =
      RunSrc("try:\n    x = 1 / 0\nexcept ZeroDivisionError:\n    x = 0\n");
  ASSERT_TRUE(r.ok);
  ASSERT_GE(r.steps.size(), 2u);
  EXPECT_TRUE(r.steps[0].error.has_value());
  EXPECT_TRUE(r.steps[0].error_caught);
  EXPECT_EQ(r.caught.size(), 1u);
}

// TensorShape values behave like tuples of ints.
TEST(InterpRunTest, ShapeValues) {
  RunContext ctx;
  RunResult r = RunProgram(
      "print(s, len(s), s[1], s[1:], s[-1] * 2, s == (1, 32, 2), s.as_list(), "
      "s.rank)\n"
      "for d in s:\n    print(d, end=' ')\n"
      "a, b, c = s\nprint(f'{s}', a + b + c, list(s), s[1:] == [32, 2])\n",
      ctx, {}, {{"s", Value::FromShape({1, 32, 2})}});
  ASSERT_TRUE(r.ok) << r.error->error.Message();
  EXPECT_EQ(r.stdout_text,
            "(1, 32, 2) 3 32 (32, 2) 4 True [1, 32, 2] 3\n1 32 2 (1, 32, 2) 35 "
            "[1, 32, 2] True\n");
}

}  // namespace
}  // namespace ap::py
