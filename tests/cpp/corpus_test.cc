// Every case of the public corpus (verdicts recorded from real Keras 3.16)
// run through the same entry point as attn-run and the WASM binding, and
// compared field by field: ok, error class and line, observed variables
// (shape, dtype, values within 1e-4), stdout, and caught errors.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/api.h"

namespace ap {
namespace {

using nlohmann::json;

json LoadCorpus() {
  std::ifstream in(std::string(AP_SOURCE_DIR) + "/tests/corpus/public.json");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return json::parse(buffer.str());
}

json RunCase(const std::string& code) {
  return json::parse(RunProgramToJson(code, RunOptions{}));
}

class CorpusTest : public ::testing::TestWithParam<json> {};

// The program's verdict, bindings and output agree with real Keras.
TEST_P(CorpusTest, AgreesWithRealKeras) {
  const json& c = GetParam();
  const json got = RunCase(c["code"].get<std::string>());
  SCOPED_TRACE(got.dump(1).substr(0, 3000));

  EXPECT_EQ(got["ok"].get<bool>(), c["ok"].get<bool>());
  if (!c["error"].is_null()) {
    ASSERT_FALSE(got["error"].is_null());
    EXPECT_EQ(got["error"]["type"], c["error"]["tf_class"]);
    EXPECT_EQ(got["error"]["line"], c["error"]["line"]);
    if (!c["error"]["keras_message"].is_null()) {
      // Keras' own text (or its wrapper's first line) starts the message.
      const std::string message = got["error"]["message"].get<std::string>();
      EXPECT_EQ(
          message.rfind(c["error"]["keras_message"].get<std::string>(), 0), 0u)
          << message;
    }
  } else {
    EXPECT_TRUE(got["error"].is_null());
  }

  for (const auto& name : c["observe"]) {
    const std::string n = name.get<std::string>();
    const bool expected_bound = c["variables"].contains(n);
    ASSERT_EQ(got["variables"].contains(n), expected_bound) << n;
    if (!expected_bound) continue;
    const json& want = c["variables"][n];
    const json& have = got["variables"][n];
    if (want.contains("python")) {
      EXPECT_EQ(have["value"], want["python"]) << n;
      continue;
    }
    EXPECT_EQ(have["kind"], "tensor") << n;
    EXPECT_EQ(have["shape"], want["shape"]) << n;
    EXPECT_EQ(have["dtype"], want["dtype"]) << n;
    if (!want["values"].is_null()) {
      const json& values = want["values"];
      ASSERT_GE(have["values"].size(), values.size()) << n;
      for (size_t i = 0; i < values.size(); ++i) {
        if (values[i].is_boolean()) {
          EXPECT_EQ(have["values"][i].get<double>() != 0,
                    values[i].get<bool>());
        } else {
          EXPECT_NEAR(have["values"][i].get<double>(), values[i].get<double>(),
                      1e-4)
              << n << "[" << i << "]";
        }
      }
    }
  }

  EXPECT_EQ(got["stdout"], c["stdout"]);
  ASSERT_EQ(got["caught"].size(), c["caught"].size());
  for (size_t i = 0; i < c["caught"].size(); ++i) {
    EXPECT_EQ(got["caught"][i]["type"], c["caught"][i]["tf_class"]);
    EXPECT_EQ(got["caught"][i]["line"], c["caught"][i]["line"]);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Public, CorpusTest,
    ::testing::ValuesIn(LoadCorpus().get<std::vector<json>>()),
    [](const ::testing::TestParamInfo<json>& info) {
      return info.param["id"].get<std::string>();
    });

}  // namespace
}  // namespace ap
