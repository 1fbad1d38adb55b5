// Single-precision GEMM: packed panels and a register-tiled micro-kernel
// (MR rows x 8 columns of 4-lane accumulators), blocked over k and n so the
// packed buffers stay small (at most kKc x kNc floats) and hot in cache.
// Narrow outputs (n < 8, e.g. weights · value with dim 2) take a dot-product
// path vectorised along k instead, which wastes no lanes. See kernels.h.
#include <algorithm>
#include <vector>

#include "kernels.h"
#include "simd.h"

namespace ap::kernels {

namespace {

using simd::F4;

constexpr int kMr = 4;         // rows of a micro-tile
constexpr int kNr = 8;         // columns of a micro-tile (two vectors)
constexpr int64_t kKc = 256;   // k per block: a packed B panel is 8 KiB
constexpr int64_t kNc = 1024;  // columns per packed B block (1 MiB)

// Element (row, col) of op(x) where x is stored row-major with `ld` columns.
inline float At(const float* x, int64_t ld, bool trans, int64_t row,
                int64_t col) {
  return trans ? x[col * ld + row] : x[row * ld + col];
}

// Packs op(b)[p0:p0+kc, j0:j0+nc] as ceil(nc/8) panels of kc x 8, zero
// padded on the right.
void PackB(const float* b, int64_t ldb, bool trans_b, int64_t p0, int64_t kc,
           int64_t j0, int64_t nc, float* dst) {
  for (int64_t jp = 0; jp < nc; jp += kNr) {
    const int64_t w = std::min<int64_t>(kNr, nc - jp);
    float* panel = dst + jp * kc;
    if (!trans_b && w == kNr) {
      for (int64_t p = 0; p < kc; ++p) {
        const float* src = b + (p0 + p) * ldb + j0 + jp;
        simd::Store(panel + p * kNr, simd::Load(src));
        simd::Store(panel + p * kNr + 4, simd::Load(src + 4));
      }
      continue;
    }
    for (int64_t p = 0; p < kc; ++p) {
      for (int64_t j = 0; j < kNr; ++j) {
        panel[p * kNr + j] =
            j < w ? At(b, ldb, trans_b, p0 + p, j0 + jp + j) : 0.0f;
      }
    }
  }
}

// Packs op(a)[i0:i0+mr, p0:p0+kc] interleaved: dst[p * kMr + r].
void PackA(const float* a, int64_t lda, bool trans_a, int64_t i0, int mr,
           int64_t p0, int64_t kc, float* dst) {
  for (int64_t p = 0; p < kc; ++p) {
    for (int r = 0; r < kMr; ++r) {
      dst[p * kMr + r] = r < mr ? At(a, lda, trans_a, i0 + r, p0 + p) : 0.0f;
    }
  }
}

// c[0:MR, 0:w] (+)= ap (kc x kMr interleaved) · bp (kc x 8).
template <int MR>
void MicroKernel(int64_t kc, const float* ap, const float* bp, float* c,
                 int64_t ldc, int w, bool accumulate) {
  F4 acc0[MR], acc1[MR];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) acc0[r] = acc1[r] = simd::Splat(0.0f);
  for (int64_t p = 0; p < kc; ++p) {
    const F4 b0 = simd::Load(bp + p * kNr);
    const F4 b1 = simd::Load(bp + p * kNr + 4);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      const F4 av = simd::Splat(ap[p * kMr + r]);
      acc0[r] += av * b0;
      acc1[r] += av * b1;
    }
  }
  if (w == kNr) {
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      float* row = c + r * ldc;
      if (accumulate) {
        acc0[r] = simd::Load(row) + acc0[r];
        acc1[r] = simd::Load(row + 4) + acc1[r];
      }
      simd::Store(row, acc0[r]);
      simd::Store(row + 4, acc1[r]);
    }
    return;
  }
  for (int r = 0; r < MR; ++r) {
    float tmp[kNr];
    simd::Store(tmp, acc0[r]);
    simd::Store(tmp + 4, acc1[r]);
    float* row = c + r * ldc;
    for (int j = 0; j < w; ++j) row[j] = accumulate ? row[j] + tmp[j] : tmp[j];
  }
}

void MicroKernelRows(int mr, int64_t kc, const float* ap, const float* bp,
                     float* c, int64_t ldc, int w, bool accumulate) {
  switch (mr) {
    case 4:
      return MicroKernel<4>(kc, ap, bp, c, ldc, w, accumulate);
    case 3:
      return MicroKernel<3>(kc, ap, bp, c, ldc, w, accumulate);
    case 2:
      return MicroKernel<2>(kc, ap, bp, c, ldc, w, accumulate);
    default:
      return MicroKernel<1>(kc, ap, bp, c, ldc, w, accumulate);
  }
}

