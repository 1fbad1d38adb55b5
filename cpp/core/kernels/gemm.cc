// Single-precision GEMM: packed B panels and a register-tiled micro-kernel
// (MR rows x 8 columns of 4-lane accumulators) that reads A in place,
// blocked over k and n so the packed buffer stays small (at most kKc x kNc
// floats) and hot in cache.
// Narrow outputs (n < 8, e.g. weights · value with dim 2) take a dot-product
// path vectorised along k instead, which wastes no lanes. See kernels.h.
//
// Hand-written rather than Eigen's GEMM because it is faster in the browser.
// With Eigen's product (SgemmEigen) in its place, and so without the fused
// AttentionForward built on these kernels, the attention benchmark
// (tests/bench/ab-chromium.mjs, Chromium 156, 2026-12-07, medians of 7
// rounds) took 2.3x the time at 32x1200x2 (0.048 -> 0.111 ms), 2.3x at
// 32x1200x128, 3.9x at 1200x1200x2 (1.30 -> 5.05 ms), 2.1x at 1200x1200x64
// (7.5 -> 15.6 ms), 2.0x at 512x512x64 and 2.7x at 8 heads x 512x512x64
// (Node 20, by CPU time: 1.9-3.2x). Eigen 3.4 has no WASM SIMD backend, so
// its GEMM runs scalar there. Small products do go to Eigen (SgemmSmall: no
// packing, the same floats).
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
// Multiply-adds up to which a product is small (SgemmSmall).
constexpr int64_t kSmallMacs = 4096;

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
    int64_t p = 0;
    if (trans_b && w == kNr) {
      // op(b)'s 8 columns are 8 rows of b: transpose 4 x 4 blocks (the
      // scores' key, packed once per attention call).
      const float* rows = b + (j0 + jp) * ldb + p0;
      for (; p + 4 <= kc; p += 4) {
        F4 x[kNr];
        for (int j = 0; j < kNr; ++j) x[j] = simd::Load(rows + j * ldb + p);
        simd::Transpose4(x[0], x[1], x[2], x[3]);
        simd::Transpose4(x[4], x[5], x[6], x[7]);
        for (int t = 0; t < 4; ++t) {
          simd::Store(panel + (p + t) * kNr, x[t]);
          simd::Store(panel + (p + t) * kNr + 4, x[4 + t]);
        }
      }
    }
    for (; p < kc; ++p) {
      for (int64_t j = 0; j < kNr; ++j) {
        panel[p * kNr + j] =
            j < w ? At(b, ldb, trans_b, p0 + p, j0 + jp + j) : 0.0f;
      }
    }
  }
}

// Packs op(a)[i0:i0+mr, p0:p0+kc] in the layout the micro-kernel reads: a
// full tile (mr == kMr) interleaved, dst[p * kMr + r], so one pointer and
// constant offsets address the tile's k-th column (5-9% faster attention in
// Chromium than four row pointers); edge rows (mr < kMr) as
// rows of kc floats, dst[r * kc + p].
void PackA(const float* a, int64_t lda, bool trans_a, int64_t i0, int mr,
           int64_t p0, int64_t kc, float* dst) {
  static_assert(kMr == 4, "the full-tile paths move one 4-lane vector per k");
  int64_t p = 0;
  if (mr == kMr && trans_a) {
    for (; p < kc; ++p) {
      simd::Store(dst + p * kMr, simd::Load(a + (p0 + p) * lda + i0));
    }
  } else if (mr == kMr) {
    const float* rows = a + i0 * lda + p0;
    for (; p + 4 <= kc; p += 4) {
      F4 x0 = simd::Load(rows + p), x1 = simd::Load(rows + lda + p);
      F4 x2 = simd::Load(rows + 2 * lda + p),
         x3 = simd::Load(rows + 3 * lda + p);
      simd::Transpose4(x0, x1, x2, x3);
      simd::Store(dst + p * kMr, x0);
      simd::Store(dst + (p + 1) * kMr, x1);
      simd::Store(dst + (p + 2) * kMr, x2);
      simd::Store(dst + (p + 3) * kMr, x3);
    }
    for (; p < kc; ++p) {
      for (int r = 0; r < kMr; ++r) dst[p * kMr + r] = rows[r * lda + p];
    }
  } else {
    for (int r = 0; r < mr; ++r) {
      for (p = 0; p < kc; ++p)
        dst[r * kc + p] = At(a, lda, trans_a, i0 + r, p0 + p);
    }
  }
}

