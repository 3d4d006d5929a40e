/**
 * Predominant-melody (lead vocal F0) tracking over a salience matrix: the lead line is the most
 * salient, smooth path in the vocal range. Each frame keeps its few strongest salience peaks as
 * candidates; a Viterbi search over candidates plus an "unvoiced" state picks a path that
 * (a) prefers salient candidates, (b) pays for pitch jumps in proportion to their size (so the
 * path does not hop between chord notes and the bass), and (c) pays for switching voicing.
 * A prior over F0 favours the singing range, which is what keeps the tracker off the bass line:
 * harmonic summation alone gives a loud, harmonic-rich bass the highest salience.
 * Voiced runs shorter than a note's minimum length are dropped afterwards.
 */
import { salienceBinToHz, type MelodySalience } from './melody-salience.js';

/** Options of the melody tracker. */
export interface MelodyTrackerOptions {
  /** Candidates (salience peaks) kept per frame. */
  candidatesPerFrame: number;
  /** Singing range: the prior is 1 between these, rolling off outside, Hz. */
  vocalLowHz: number;
  vocalHighHz: number;
  /** Prior roll-off outside the range, in octaves per factor e (larger = gentler). */
  priorRolloffOctaves: number;
  /** Path cost per semitone of pitch change between consecutive frames (log-salience units). */
  jumpCostPerSemitone: number;
  /** Pitch change free of cost per frame (vibrato, glides), semitones. */
  freeJumpSemitones: number;
  /** Cost of switching between voiced and unvoiced. */
  voicingSwitchCost: number;
  /**
   * Voicing threshold: a frame is voiced when its best candidate's salience exceeds this
   * fraction of the excerpt's typical (90th percentile) melody salience.
   */
  voicingThreshold: number;
  /** Voiced runs shorter than this are made unvoiced, frames. */
  minVoicedFrames: number;
  /**
   * Weight of the movement cue (see trackMelody's `moving`): a candidate whose salience keeps less
   * of itself after steady partials are removed than the frame's most "moving" candidate pays
   * movementWeight·ln(its ratio / the best ratio). 0 disables the cue.
   */
  movementWeight: number;
}

export const defaultMelodyTrackerOptions: MelodyTrackerOptions = {
  candidatesPerFrame: 8,
  vocalLowHz: 120,
  vocalHighHz: 1000,
  priorRolloffOctaves: 0.35,
  jumpCostPerSemitone: 0.35,
  freeJumpSemitones: 0.3,
  voicingSwitchCost: 2.5,
  voicingThreshold: 0.15,
  minVoicedFrames: 5,
  movementWeight: 1.5,
};

/** A melody track on the salience frame grid. */
export interface MelodyTrack {
  /** F0 per frame in Hz, 0 where unvoiced. */
  readonly f0Hz: Float32Array;
  /** Salience of the chosen candidate relative to the excerpt's reference level (0 unvoiced). */
  readonly strength: Float32Array;
  /**
   * Best pitch guess for every frame, voiced or not (Hz, always > 0 where the mixture has any
   * harmonic content) — MIREX's convention of reporting a pitch under an "unvoiced" decision,
   * so pitch accuracy and voicing detection can be scored apart.
   */
  readonly pitchGuessHz: Float32Array;
}

/** Prior weight of an F0 for the lead vocal (1 inside the singing range). */
export function vocalRangePrior(
  hz: number,
  opts: Pick<MelodyTrackerOptions, 'vocalLowHz' | 'vocalHighHz' | 'priorRolloffOctaves'>,
): number {
  if (hz < opts.vocalLowHz) return Math.exp(-Math.log2(opts.vocalLowHz / hz) / opts.priorRolloffOctaves);
  if (hz > opts.vocalHighHz) return Math.exp(-Math.log2(hz / opts.vocalHighHz) / opts.priorRolloffOctaves);
  return 1;
}

function percentile(values: Float64Array, q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] as number;
}

