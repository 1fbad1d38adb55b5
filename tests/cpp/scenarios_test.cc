// The article scenarios and the gallery (web/scenarios/index.json): each
// program gives the verdict pinned in the manifest, and each one-click fix
// turns it into a program that runs.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/api.h"

namespace ap {
namespace {

using nlohmann::json;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const std::string kDir = std::string(AP_SOURCE_DIR) + "/web/scenarios/";

std::vector<json> Scenarios() {
  return json::parse(ReadFile(kDir + "index.json"))["scenarios"]
      .get<std::vector<json>>();
}

json RunCase(const std::string& code) {
  return json::parse(RunProgramToJson(code, RunOptions{}));
}

class ScenarioTest : public ::testing::TestWithParam<json> {};

// The verdict shown for the scenario is what real Keras does.
TEST_P(ScenarioTest, VerdictMatchesManifest) {
  const json& s = GetParam();
  const std::string code = ReadFile(kDir + s["file"].get<std::string>());
  ASSERT_FALSE(code.empty());
  const json got = RunCase(code);
  const json& verdict = s["keras_verdict"];
  ASSERT_EQ(got["ok"].get<bool>(), verdict["ok"].get<bool>())
      << got["error"].dump();
  if (!verdict["ok"].get<bool>()) {
    EXPECT_EQ(got["error"]["type"], verdict["error_type"]);
    EXPECT_EQ(got["error"]["line"], verdict["error_line"]);
    EXPECT_NE(got["error"]["message"].get<std::string>().find(
                  verdict["message_contains"].get<std::string>()),
              std::string::npos)
        << got["error"]["message"];
  }
}

// Every one-click fix edits the code into a program that runs.
TEST_P(ScenarioTest, FixesRun) {
  const json& s = GetParam();
  const std::string code = ReadFile(kDir + s["file"].get<std::string>());
  for (const json& fix : s["fixes"]) {
    const std::string find = fix["find"].get<std::string>();
    std::string fixed = code;
    const size_t at = fixed.find(find);
    ASSERT_NE(at, std::string::npos) << find;
    fixed.replace(at, find.size(), fix["replace"].get<std::string>());
    const json got = RunCase(fixed);
    EXPECT_EQ(got["ok"].get<bool>(), fix["expect_ok"].get<bool>())
        << fix["label"] << ": " << got["error"].dump();
  }
}

INSTANTIATE_TEST_SUITE_P(All, ScenarioTest, ::testing::ValuesIn(Scenarios()),
                         [](const ::testing::TestParamInfo<json>& info) {
                           std::string id = info.param["id"].get<std::string>();
                           for (char& c : id) {
                             if (c == '-') c = '_';
                           }
                           return id;
                         });

}  // namespace
}  // namespace ap