// c[0:MR, 0:w] (+)= A (MR x kc, packed: a[p * MR + r]) · B (kc x 8), B's
// row p at bp + p * ldb (ldb = 8 for a packed panel).
template <int MR>
void MicroKernel(int64_t kc, const float* a, const float* bp, int64_t ldb,
                 float* c, int64_t ldc, int w, bool accumulate) {
  F4 acc0[MR], acc1[MR];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) acc0[r] = acc1[r] = simd::Splat(0.0f);
  // Pointer bumps and a 32-bit count: in WASM (wasm32) an int64_t index
  // costs an i32.wrap and a shift per access. One k step per iteration:
  // unrolling two (four B vectors live) made Chromium's V8 spill and run
  // the whole attention ~20% slower, though Node's older V8 did not.
  for (int p = static_cast<int>(kc); p > 0; --p, bp += ldb, a += MR) {
    const F4 b0 = simd::Load(bp), b1 = simd::Load(bp + 4);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      const F4 av = simd::Splat(a[r]);
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

// Not inlined: one copy of the two kernels for both GEMM drivers (WASM
// size), and a call per tile costs nothing next to its kc steps. `a` is
// packed by PackA.
__attribute__((noinline)) void MicroKernelRows(int mr, int64_t kc,
                                               const float* a, const float* bp,
                                               int64_t ldb, float* c,
                                               int64_t ldc, int w,
                                               bool accumulate) {
  // Full tiles of 4 rows; edge rows one at a time (the same sums per output
  // element; two kernels instead of four keep the WASM smaller).
  if (mr == kMr) {
    return MicroKernel<kMr>(kc, a, bp, ldb, c, ldc, w, accumulate);
  }
  for (int r = 0; r < mr; ++r) {
    MicroKernel<1>(kc, a + r * kc, bp, ldb, c + r * ldc, ldc, w, accumulate);
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
          MicroKernelRows(mr, kc, apack.data(), bpack.data() + jp * kc, kNr,
                          c + i0 * n + j0 + jp, n, w, p0 > 0);
        }
      }
    }
  }
}

// n < 8: c[i, j] = dot(op(a)[i, :], op(b)[:, j]) along k, four partial sums
// per output, over blocks of kDotKc so the packed columns stay small.
constexpr int64_t kDotKc = 2048;

// c[i, 0:n] (+)= a[i, 0:kc] · bt[j, 0:kc] for rows i < m of a (row stride
// lda) and c (row stride ldc); bt holds op(b)'s columns as rows of kc.
void DotRows(int64_t m, int64_t n, int64_t kc, const float* a, int64_t lda,
             const float* bt, float* c, int64_t ldc, bool accumulate) {
  const int vec_end = static_cast<int>(kc - kc % 4),
            kc32 = static_cast<int>(kc);
  for (int64_t i = 0; i < m; ++i) {
    const float* ar = a + i * lda;
    float* cr = c + i * ldc;
    int64_t j = 0;
    for (; j + 2 <= n; j += 2) {
      const float* b0 = bt + j * kc;
      const float* b1 = b0 + kc;
      F4 s0 = simd::Splat(0.0f), s1 = s0;
      for (int p = 0; p < vec_end; p += 4) {
        const F4 av = simd::Load(ar + p);
        s0 += av * simd::Load(b0 + p);
        s1 += av * simd::Load(b1 + p);
      }
      float d0 = simd::SumLanes(s0), d1 = simd::SumLanes(s1);
      for (int p = vec_end; p < kc32; ++p) {
        d0 += ar[p] * b0[p];
        d1 += ar[p] * b1[p];
      }
      cr[j] = accumulate ? cr[j] + d0 : d0;
      cr[j + 1] = accumulate ? cr[j + 1] + d1 : d1;
    }
    for (; j < n; ++j) {
      const float* b0 = bt + j * kc;
      F4 s0 = simd::Splat(0.0f);
      for (int p = 0; p < vec_end; p += 4) {
        s0 += simd::Load(ar + p) * simd::Load(b0 + p);
      }
      float d0 = simd::SumLanes(s0);
      for (int p = vec_end; p < kc32; ++p) d0 += ar[p] * b0[p];
      cr[j] = accumulate ? cr[j] + d0 : d0;
    }
  }
}