/**
 * Tracks the predominant melody through `salience` (see file header). `moving`, when given, is
 * the salience of the same mixture after steady partials were removed (suppressStationaryPartials):
 * sung notes move (vibrato, glides, drift) and keep more of their salience there than held
 * chords do. It is used only to rank the candidates *within* a frame, so a singer who holds a
 * note dead steady with no competition is still tracked and voiced.
 */
export function trackMelody(
  salience: MelodySalience,
  options: Partial<MelodyTrackerOptions> = {},
  moving?: MelodySalience,
): MelodyTrack {
  const opts: MelodyTrackerOptions = { ...defaultMelodyTrackerOptions, ...options };
  const frameCount = salience.frames.length;
  const K = opts.candidatesPerFrame;
  const nb = salience.binCount;
  const bps = salience.binsPerSemitone;
  const prior = new Float64Array(nb);
  for (let b = 0; b < nb; b++) prior[b] = vocalRangePrior(salienceBinToHz(b, salience.minF0Hz, bps), opts);

  // Candidates: weighted salience peaks with sub-bin positions.
  const candBin = new Float64Array(frameCount * K);
  const candVal = new Float64Array(frameCount * K);
  const candCount = new Int32Array(frameCount);
  const frameMax = new Float64Array(frameCount);
  for (let t = 0; t < frameCount; t++) {
    const s = salience.frames[t] as Float32Array;
    let count = 0;
    for (let b = 1; b < nb - 1; b++) {
      const v = (s[b] as number) * (prior[b] as number);
      if (v <= 0 || (s[b] as number) < (s[b - 1] as number) || (s[b] as number) < (s[b + 1] as number))
        continue;
      const y0 = s[b - 1] as number;
      const y2 = s[b + 1] as number;
      const denom = y0 - 2 * (s[b] as number) + y2;
      const delta = denom < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / denom)) : 0;
      // Insert into the frame's top-K (small K: insertion sort).
      let pos = count < K ? count : K;
      if (pos === K && v <= (candVal[t * K + K - 1] as number)) continue;
      if (count < K) count++;
      pos = Math.min(pos, K - 1);
      while (pos > 0 && (candVal[t * K + pos - 1] as number) < v) {
        candVal[t * K + pos] = candVal[t * K + pos - 1] as number;
        candBin[t * K + pos] = candBin[t * K + pos - 1] as number;
        pos--;
      }
      candVal[t * K + pos] = v;
      candBin[t * K + pos] = b + delta;
    }
    candCount[t] = count;
    frameMax[t] = count > 0 ? (candVal[t * K] as number) : 0;
    const m = moving?.frames[t];
    if (m !== undefined && opts.movementWeight > 0 && count > 1) {
      // Movement ratio per candidate, relative to the frame's most moving candidate.
      let best = 0;
      const ratios: number[] = [];
      for (let c = 0; c < count; c++) {
        const b = Math.round(candBin[t * K + c] as number);
        ratios.push(Math.min(2, ((m[b] as number) + 1e-12) / ((s[b] as number) + 1e-12)));
      }
      for (const r of ratios) if (r > best) best = r;
      for (let c = 0; c < count; c++)
        candVal[t * K + c] =
          (candVal[t * K + c] as number) *
          Math.max(1e-3, (ratios[c] as number) / best) ** opts.movementWeight;
    }
  }
  const reference = Math.max(1e-12, percentile(frameMax, 0.9));
  const cands: Candidates = {
    bin: candBin,
    value: candVal,
    count: candCount,
    perFrame: K,
    frames: frameCount,
  };
  const voicedPath = viterbi(cands, reference, bps, opts, true);
  const guessPath = viterbi(cands, reference, bps, opts, false);
  const f0Hz = new Float32Array(frameCount);
  const strength = new Float32Array(frameCount);
  const pitchGuessHz = new Float32Array(frameCount);
  for (let t = 0; t < frameCount; t++) {
    const v = voicedPath[t] as number;
    const g = v >= 0 ? v : (guessPath[t] as number);
    if (g >= 0) pitchGuessHz[t] = salienceBinToHz(candBin[t * K + g] as number, salience.minF0Hz, bps);
    if (v >= 0) {
      f0Hz[t] = pitchGuessHz[t] as number;
      strength[t] = (candVal[t * K + v] as number) / reference;
    }
  }
  dropShortRuns(f0Hz, strength, opts.minVoicedFrames);
  return { f0Hz, strength, pitchGuessHz };
}

