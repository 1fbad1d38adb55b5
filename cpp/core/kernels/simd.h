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
// The max of two running-max vectors' lanes, as a NaN-skipping scalar max
// from -inf: lanes of the merged vector in order (the row max of SoftmaxRows
// and of the tiny-head-dim scores, which must agree bit for bit).
inline float MaxLanes(F4 m0, F4 m1) {
  m0 = MaxIfGreater(m0, m1);
  float mx = -__builtin_huge_valf();
  for (int l = 0; l < 4; ++l) mx = m0[l] > mx ? m0[l] : mx;
  return mx;
}
// Transposes the 4 x 4 block whose rows are r0..r3 (row i becomes column i).
// __builtin_shufflevector: clang, and GCC since 12.
inline void Transpose4(F4& r0, F4& r1, F4& r2, F4& r3) {
  const F4 t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5);  // a0 b0 a1 b1
  const F4 t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);  // a2 b2 a3 b3
  const F4 t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5);  // c0 d0 c1 d1
  const F4 t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);  // c2 d2 c3 d3
  r0 = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
  r1 = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
  r2 = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
  r3 = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
}
// Lanes summed in a fixed order: (l0 + l1) + (l2 + l3).
inline float SumLanes(F4 v) { return (v[0] + v[1]) + (v[2] + v[3]); }

}  // namespace ap::kernels::simd