// DotRows(m, n, kc, w, kc, bt, c, n, false) after scaling row i of w by
// inv[i] in place (w = SoftmaxRowsUnscaled's output): the first column (or
// pair) scales each weight as it reads it; later columns read the scaled
// row. The same products and sums as SoftmaxRows then DotRows.
void ScaleDotRows(int64_t m, int64_t n, int64_t kc, float* w, const float* inv,
                  const float* bt, float* c) {
  const int vec_end = static_cast<int>(kc - kc % 4),
            kc32 = static_cast<int>(kc);
  for (int64_t i = 0; i < m; ++i) {
    float* wr = w + i * kc;
    const F4 vinv = simd::Splat(inv[i]);
    const float* b0 = bt;
    const float* b1 = n >= 2 ? bt + kc : bt;  // n == 1: a harmless duplicate
    F4 s0 = simd::Splat(0.0f), s1 = s0;
    for (int p = 0; p < vec_end; p += 4) {
      const F4 av = simd::Load(wr + p) * vinv;
      simd::Store(wr + p, av);
      s0 += av * simd::Load(b0 + p);
      s1 += av * simd::Load(b1 + p);
    }
    float d0 = simd::SumLanes(s0), d1 = simd::SumLanes(s1);
    for (int p = vec_end; p < kc32; ++p) {
      wr[p] *= inv[i];
      d0 += wr[p] * b0[p];
      d1 += wr[p] * b1[p];
    }
    c[i * n] = d0;
    if (n >= 2) c[i * n + 1] = d1;
    if (n > 2)
      DotRows(1, n - 2, kc, wr, kc, bt + 2 * kc, c + i * n + 2, n, false);
  }
}

// bt[j * kc + p] = op(b)[p0 + p, j].
void PackColumns(const float* b, int64_t ldb, bool trans_b, int64_t p0,
                 int64_t kc, int64_t n, float* bt) {
  for (int64_t j = 0; j < n; ++j) {
    for (int64_t p = 0; p < kc; ++p) {
      bt[j * kc + p] = At(b, ldb, trans_b, p0 + p, j);
    }
  }
}

void GemmDots(int64_t m, int64_t n, int64_t k, const float* a, bool trans_a,
              const float* b, bool trans_b, float* c) {
  const int64_t lda = trans_a ? m : k, ldb = trans_b ? k : n;
  const int64_t kc_max = std::min(k, kDotKc);
  std::vector<float> bt(n * kc_max);  // op(b)[p0:p0+kc, j] as rows
  std::vector<float> arow(trans_a ? kc_max : 0);
  for (int64_t p0 = 0; p0 < k; p0 += kDotKc) {
    const int64_t kc = std::min(kDotKc, k - p0);
    PackColumns(b, ldb, trans_b, p0, kc, n, bt.data());
    if (!trans_a) {
      DotRows(m, n, kc, a + p0, lda, bt.data(), c, n, p0 > 0);
      continue;
    }
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t p = 0; p < kc; ++p) arow[p] = a[(p0 + p) * lda + i];
      DotRows(1, n, kc, arow.data(), kc, bt.data(), c + i * n, n, p0 > 0);
    }
  }
}

// All of op(b) (k x n) packed once: k blocks of kKc rows, each as
// ceil(n/8) panels of kc x 8 (PackB's layout), block p0 at p0 * n_pad.
// Or, when the caller allows it and b is row-major (not transposed) with n a
// multiple of 8, b itself read in place: every 8 columns of it are a panel
// with row stride n; the micro-kernel's sums are the same. That skips
// copying all of b, which pays when few rows of a share each panel: the
// attention's value at 32 query rows ran 1.41x faster in Chromium
// (32x1200x128), but strided panels ran 1.6x slower at 1200 rows.
struct PackedB {
  int64_t k = 0, n = 0, n_pad = 0;
  std::vector<float> data;
  const float* in_place = nullptr;

  // Panel jp of block p0 (kc rows), and the stride between its rows.
  const float* Panel(int64_t p0, int64_t kc, int64_t jp) const {
    return in_place ? in_place + p0 * n + jp
                    : data.data() + p0 * n_pad + jp * kc;
  }
  int64_t PanelStride() const { return in_place ? n : kNr; }
};