void GemmPanels(int64_t m, int64_t n, int64_t k, const float* a, bool trans_a,
                const float* b, bool trans_b, float* c) {
  const int64_t lda = trans_a ? m : k, ldb = trans_b ? k : n;
  const int64_t kc_max = std::min(k, kKc);
  const int64_t nc_max = std::min(n, kNc);
  std::vector<float> bpack(kc_max * ((nc_max + kNr - 1) / kNr * kNr));
  std::vector<float> apack(kc_max * kMr);
  for (int64_t j0 = 0; j0 < n; j0 += kNc) {
    const int64_t nc = std::min(kNc, n - j0);
    for (int64_t p0 = 0; p0 < k; p0 += kKc) {
      const int64_t kc = std::min(kKc, k - p0);
      PackB(b, ldb, trans_b, p0, kc, j0, nc, bpack.data());
      for (int64_t i0 = 0; i0 < m; i0 += kMr) {
        const int mr = static_cast<int>(std::min<int64_t>(kMr, m - i0));
        PackA(a, lda, trans_a, i0, mr, p0, kc, apack.data());
        for (int64_t jp = 0; jp < nc; jp += kNr) {
          const int w = static_cast<int>(std::min<int64_t>(kNr, nc - jp));
          MicroKernelRows(mr, kc, apack.data(), bpack.data() + jp * kc,
                          c + i0 * n + j0 + jp, n, w, p0 > 0);
        }
      }
    }
  }
}

// n < 8: c[i, j] = dot(op(a)[i, :], op(b)[:, j]) along k, four partial sums
// per output, over blocks of kDotKc so the packed columns stay small.
constexpr int64_t kDotKc = 2048;

void GemmDots(int64_t m, int64_t n, int64_t k, const float* a, bool trans_a,
              const float* b, bool trans_b, float* c) {
  const int64_t lda = trans_a ? m : k, ldb = trans_b ? k : n;
  const int64_t kc_max = std::min(k, kDotKc);
  std::vector<float> bt(n * kc_max);  // op(b)[p0:p0+kc, j] as rows
  std::vector<float> arow(trans_a ? kc_max : 0);
  for (int64_t p0 = 0; p0 < k; p0 += kDotKc) {
    const int64_t kc = std::min(kDotKc, k - p0);
    for (int64_t j = 0; j < n; ++j) {
      for (int64_t p = 0; p < kc; ++p) {
        bt[j * kc + p] = At(b, ldb, trans_b, p0 + p, j);
      }
    }
    const int64_t vec_end = kc - kc % 4;
    for (int64_t i = 0; i < m; ++i) {
      const float* ar = a + i * lda + p0;
      if (trans_a) {
        for (int64_t p = 0; p < kc; ++p) arow[p] = a[(p0 + p) * lda + i];
        ar = arow.data();
      }
      int64_t j = 0;
      for (; j + 2 <= n; j += 2) {
        const float* b0 = bt.data() + j * kc;
        const float* b1 = b0 + kc;
        F4 s0 = simd::Splat(0.0f), s1 = s0;
        for (int64_t p = 0; p < vec_end; p += 4) {
          const F4 av = simd::Load(ar + p);
          s0 += av * simd::Load(b0 + p);
          s1 += av * simd::Load(b1 + p);
        }
        float d0 = simd::SumLanes(s0), d1 = simd::SumLanes(s1);
        for (int64_t p = vec_end; p < kc; ++p) {
          d0 += ar[p] * b0[p];
          d1 += ar[p] * b1[p];
        }
        c[i * n + j] = p0 > 0 ? c[i * n + j] + d0 : d0;
        c[i * n + j + 1] = p0 > 0 ? c[i * n + j + 1] + d1 : d1;
      }
      for (; j < n; ++j) {
        const float* b0 = bt.data() + j * kc;
        F4 s0 = simd::Splat(0.0f);
        for (int64_t p = 0; p < vec_end; p += 4) {
          s0 += simd::Load(ar + p) * simd::Load(b0 + p);
        }
        float d0 = simd::SumLanes(s0);
        for (int64_t p = vec_end; p < kc; ++p) d0 += ar[p] * b0[p];
        c[i * n + j] = p0 > 0 ? c[i * n + j] + d0 : d0;
      }
    }
  }
}

}  // namespace

void Sgemm(int64_t m, int64_t n, int64_t k, const float* a, bool trans_a,
           const float* b, bool trans_b, float* c) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    std::fill(c, c + m * n, 0.0f);
    return;
  }
  if (n < kNr && k >= 16) {
    GemmDots(m, n, k, a, trans_a, b, trans_b, c);
  } else {
    GemmPanels(m, n, k, a, trans_a, b, trans_b, c);
  }
}

}  // namespace ap::kernels