interface Candidates {
  bin: Float64Array;
  value: Float64Array;
  count: Int32Array;
  perFrame: number;
  frames: number;
}

/**
 * Best path through the candidates: per frame the chosen candidate index, or −1 for unvoiced.
 * With `allowUnvoiced` false the path is pitched wherever a frame has any candidate.
 */
function viterbi(
  cands: Candidates,
  reference: number,
  bps: number,
  opts: MelodyTrackerOptions,
  allowUnvoiced: boolean,
): Int32Array {
  const { bin: candBin, value: candVal, count: candCount, perFrame: K, frames: frameCount } = cands;
  // Viterbi over K candidates + unvoiced (state K). Scores are log-domain.
  const S = K + 1;
  const back = new Int8Array(frameCount * S);
  let prev = new Float64Array(S).fill(-Infinity);
  let cur = new Float64Array(S);
  // Without voicing, the unvoiced state only bridges frames that have no candidate at all.
  const unvoicedScore = allowUnvoiced ? Math.log(opts.voicingThreshold) : -1e6;
  const emission = (t: number, k: number): number =>
    k === K ? unvoicedScore : Math.log((candVal[t * K + k] as number) / reference + 1e-9);
  for (let k = 0; k < S; k++) prev[k] = k === K || k < (candCount[0] as number) ? emission(0, k) : -Infinity;
  for (let t = 1; t < frameCount; t++) {
    for (let k = 0; k < S; k++) {
      if (k !== K && k >= (candCount[t] as number)) {
        cur[k] = -Infinity;
        continue;
      }
      let best = -Infinity;
      let arg = K;
      for (let j = 0; j < S; j++) {
        const p = prev[j] as number;
        if (p === -Infinity) continue;
        let cost: number;
        if (j === K && k === K) cost = 0;
        else if (j === K || k === K) cost = opts.voicingSwitchCost;
        else {
          const jump = Math.abs((candBin[t * K + k] as number) - (candBin[(t - 1) * K + j] as number)) / bps;
          cost = Math.max(0, jump - opts.freeJumpSemitones) * opts.jumpCostPerSemitone;
        }
        const score = p - cost;
        if (score > best) {
          best = score;
          arg = j;
        }
      }
      cur[k] = best + emission(t, k);
      back[t * S + k] = arg;
    }
    const tmp = prev;
    prev = cur;
    cur = tmp;
  }
  const path = new Int32Array(frameCount).fill(-1);
  if (frameCount === 0) return path;
  let state = 0;
  for (let k = 1; k < S; k++) if ((prev[k] as number) > (prev[state] as number)) state = k;
  for (let t = frameCount - 1; t >= 0; t--) {
    path[t] = state === K ? -1 : state;
    if (t > 0) state = back[t * S + state] as number;
  }
  return path;
}

function dropShortRuns(f0Hz: Float32Array, strength: Float32Array, minFrames: number): void {
  let start = -1;
  for (let t = 0; t <= f0Hz.length; t++) {
    const voiced = t < f0Hz.length && (f0Hz[t] as number) > 0;
    if (voiced && start < 0) start = t;
    if (!voiced && start >= 0) {
      if (t - start < minFrames) {
        f0Hz.fill(0, start, t);
        strength.fill(0, start, t);
      }
      start = -1;
    }
  }
}