void PackWholeB(int64_t k, int64_t n, const float* b, bool trans_b,
                bool allow_in_place, PackedB* out) {
  out->k = k;
  out->n = n;
  out->n_pad = (n + kNr - 1) / kNr * kNr;
  if (allow_in_place && !trans_b && n % kNr == 0) {
    out->in_place = b;
    return;
  }
  out->data.resize(k * out->n_pad);
  const int64_t ldb = trans_b ? k : n;
  for (int64_t p0 = 0; p0 < k; p0 += kKc) {
    const int64_t kc = std::min(kKc, k - p0);
    PackB(b, ldb, trans_b, p0, kc, 0, n, out->data.data() + p0 * out->n_pad);
  }
}

// c[0:m, 0:n] (row stride ldc) = a[0:m, :] (row-major, row stride lda) ·
// packed B. Per output element the same sums in the same order as
// GemmPanels when n <= kNc (k blocks of kKc, each added to the previous).
void GemmRowsPacked(int64_t m, const float* a, int64_t lda, const PackedB& b,
                    float* c, int64_t ldc) {
  float apack[kKc * kMr];
  for (int64_t i0 = 0; i0 < m; i0 += kMr) {
    const int mr = static_cast<int>(std::min<int64_t>(kMr, m - i0));
    for (int64_t p0 = 0; p0 < b.k; p0 += kKc) {
      const int64_t kc = std::min(kKc, b.k - p0);
      PackA(a, lda, false, i0, mr, p0, kc, apack);
      for (int64_t jp = 0; jp < b.n; jp += kNr) {
        const int w = static_cast<int>(std::min<int64_t>(kNr, b.n - jp));
        MicroKernelRows(mr, kc, apack, b.Panel(p0, kc, jp), b.PanelStride(),
                        c + i0 * ldc + jp, ldc, w, p0 > 0);
      }
    }
  }
}

// Scores for a tiny head dim (d <= 4, so one k block): scores[i, :] =
// q[i, :] · kp row by row, the same sums as the micro-kernel (from zero, k in
// order), with q[i, :]'s splats held for the whole row and the row's max
// taken from the stored values on the way (NaNs skipped, as SoftmaxRows).
// D is a template argument so the k loop unrolls and the splats stay in
// registers.
template <int D>
void ScoresRowsTinyD(int64_t m, const float* q, const PackedB& kp, float* s,
                     int64_t tv, float* row_max) {
  const int64_t full = tv / kNr * kNr;
  for (int64_t i = 0; i < m; ++i) {
    F4 qa[D];
#pragma GCC unroll 4
    for (int p = 0; p < D; ++p) qa[p] = simd::Splat(q[i * D + p]);
    float* srow = s + i * tv;
    F4 m0 = simd::Splat(-__builtin_huge_valf()), m1 = m0;
    // Panels of 8 columns, D rows each: consecutive (packed) or 8 floats
    // apart (in place, row stride tv).
    const float* b = kp.Panel(0, D, 0);
    const int64_t ldb = kp.PanelStride();
    const int64_t step = kp.in_place ? kNr : kNr * D;
    F4 s0, s1;
    auto dot8 = [&] {
      s0 = simd::Splat(0.0f);
      s1 = s0;
#pragma GCC unroll 4
      for (int p = 0; p < D; ++p) {
        s0 += qa[p] * simd::Load(b + p * ldb);
        s1 += qa[p] * simd::Load(b + p * ldb + 4);
      }
    };
    for (int64_t j = 0; j < full; j += kNr, b += step) {
      dot8();
      simd::Store(srow + j, s0);
      simd::Store(srow + j + 4, s1);
      m0 = simd::MaxIfGreater(m0, s0);
      m1 = simd::MaxIfGreater(m1, s1);
    }
    float mx = simd::MaxLanes(m0, m1);
    if (full < tv) {
      dot8();
      float tmp[kNr];
      simd::Store(tmp, s0);
      simd::Store(tmp + 4, s1);
      for (int64_t j = full; j < tv; ++j) {
        srow[j] = tmp[j - full];
        mx = srow[j] > mx ? srow[j] : mx;
      }
    }
    row_max[i] = mx;
  }
}

