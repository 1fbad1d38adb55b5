#include "random.h"

#include <cmath>

namespace ap {

namespace {
uint64_t SplitMix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
uint32_t Rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
}  // namespace

void Random::Seed(uint64_t seed) {
  uint64_t x = seed;
  const uint64_t a = SplitMix64(x);
  const uint64_t b = SplitMix64(x);
  s_[0] = static_cast<uint32_t>(a);
  s_[1] = static_cast<uint32_t>(a >> 32);
  s_[2] = static_cast<uint32_t>(b);
  s_[3] = static_cast<uint32_t>(b >> 32);
  has_spare_ = false;
}

uint32_t Random::NextU32() {
  const uint32_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint32_t t = s_[1] << 9;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 11);
  return result;
}

float Random::UniformFloat() {
  return static_cast<float>(NextU32() >> 8) * (1.0f / 16777216.0f);
}

float Random::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  // u1 in (0, 1] so the log is finite.
  const double u1 = 1.0 - static_cast<double>(NextU32() >> 8) / 16777216.0;
  const double u2 = static_cast<double>(NextU32() >> 8) / 16777216.0;
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double theta = 6.283185307179586 * u2;
  spare_ = static_cast<float>(r * std::sin(theta));
  has_spare_ = true;
  return static_cast<float>(r * std::cos(theta));
}

}  // namespace ap
