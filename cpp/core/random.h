// Deterministic, seedable random numbers for tf.random.* and weight
// initialisers. The values are NOT TensorFlow's (TF uses Philox with its own
// seeding); shapes and dtypes are what matter, and the UI says so. The
// generator is xoshiro128** seeded through splitmix64, so a seed gives the
// same numbers on every platform (native and WASM).
#pragma once

#include <cstdint>

namespace ap {

class Random {
 public:
  explicit Random(uint64_t seed = 0) { Seed(seed); }
  void Seed(uint64_t seed);

  uint32_t NextU32();
  // Uniform in [0, 1) with 24 random bits (exactly representable in float).
  float UniformFloat();
  // Standard normal via Box-Muller on two uniforms.
  float Normal();

 private:
  uint32_t s_[4];
  bool has_spare_ = false;
  float spare_ = 0;
};

}  // namespace ap