void ScoresRowsTinyD(int64_t m, const float* q, int64_t d, const PackedB& kp,
                     float* s, int64_t tv, float* row_max) {
  switch (d) {
    case 1:
      return ScoresRowsTinyD<1>(m, q, kp, s, tv, row_max);
    case 2:
      return ScoresRowsTinyD<2>(m, q, kp, s, tv, row_max);
    case 3:
      return ScoresRowsTinyD<3>(m, q, kp, s, tv, row_max);
    default:
      return ScoresRowsTinyD<4>(m, q, kp, s, tv, row_max);
  }
}

}  // namespace

void AttentionForward(int64_t tq, int64_t tv, int64_t d, int64_t dv,
                      const float* q, const float* k, bool trans_k,
                      const float* v, float* scores, float* weights,
                      float* out) {
  // The blocked path reproduces Sgemm's sums only where Sgemm takes the
  // panel path for the scores (tv >= 8) and the panel (dv >= 8) or single
  // k-block dot path (16 <= tv <= kDotKc) for the output.
  const bool out_panels = dv >= kNr;
  const bool out_dots = !out_panels && tv >= 16 && tv <= kDotKc;
  if (kEigenGemm || kEigenSoftmax || tq <= 0 || d <= 0 || dv <= 0 || tv < kNr ||
      !(out_panels || out_dots)) {
    Sgemm(tq, tv, d, q, false, k, trans_k, scores);
    SoftmaxRows(scores, weights, tq, tv);
    Sgemm(tq, dv, tv, weights, false, v, false, out);
    return;
  }
  PackedB kp, vp;
  // Few query rows: operands in place where their layout allows (PackedB).
  const bool few_rows = tq <= 64;
  PackWholeB(d, tv, k, trans_k, few_rows, &kp);
  std::vector<float> vt;
  if (out_panels) {
    PackWholeB(tv, dv, v, false, few_rows, &vp);
  } else {
    vt.resize(dv * tv);
    PackColumns(v, dv, false, 0, tv, dv, vt.data());
  }
  // Rows per block: the block's scores and weights (2 x rows x tv floats)
  // stay in L2 between the three steps.
  const int64_t rows = std::max<int64_t>(kMr, (16384 / tv) / kMr * kMr);
  std::vector<float> inv_sums(out_dots ? rows : 0);
  const bool tiny_d = d <= 4 && out_dots;
  std::vector<float> row_max(tiny_d ? rows : 0);
  for (int64_t i0 = 0; i0 < tq; i0 += rows) {
    const int64_t r = std::min(rows, tq - i0);
    float* s_rows = scores + i0 * tv;
    float* w_rows = weights + i0 * tv;
    if (tiny_d) {
      ScoresRowsTinyD(r, q + i0 * d, d, kp, s_rows, tv, row_max.data());
    } else {
      GemmRowsPacked(r, q + i0 * d, d, kp, s_rows, tv);
    }
    if (out_panels) {
      SoftmaxRows(s_rows, w_rows, r, tv);
      GemmRowsPacked(r, w_rows, tv, vp, out + i0 * dv, dv);
    } else {
      // Narrow values (dv < 8): the weights are normalised in the pass that
      // reads them for the first output columns (one pass less over them).
      SoftmaxRowsUnscaled(s_rows, w_rows, r, tv, inv_sums.data(),
                          tiny_d ? row_max.data() : nullptr);
      ScaleDotRows(r, dv, tv, w_rows, inv_sums.data(), vt.data(),
                   out + i0 * dv);
    }
  }
}

void Sgemm(int64_t m, int64_t n, int64_t k, const float* a, bool trans_a,
           const float* b, bool trans_b, float* c) {
  if (kEigenGemm) return SgemmEigen(m, n, k, a, trans_a, b, trans_b, c);
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    std::fill(c, c + m * n, 0.0f);
    return;
  }
  // Small products whose floats the panel path below would give (one k
  // block, n >= 8 or k < 16) go to Eigen's rank-1 updates: the same sums,
  // without packing.
  if (k <= kKc && (n >= kNr || k < 16) && m * n * k <= kSmallMacs) {
    return SgemmSmall(m, n, k, a, trans_a, b, trans_b, c);
  }
  if (n < kNr && k >= 16) {
    GemmDots(m, n, k, a, trans_a, b, trans_b, c);
  } else {
    GemmPanels(m, n, k, a, trans_a, b, trans_b, c);
  }
}

}  // namespace ap::kernels
