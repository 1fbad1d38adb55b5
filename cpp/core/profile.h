// Which framework a run imitates, and the versions each profile names. The
// test-only oracle (tests/oracle) runs exactly these and checks that they are
// what the run document names.
#pragma once

#include <optional>
#include <string_view>

namespace ap {

// Which Keras the messages imitate. keras3 = Keras 3.15 on TF 2.21 (default);
// tf_keras = tf-keras 2.21 (Keras 2 texts where they differ, spec
// §0/§1.3/§1.8).
enum class Profile { kKeras3, kTfKeras };

constexpr std::string_view ProfileName(Profile profile) {
  return profile == Profile::kTfKeras ? "tf_keras" : "keras3";
}

constexpr std::optional<Profile> ParseProfile(std::string_view name) {
  if (name == "keras3") return Profile::kKeras3;
  if (name == "tf_keras") return Profile::kTfKeras;
  return std::nullopt;
}

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
