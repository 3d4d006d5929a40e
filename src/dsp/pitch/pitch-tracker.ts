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
  let prevCost = new Float64Array(S);
  let curCost = new Float64Array(S);
  let prevLog = new Float64Array(K);
  let curLog = new Float64Array(K);
  const biasU = 1 - 2 * costs.voicingThreshold;
  const jumpW = costs.pitchJumpCostPerOctave;
  const lag = fixedLag === undefined ? 0 : fixedLag.frames;
  const vcCost = forceVoiced ? 0 : costs.voicingChangeCost;
  let prevN = 0;

  for (let t = 0; t < T; t++) {
    const silent = (table.level[t] as number) < costs.silenceLevel;
    const n = silent ? 0 : (table.count[t] as number);
    const base = t * K;
    const best = n > 0 ? (table.strength[base] as number) : 0;
    const localU = forceVoiced ? (n > 0 ? 2 : 0) : n > 0 ? Math.max(0, best + biasU) : 0;
    const bt = t * S;
    for (let k = 0; k < n; k++) {
      const lg = Math.log2(table.lag[base + k] as number);
      curLog[k] = lg;
      const local = 1 - (table.strength[base + k] as number) + (table.penalty[base + k] as number);
      if (t === 0) {
        curCost[k] = local;
        continue;
      }
      let bestCost = (prevCost[U] as number) + vcCost;
      let bestFrom = U;
      for (let j = 0; j < prevN; j++) {
        const c = (prevCost[j] as number) + jumpW * Math.abs(lg - (prevLog[j] as number));
        if (c < bestCost) {
          bestCost = c;
          bestFrom = j;
        }
      }
      curCost[k] = bestCost + local;
      back[bt + k] = bestFrom;
    }
    if (t === 0) {
      curCost[U] = localU;
    } else {
      let bestCost = prevCost[U] as number;
      let bestFrom = U;
      for (let j = 0; j < prevN; j++) {
        const c = (prevCost[j] as number) + vcCost;
        if (c < bestCost) {
          bestCost = c;
          bestFrom = j;
        }
      }
      curCost[U] = bestCost + localU;
      back[bt + U] = bestFrom;
    }
    // Keep costs small so that long files do not lose precision.
    let minCost = curCost[U] as number;
    for (let k = 0; k < n; k++) minCost = Math.min(minCost, curCost[k] as number);
    for (let k = 0; k < n; k++) curCost[k] = (curCost[k] as number) - minCost;
    curCost[U] = (curCost[U] as number) - minCost;

    if (fixedLag !== undefined && lag > 0 && t >= lag) {
      let state = U;
      for (let k = 0; k < n; k++) if ((curCost[k] as number) < (curCost[state] as number)) state = k;
      for (let u = t; u > t - lag; u--) state = back[u * S + state] as number;
      fixedLag.out[t - lag] = state === U ? -1 : state;
    }
    [prevCost, curCost] = [curCost, prevCost];
    [prevLog, curLog] = [curLog, prevLog];
    prevN = n;
  }

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
