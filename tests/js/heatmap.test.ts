// The heatmap's math: slicing (batch, head) matrices, pooling cells into
// pixels (max keeps peaks, mean keeps mass), mask broadcasting, the colour map.
import { describe, expect, it } from 'vitest';
import { aggregate, maskLookup, paint, pixelRanges, sliceMatrix, topK, VIRIDIS, type Matrix } from '../../web/ui/heatmap';

const matrix = (rows: number, cols: number, f: (r: number, c: number) => number): Matrix => {
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = f(r, c);
  return { rows, cols, data };
};

describe('sliceMatrix', () => {
  // (batch, num_heads, Tq, Tv): batch 1, head 2 starts at ((1*3)+2)*Tq*Tv, without copying.
  it('picks the (Tq, Tv) matrix of a batch and head', () => {
    const values = Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i);
    const m = sliceMatrix([2, 3, 4, 5], values, [1, 2]);
    expect([m.rows, m.cols]).toEqual([4, 5]);
    expect(m.data[0]).toBe((1 * 3 + 2) * 20);
    expect(m.data.buffer).toBe(values.buffer);
    expect(sliceMatrix([1, 32, 1200], new Float32Array(32 * 1200)).rows).toBe(32);
  });
});

describe('pixelRanges', () => {
  // 1200 cells over 300 pixels: 4 cells each, contiguous and covering all.
  it('splits cells evenly when zoomed out', () => {
    const r = pixelRanges(0, 1200, 300, 1200);
    expect([r[0], r[1], r[2], r[3]]).toEqual([0, 4, 4, 8]);
    expect(r[599]).toBe(1200);
  });
  // 4 cells over 8 pixels: each pixel shows the one cell under it.
  it('maps each pixel to one cell when zoomed in', () => {
    expect([...pixelRanges(0, 4, 8, 4)]).toEqual([0, 1, 0, 1, 1, 2, 1, 2, 2, 3, 2, 3, 3, 4, 3, 4]);
  });
});

describe('aggregate', () => {
  // A single peak in 1200 × 1200 survives max pooling into 100 × 100 and is averaged by mean pooling.
  it('keeps peaks with max and mass with mean', () => {
    const m = matrix(1200, 1200, (r, c) => (r === 605 && c === 17 ? 1 : 0));
    const view = { row0: 0, col0: 0, rows: 1200, cols: 1200 };
    const max = aggregate(m, view, 100, 100, 'max');
    expect(max[50 * 100 + 1]).toBe(1);
    expect(max.reduce((a, v) => a + v, 0)).toBe(1);
    const mean = aggregate(m, view, 100, 100, 'mean');
    expect(mean[50 * 100 + 1]).toBeCloseTo(1 / 144, 6);
  });

  // The mean of all pixels equals the mean of all cells when cells divide evenly.
  it('preserves the overall mean', () => {
    const m = matrix(32, 1200, (r, c) => ((r * 7 + c * 13) % 10) / 10);
    const mean = aggregate(m, { row0: 0, col0: 0, rows: 32, cols: 1200 }, 300, 16, 'mean');
    const cellMean = m.data.reduce((a, v) => a + v, 0) / m.data.length;
    expect(mean.reduce((a, v) => a + v, 0) / mean.length).toBeCloseTo(cellMean, 5);
  });

  // A zoomed view reads only its window: rows 10..11, cols 20..23.
  it('pools only the cells of the zoomed view', () => {
    const m = matrix(32, 64, (r, c) => r * 1000 + c);
    const out = aggregate(m, { row0: 10, col0: 20, rows: 2, cols: 4 }, 4, 2, 'max');
    expect([...out]).toEqual([10020, 10021, 10022, 10023, 11020, 11021, 11022, 11023]);
  });

  // 1200 × 1200 into a 1000 × 480 canvas in well under a frame budget on this machine.
  it('pools 1200 × 1200 fast', () => {
    const m = matrix(1200, 1200, (r, c) => (r + c) / 2400);
    const t0 = performance.now();
    aggregate(m, { row0: 0, col0: 0, rows: 1200, cols: 1200 }, 1000, 480, 'max');
    expect(performance.now() - t0).toBeLessThan(250);
  });
});

describe('maskLookup', () => {
  // Keras' score mask (batch, 1, Tv) broadcasts over Tq; a (batch, Tv) value mask gets the same treatment.
  it('broadcasts a value mask over the query steps', () => {
    const mask = Float32Array.from([1, 1, 0]);
    for (const shape of [[1, 1, 3], [1, 3]]) {
      const kept = maskLookup(shape, mask, [1, 4, 3]);
      expect([kept(0, 0), kept(3, 1), kept(0, 2), kept(3, 2)]).toEqual([true, true, false, false]);
    }
  });
  // A causal (1, Tq, Tv) mask: kept where col <= row.
  it('reads a full (Tq, Tv) mask', () => {
    const n = 3;
    const mask = Float32Array.from({ length: n * n }, (_, i) => (i % n <= Math.floor(i / n) ? 1 : 0));
    const kept = maskLookup([1, n, n], mask, [2, n, n], [1]);
    expect([kept(0, 0), kept(0, 1), kept(2, 1)]).toEqual([true, false, true]);
  });
});

describe('paint and colours', () => {
  // Viridis endpoints: dark purple (68, 1, 84) to yellow (253, 231, 37), within rounding of the fit.
  it('uses viridis', () => {
    const near = (i: number, rgb: number[]): void => rgb.forEach((v, k) => expect(Math.abs(VIRIDIS[i * 3 + k]! - v)).toBeLessThanOrEqual(4));
    near(0, [68, 1, 84]);
    near(255, [253, 231, 37]);
    near(128, [33, 145, 140]);
  });
  // Masked pixels get black and white stripes (not a colour change only).
  it('hatches masked pixels', () => {
    const image = { data: new Uint8ClampedArray(8 * 1 * 4), width: 8, height: 1 };
    paint(image, new Float32Array(8).fill(0.5), 1, Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1]));
    const px = (i: number): number[] => [...image.data.slice(4 * i, 4 * i + 3)];
    expect(px(0)).toEqual([0, 0, 0]);
    expect(px(4)).toEqual([255, 255, 255]);
    expect(px(2)).toEqual([VIRIDIS[128 * 3], VIRIDIS[128 * 3 + 1], VIRIDIS[128 * 3 + 2]]);
  });
  it('finds the top weights of a row, largest first', () => {
    expect(topK(Float32Array.from([0.1, 0.5, 0.05, 0.3, 0.05]), 3)).toEqual([1, 3, 0]);
  });
});
