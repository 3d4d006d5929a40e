import type { PitchCandidateTable } from './pitch-candidates.js';

/**
 * Viterbi pitch tracker over the candidate table (the dynamic-programming idea of RAPT and
 * pYIN): each frame has its candidates plus one "unvoiced" state; a path pays a local cost per
 * frame and a transition cost between frames, and the cheapest path wins. Octave errors come from
 * a single frame preferring a subharmonic or a harmonic; the jump cost makes such excursions
 * expensive unless the evidence persists, as it does across a real octave leap.
 */
export interface PitchTrackerCosts {
  /** Periodicity above which voiced beats unvoiced in isolation. */
  readonly voicingThreshold: number;
  /** Cost per octave of F0 change between consecutive frames. */
  readonly pitchJumpCostPerOctave: number;
  /** Cost of a voiced/unvoiced switch. */
  readonly voicingChangeCost: number;
  /** Frames whose level is below this (mean square) are forced unvoiced. */
  readonly silenceLevel: number;
  /** Extra cost of ending unvoiced (input that continues past the table; 0 when absent). */
  readonly unvoicedEndCost?: number;
}

/**
 * Cheapest path through `table`. Writes the chosen candidate slot per frame into `choiceOut`
 * (-1 = unvoiced). With `forceVoiced` the unvoiced state is only a bridge over frames without
 * candidates, which gives a continuous F0 guess for every frame. `fixedLag`, in the same pass,
 * also decides each frame t on the cheapest path ending at frame t + frames (fixed-lag
 * decoding: what a stream with that much look-ahead can decide) into its `out`; its last
 * `frames` frames are the whole path's. A candidate's local cost is
 * 1 - periodicity plus its subharmonic penalty from the table (no bias by absolute pitch: a low
 * voice is as voiced as a high one, and a strong formant harmonic does not outrank its F0).
 */
export function trackPitch(
  table: PitchCandidateTable,
  costs: PitchTrackerCosts,
  forceVoiced: boolean,
  choiceOut: Int8Array,
  fixedLag?: { readonly frames: number; readonly out: Int8Array },
): void {
  const T = table.frameCount;
  if (T === 0) return;
  const K = table.maxCandidates;
  const U = K; // index of the unvoiced state
  const S = K + 1;
  const back = new Uint8Array(T * S);
  let prev = createViterbiColumn(K);
  let cur = createViterbiColumn(K);
  const lag = fixedLag === undefined ? 0 : fixedLag.frames;

  for (let t = 0; t < T; t++) {
    stepPitchViterbi(table, t, costs, forceVoiced, t === 0 ? undefined : prev, cur, back, t * S);
    if (fixedLag !== undefined && lag > 0 && t >= lag) {
      let state = cheapestState(cur);
      for (let u = t; u > t - lag; u--) state = back[u * S + state] as number;
      fixedLag.out[t - lag] = state === U ? -1 : state;
    }
    [prev, cur] = [cur, prev];
  }
  const prevCost = prev.cost;
  const prevN = prev.n;

  let state = U;
  let bestCost = (prevCost[U] as number) + (forceVoiced ? 0 : (costs.unvoicedEndCost ?? 0));
  for (let k = 0; k < prevN; k++) {
    if ((prevCost[k] as number) < bestCost) {
      bestCost = prevCost[k] as number;
      state = k;
    }
  }
  for (let t = T - 1; t >= 0; t--) {
    choiceOut[t] = state === U ? -1 : state;
    if (t > 0) state = back[t * S + state] as number;
  }
  if (fixedLag !== undefined) {
    const from = Math.max(0, T - lag);
    fixedLag.out.set(choiceOut.subarray(from, T), from);
  }
}

/** Forward-pass state after a frame: path cost per state (candidates 0..n-1, unvoiced at K) and each candidate's log2 lag. */
export interface ViterbiColumn {
  readonly cost: Float64Array;
  readonly logLag: Float64Array;
  /** Candidates of the frame (0 when silent). */
  n: number;
}

/** An empty column for tables of `maxCandidates` candidates per frame. */
export function createViterbiColumn(maxCandidates: number): ViterbiColumn {
  return { cost: new Float64Array(maxCandidates + 1), logLag: new Float64Array(maxCandidates), n: 0 };
}

/** The state (candidate slot, or K for unvoiced) of lowest cost in `column`; unvoiced on ties. */
export function cheapestState(column: ViterbiColumn): number {
  const U = column.logLag.length;
  let state = U;
  for (let k = 0; k < column.n; k++)
    if ((column.cost[k] as number) < (column.cost[state] as number)) state = k;
  return state;
}

/**
 * One frame of the forward pass: the costs of frame `t` of `table` into `cur`, from `prev` (the
 * previous frame's column; undefined at the first frame), each state's best predecessor into
 * `back[backOffset + state]`. Costs are shifted so the cheapest is 0 (long inputs keep precision).
 */
export function stepPitchViterbi(
  table: PitchCandidateTable,
  t: number,
  costs: PitchTrackerCosts,
  forceVoiced: boolean,
  prev: ViterbiColumn | undefined,
  cur: ViterbiColumn,
  back: Uint8Array,
  backOffset: number,
): void {
  const K = table.maxCandidates;
  const U = K;
  const curCost = cur.cost;
  const curLog = cur.logLag;
  const biasU = 1 - 2 * costs.voicingThreshold;
  const jumpW = costs.pitchJumpCostPerOctave;
  const vcCost = forceVoiced ? 0 : costs.voicingChangeCost;
  const silent = (table.level[t] as number) < costs.silenceLevel;
  const n = silent ? 0 : (table.count[t] as number);
  const base = t * K;
  const best = n > 0 ? (table.strength[base] as number) : 0;
  const localU = forceVoiced ? (n > 0 ? 2 : 0) : n > 0 ? Math.max(0, best + biasU) : 0;
  for (let k = 0; k < n; k++) {
    const lg = Math.log2(table.lag[base + k] as number);
    curLog[k] = lg;
    const local = 1 - (table.strength[base + k] as number) + (table.penalty[base + k] as number);
    if (prev === undefined) {
      curCost[k] = local;
      continue;
    }
    let bestCost = (prev.cost[U] as number) + vcCost;
    let bestFrom = U;
    for (let j = 0; j < prev.n; j++) {
      const c = (prev.cost[j] as number) + jumpW * Math.abs(lg - (prev.logLag[j] as number));
      if (c < bestCost) {
        bestCost = c;
        bestFrom = j;
      }
    }
    curCost[k] = bestCost + local;
    back[backOffset + k] = bestFrom;
  }
  if (prev === undefined) {
    curCost[U] = localU;
  } else {
    let bestCost = prev.cost[U] as number;
    let bestFrom = U;
    for (let j = 0; j < prev.n; j++) {
      const c = (prev.cost[j] as number) + vcCost;
      if (c < bestCost) {
        bestCost = c;
        bestFrom = j;
      }
    }
    curCost[U] = bestCost + localU;
    back[backOffset + U] = bestFrom;
  }
  let minCost = curCost[U] as number;
  for (let k = 0; k < n; k++) minCost = Math.min(minCost, curCost[k] as number);
  for (let k = 0; k < n; k++) curCost[k] = (curCost[k] as number) - minCost;
  curCost[U] = (curCost[U] as number) - minCost;
  cur.n = n;
}
