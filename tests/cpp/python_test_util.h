// Helpers shared by the interpreter suites: run a program with plain values.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "core/run/run.h"

namespace ap::py::testing {

inline RunResult RunSrc(const std::string& src, const RunLimits& limits = {}) {
  RunContext ctx;
  return RunProgram(src, ctx, limits);
}

// A run under another profile (Profile::kTfKeras: tf.keras is tf-keras 2).
inline RunResult RunInProfile(const std::string& src, Profile profile) {
  RunContext ctx;
  ctx.profile = profile;
  return RunProgram(src, ctx, {});
}

// The program's stdout; the program must succeed.
inline std::string Out(const std::string& src) {
  RunResult r = RunSrc(src);
  EXPECT_TRUE(r.ok) << src << "\n-> " << r.error->python_class << ": "
                    << r.error->error.Message();
  return r.stdout_text;
}

// The uncaught error; the program must fail.
inline RunError Err(const std::string& src, const RunLimits& limits = {}) {
  RunResult r = RunSrc(src, limits);
  EXPECT_FALSE(r.ok) << src;
  return r.error.value_or(RunError{});
}

}  // namespace ap::py::testing
