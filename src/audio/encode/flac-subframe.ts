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

/** Best Rice parameter for residuals[from, to) and its cost in bits. */
function bestRiceParameter(folded: Float64Array, from: number, to: number, maxParameter: number): [number, number] {
  const count = to - from;
  if (count === 0) return [0, 0];
  let sum = 0;
  for (let i = from; i < to; i++) sum += folded[i] as number;
  const guess = Math.max(0, Math.min(maxParameter, Math.floor(Math.log2(sum / count + 1))));
  let best: [number, number] = [0, Infinity];
  for (let k = Math.max(0, guess - 1); k <= Math.min(maxParameter, guess + 1); k++) {
    const divisor = 2 ** k;
    let bits = count * (k + 1);
    for (let i = from; i < to; i++) bits += Math.floor((folded[i] as number) / divisor);
    if (bits < best[1]) best = [k, bits];
  }
  return best;
}

interface ResidualPlan {
  partitionOrder: number;
  parameters: number[];
  bits: number;
}

/** Chooses the partition order and per-partition Rice parameters that minimise the coded size. */
function planResidual(folded: Float64Array, blockSize: number, order: number, maxParameter: number, parameterBits: number): ResidualPlan {
  let best: ResidualPlan = { partitionOrder: 0, parameters: [], bits: Infinity };
  for (let p = 0; p <= MAX_PARTITION_ORDER; p++) {
    const partitionSize = blockSize >> p;
    if (blockSize % (1 << p) !== 0 || partitionSize <= order) break;
    const parameters: number[] = [];
    let bits = 0;
    for (let part = 0; part < 1 << p; part++) {
      const from = part === 0 ? 0 : part * partitionSize - order;
      const to = (part + 1) * partitionSize - order;
      const [k, cost] = bestRiceParameter(folded, from, to, maxParameter);
      parameters.push(k);
      bits += cost + parameterBits;
    }
    if (bits < best.bits) best = { partitionOrder: p, parameters, bits };
  }
  return best;
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
  let bestOrder = -1;
  let bestPlan: ResidualPlan | undefined;
  let bestFolded = new Float64Array(0);
  for (let order = 0; order <= Math.min(4, n - 1); order++) {
    const residual = fixedResidual(samples, order);
    const folded = residual.map(fold);
    const plan = planResidual(folded, n, order, maxParameter, parameterBits);
    const bits = plan.bits + order * bitDepth;
    if (bestPlan === undefined || bits < bestPlan.bits + bestOrder * bitDepth) {
      bestOrder = order;
      bestPlan = plan;
      bestFolded = folded;
    }
  }
  if (bestPlan === undefined || bestPlan.bits + bestOrder * bitDepth + 6 >= n * bitDepth) {
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
