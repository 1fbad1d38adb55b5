// Table-driven fidelity checks: a program, and what real Keras 3.16 on
// TensorFlow 2.16+ does with it, written as a small JSON verdict:
//   {"ok": bool,
//    "error": ["InvalidArgumentError", line] | null,
//    "message_starts": str,              // optional prefix of str(e)
//    "vars": {name: {"shape": [...], "dtype": str, "values": [...]}
//                 | {"python": value}},  // only the fields given are checked
//    "absent": [name, ...],              // unbound when the program stopped
//    "stdout": str,                      // optional
//    "caught": [["ValueError", line], ...]}  // optional
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/api.h"

namespace ap::fidelity {

struct Case {
  const char* name;
  const char* code;
  const char* verdict;
};

inline std::ostream& operator<<(std::ostream& os, const Case& c) {
  return os << c.name;
}

inline void CheckCase(const Case& c) {
  using nlohmann::json;
  const json want = json::parse(c.verdict);
  const json got = json::parse(RunProgramToJson(c.code, RunOptions{}));
  SCOPED_TRACE(got.dump(1).substr(0, 4000));
  EXPECT_EQ(got["ok"], want["ok"]);
  if (want.contains("error")) {
    if (want["error"].is_null()) {
      EXPECT_TRUE(got["error"].is_null());
    } else {
      ASSERT_FALSE(got["error"].is_null());
      EXPECT_EQ(got["error"]["type"], want["error"][0]);
      EXPECT_EQ(got["error"]["line"], want["error"][1]);
    }
  }
  if (want.contains("message_starts")) {
    ASSERT_FALSE(got["error"].is_null());
    const std::string m = got["error"]["plain_message"].get<std::string>();
    EXPECT_EQ(m.rfind(want["message_starts"].get<std::string>(), 0), 0u) << m;
  }
  if (want.contains("vars")) {
    for (const auto& [n, w] : want["vars"].items()) {
      ASSERT_TRUE(got["variables"].contains(n)) << n;
      const json& h = got["variables"][n];
      if (w.contains("python")) {
        EXPECT_EQ(h["value"], w["python"]) << n;
        continue;
      }
      EXPECT_EQ(h["kind"], "tensor") << n;
      if (w.contains("shape")) EXPECT_EQ(h["shape"], w["shape"]) << n;
      if (w.contains("dtype")) EXPECT_EQ(h["dtype"], w["dtype"]) << n;
      if (w.contains("values")) {
        const json& values = w["values"];
        ASSERT_GE(h["values"].size(), values.size()) << n;
        for (size_t i = 0; i < values.size(); ++i) {
          if (values[i].is_boolean()) {
            const json& v = h["values"][i];
            EXPECT_EQ(v.is_boolean() ? v.get<bool>() : v.get<double>() != 0,
                      values[i].get<bool>())
                << n << "[" << i << "]";
          } else {
            EXPECT_NEAR(h["values"][i].get<double>(), values[i].get<double>(),
                        1e-4)
                << n << "[" << i << "]";
          }
        }
      }
    }
  }
  if (want.contains("absent")) {
    for (const auto& n : want["absent"]) {
      EXPECT_FALSE(got["variables"].contains(n.get<std::string>())) << n;
    }
  }
  if (want.contains("stdout")) EXPECT_EQ(got["stdout"], want["stdout"]);
  if (want.contains("caught")) {
    ASSERT_EQ(got["caught"].size(), want["caught"].size());
    for (size_t i = 0; i < want["caught"].size(); ++i) {
      EXPECT_EQ(got["caught"][i]["type"], want["caught"][i][0]);
      EXPECT_EQ(got["caught"][i]["line"], want["caught"][i][1]);
    }
  }
}

}  // namespace ap::fidelity
