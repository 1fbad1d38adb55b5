// Four-lane float vectors for the kernels, written with the GNU vector
// extension (GCC and clang). One source compiles to WASM SIMD128 when the
// build passes -msimd128 and to SSE/AVX natively, so the WASM engine and
// the native build run the same arithmetic in the same order (the
// WASM-vs-native parity test relies on it). Internal to cpp/core/kernels.
#pragma once

#include <cstdint>
#include <cstring>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>  // the compiler's header (clang), not Emscripten's
#endif

namespace ap::kernels::simd {

typedef float F4 __attribute__((vector_size(16)));
typedef int32_t I4 __attribute__((vector_size(16)));

inline F4 Load(const float* p) {
  F4 v;
  std::memcpy(&v, p, sizeof v);  // unaligned load (v128.load / movups)
  return v;
}
inline void Store(float* p, F4 v) { std::memcpy(p, &v, sizeof v); }
inline F4 Splat(float x) { return F4{x, x, x, x}; }
inline I4 Bits(F4 v) {
  I4 i;
  std::memcpy(&i, &v, sizeof i);
  return i;
}
inline F4 FromBits(I4 i) {
  F4 v;
  std::memcpy(&v, &i, sizeof v);
  return v;
}
// mask ? a : b, lane by lane (mask lanes are all ones or all zeros).
inline F4 Select(I4 mask, F4 a, F4 b) {
  return FromBits((mask & Bits(a)) | (~mask & Bits(b)));
}
// m < x ? x : m, lane by lane: a NaN x never replaces m (a NaN m stays).
// One f32x4.pmax in WASM; natively the same selection.
inline F4 MaxIfGreater(F4 m, F4 x) {
#ifdef __wasm_simd128__
  return reinterpret_cast<F4>(wasm_f32x4_pmax(reinterpret_cast<v128_t>(m),
                                              reinterpret_cast<v128_t>(x)));
#else
  return Select(m < x, x, m);
#endif
}
// Lanes summed in a fixed order: (l0 + l1) + (l2 + l3).
inline float SumLanes(F4 v) { return (v[0] + v[1]) + (v[2] + v[3]); }

}  // namespace ap::kernels::simd
