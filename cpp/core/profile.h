// The framework versions each profile imitates. The test-only oracle
// (tests/oracle) runs exactly these and checks that they are what the run
// document names.
#pragma once

#include "error.h"

namespace ap {

struct FrameworkVersions {
  const char* tensorflow;     // "2.21"
  const char* keras;          // the Keras that tf.keras is: "3.15" / "2.21"
  const char* keras_package;  // its PyPI name: "keras" / "tf-keras"
};

constexpr FrameworkVersions ProfileFrameworks(Profile profile) {
  return profile == Profile::kTfKeras
             ? FrameworkVersions{"2.21", "2.21", "tf-keras"}
             : FrameworkVersions{"2.21", "3.15", "keras"};
}

}  // namespace ap
