import type { BitWriter } from './bit-writer.js';

/** Highest partition order tried for the Rice-coded residual. */
const MAX_PARTITION_ORDER = 6;

/** Residual of FLAC's fixed polynomial predictor of `order` (0..4), from sample `order` on. */
function fixedResidual(x: Int32Array, order: number): Float64Array {
  const n = x.length;
  const r = new Float64Array(Math.max(0, n - order));
  for (let i = order; i < n; i++) {
    const a = x[i] as number;
    const b = x[i - 1] ?? 0;
    const c = x[i - 2] ?? 0;
    const d = x[i - 3] ?? 0;
    const e = x[i - 4] ?? 0;
    r[i - order] =
      order === 0 ? a : order === 1 ? a - b : order === 2 ? a - 2 * b + c : order === 3 ? a - 3 * b + 3 * c - d : a - 4 * b + 6 * c - 4 * d + e;
  }
  return r;
}

/** Zig-zag folds a signed residual into the unsigned value Rice coding needs. */
function fold(v: number): number {
  return v >= 0 ? 2 * v : -2 * v - 1;
}

/**
 * Best Rice parameter for a partition of `count` folded residuals summing to `sum`, and its
 * estimated cost in bits: each value costs k+1 bits plus its quotient u >> k, whose sum is
 * about sum / 2^k - count / 2. Estimating from the sum keeps planning one pass over the data.
 */
function riceParameter(sum: number, count: number, maxParameter: number): [number, number] {
  if (count === 0) return [0, 0];
  const mean = sum / count;
  const guess = mean < 1 ? 0 : Math.min(maxParameter, Math.floor(Math.log2(mean)));
  let best: [number, number] = [0, Infinity];
  for (let k = Math.max(0, guess - 1); k <= Math.min(maxParameter, guess + 1); k++) {
    const bits = count * (k + 1) + Math.max(0, sum / 2 ** k - (k > 0 ? count / 2 : 0));
    if (bits < best[1]) best = [k, bits];
  }
  return best;
}

interface ResidualPlan {
  partitionOrder: number;
  parameters: number[];
  bits: number;
}

/**
 * Chooses the partition order and per-partition Rice parameters that minimise the coded size:
 * partition sums at the finest order, merged pairwise for the coarser ones.
 */
function planResidual(folded: Float64Array, blockSize: number, order: number, maxParameter: number, parameterBits: number): ResidualPlan {
  let finest = 0;
  while (finest < MAX_PARTITION_ORDER && blockSize % (1 << (finest + 1)) === 0 && blockSize >> (finest + 1) > order) finest++;
  let sums = new Float64Array(1 << finest);
  const partitionSize = blockSize >> finest;
  for (let part = 0; part < sums.length; part++) {
    const from = part === 0 ? 0 : part * partitionSize - order;
    const to = (part + 1) * partitionSize - order;
    let sum = 0;
    for (let i = from; i < to; i++) sum += folded[i] as number;
    sums[part] = sum;
  }
  let best: ResidualPlan = { partitionOrder: 0, parameters: [], bits: Infinity };
  for (let p = finest; p >= 0; p--) {
    const size = blockSize >> p;
    const parameters: number[] = [];
    let bits = 0;
    for (let part = 0; part < sums.length; part++) {
      const count = part === 0 ? size - order : size;
      const [k, cost] = riceParameter(sums[part] as number, count, maxParameter);
      parameters.push(k);
      bits += cost + parameterBits;
    }
    if (bits < best.bits) best = { partitionOrder: p, parameters, bits };
    if (p > 0) sums = Float64Array.from({ length: sums.length / 2 }, (_, i) => (sums[2 * i] as number) + (sums[2 * i + 1] as number));
  }
  return best;
}

/** Sum of |residual| of the fixed predictor of each order 0-4 (one pass, no allocation). */
function residualMagnitudes(x: Int32Array): number[] {
  let t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
  for (let i = 4; i < x.length; i++) {
    const a = x[i] as number;
    const b = x[i - 1] as number;
    const c = x[i - 2] as number;
    const d = x[i - 3] as number;
    const e = x[i - 4] as number;
    t0 += Math.abs(a);
    t1 += Math.abs(a - b);
    t2 += Math.abs(a - 2 * b + c);
    t3 += Math.abs(a - 3 * b + 3 * c - d);
    t4 += Math.abs(a - 4 * b + 6 * c - 4 * d + e);
  }
  return [t0, t1, t2, t3, t4];
}

/**
 * Writes one FLAC subframe for `samples` (already decorrelated, `bitDepth` bits signed): CONSTANT
 * when every sample is equal, else the cheapest of FIXED orders 0-4 with partitioned Rice
 * coding, or VERBATIM when that would be smaller.
 */
export function encodeFlacSubframe(w: BitWriter, samples: Int32Array, bitDepth: number): void {
  const n = samples.length;
  const first = samples[0] as number;
  if (samples.every((v) => v === first)) {
    w.write(0, 8); // zero pad, type CONSTANT, no wasted bits
    w.writeSigned(first, bitDepth);
    return;
  }
  // Rice parameters above 14 need the 5-bit-parameter method (RICE2).
  const method = bitDepth > 16 ? 1 : 0;
  const parameterBits = method === 1 ? 5 : 4;
  const maxParameter = method === 1 ? 30 : 14;
  // Pick the predictor order by residual magnitude, then plan the Rice coding for it alone.
  const magnitudes = residualMagnitudes(samples);
  let bestOrder = 0;
  if (n > 8) for (let order = 1; order <= 4; order++) if ((magnitudes[order] as number) < (magnitudes[bestOrder] as number)) bestOrder = order;
  const bestFolded = fixedResidual(samples, bestOrder).map(fold);
  const bestPlan = planResidual(bestFolded, n, bestOrder, maxParameter, parameterBits);
  if (bestPlan.bits + bestOrder * bitDepth + 6 >= n * bitDepth) {
    w.write(0b00000010, 8); // VERBATIM
    for (let i = 0; i < n; i++) w.writeSigned(samples[i] as number, bitDepth);
    return;
  }
  w.write((8 + bestOrder) << 1, 8); // type FIXED, order in the low 3 bits of the 6-bit type
  for (let i = 0; i < bestOrder; i++) w.writeSigned(samples[i] as number, bitDepth);
  w.write(method, 2);
  w.write(bestPlan.partitionOrder, 4);
  const partitionSize = n >> bestPlan.partitionOrder;
  bestPlan.parameters.forEach((k, part) => {
    w.write(k, parameterBits);
    const from = part === 0 ? 0 : part * partitionSize - bestOrder;
    const to = (part + 1) * partitionSize - bestOrder;
    const divisor = 2 ** k;
    for (let i = from; i < to; i++) {
      const u = bestFolded[i] as number;
      const q = Math.floor(u / divisor);
      w.writeUnary(q);
      if (k > 0) w.write(u - q * divisor, k);
    }
  });
}
