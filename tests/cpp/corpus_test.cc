// Every program of tests/corpus/*.json against the verdicts real TensorFlow
// 2.21 + Keras 3.15 / tf-keras 2.21 gave for it, recorded by
// `bash scripts/oracle.sh --record` (never written by hand), in both
// profiles, through the same entry point as attn-run and the WASM binding.
// This checks the verdict (ok, error class and line, caught errors) and the
// shape and dtype of every tensor bound at the end, in-process, so the
// sanitizer build runs it too; messages, values and stdout are compared by
// the oracle's own comparator (ctest `oracle_recorded`).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/api.h"

namespace ap {
namespace {

using nlohmann::json;

struct CorpusCase {
  std::string id;
  std::string code;
  std::string profile;
  json verdict;
};

std::vector<CorpusCase> LoadCorpus() {
  std::vector<CorpusCase> out;
  const std::filesystem::path dir =
      std::filesystem::path(AP_SOURCE_DIR) / "tests" / "corpus";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    for (const json& c : json::parse(buffer.str())) {
      if (!c.contains("verdicts")) continue;
      for (const auto& [profile, verdict] : c["verdicts"].items()) {
        out.push_back({c["id"].get<std::string>(), c["code"].get<std::string>(),
                       profile, verdict});
      }
    }
  }
  return out;
}

void PrintTo(const CorpusCase& c, std::ostream* os) {
  *os << c.id << " [" << c.profile << "]";
}

// An engine refusal (a construct it does not model, or a playground limit)
// is honest, not a wrong verdict; the oracle lists those separately.
bool Refused(const json& doc) {
  if (doc["error"].is_null()) return false;
  const std::string type = doc["error"]["type"].get<std::string>();
  return type == "NotSupportedError" || type == "LimitError";
}

class CorpusTest : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(CorpusTest, VerdictAndShapesAgreeWithRealKeras) {
  const CorpusCase& c = GetParam();
  RunOptions options;
  options.profile =
      c.profile == "tf_keras" ? Profile::kTfKeras : Profile::kKeras3;
  const json got = json::parse(RunProgramToJson(c.code, options));
  SCOPED_TRACE(got.dump(1).substr(0, 3000));
  if (Refused(got) || c.verdict.contains("timeout")) {
    GTEST_SKIP() << "refused by the engine: " << got["error"]["message"];
  }
  const json& want = c.verdict;
  ASSERT_EQ(got["ok"], want["ok"]);
  if (!want["error"].is_null()) {
    ASSERT_FALSE(got["error"].is_null());
    EXPECT_EQ(got["error"]["type"], want["error"]["type"]);
    EXPECT_EQ(got["error"]["line"], want["error"]["line"]);
  }
  ASSERT_EQ(got["caught"].size(), want["caught"].size());
  for (size_t i = 0; i < want["caught"].size(); ++i) {
    EXPECT_EQ(got["caught"][i]["type"], want["caught"][i]["type"]);
    EXPECT_EQ(got["caught"][i]["line"], want["caught"][i]["line"]);
  }
  for (const auto& [name, value] : want["variables"].items()) {
    if (value["kind"] != "tensor") continue;
    ASSERT_TRUE(got["variables"].contains(name)) << name;
    const json& have = got["variables"][name];
    EXPECT_EQ(have["kind"], "tensor") << name;
    EXPECT_EQ(have["shape"], value["shape"]) << name;
    EXPECT_EQ(have["dtype"], value["dtype"]) << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Recorded, CorpusTest,
                         ::testing::ValuesIn(LoadCorpus()),
                         [](const ::testing::TestParamInfo<CorpusCase>& info) {
                           std::string name =
                               info.param.id + "_" + info.param.profile;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch)))
                               ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace ap
