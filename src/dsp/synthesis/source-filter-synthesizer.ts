import { AutoVoiceError } from '../../errors/index.js';
import { nextPowerOfTwo } from '../fft.js';
import {
  FRACTIONAL_DELAY_FIRST_OFFSET,
  FRACTIONAL_DELAY_STEPS,
  FRACTIONAL_DELAY_TABLE,
  FRACTIONAL_DELAY_TAPS,
} from '../fractional-delay.js';
import { AperiodicNoise } from './aperiodic-noise.js';
import { PulsePhaseLock } from './pulse-phase-lock.js';
import { PulseResponseBuilder, defaultPulseFftSize } from './pulse-response.js';
import { SourcePhaseAnchor } from './source-phase-anchor.js';
import type { SourceSignal } from './source-signal.js';

/**
 * WORLD-style source-filter synthesis, frame by frame. Voiced sound: one pulse per period,
 * placed by integrating F0 sample by sample (sub-sample positions via an 8-tap Kaiser-windowed
 * sinc fractional delay, flat to ~0.45·fs), each pulse rendering the minimum-phase response of the periodic power
 * envelope·(1 − aperiodicity²), cross-faded between the two frames around it and scaled by
 * sqrt(T0) so the power matches the envelope. Aperiodic sound: per frame, noise with the power
 * envelope·aperiodicity² (`AperiodicNoise`), overlap-added with
 * power-complementary sine/cosine cross-fades between frame centres. No per-frame allocation;
 * the output is produced incrementally, so batch and streaming share this one code path.
 */
export interface SynthesisOptions {
  /**
   * FFT size of the pulse responses' minimum-phase filter; 0 = the smallest power of two
   * covering 20 ms (1024 at 44.1 kHz). Longer keeps narrow formants sharper, shorter is faster.
   */
  pulseFftSize: number;
  /** Seed of the noise generator (same seed and frames → same samples). */
  seed: number;
  /**
   * How far voicing extends from a voiced frame towards an unvoiced neighbour, as a fraction of
   * the frame period (0.5 = half-way; 1 = up to the unvoiced frame's centre, which keeps the
   * periodicity a tracker hears at voicing edges where the unvoiced frame's noise fades in).
   */
  voicingEdge: number;
  /**
   * Longest shift of a pulse, ms, that keeps the fundamental's phase on the F0 contour (0 turns
   * the lock off). A minimum-phase response's phase at F0 moves as the envelope changes (a low
   * formant sliding past F0 turns it by up to ~1 rad in 20 ms); unchecked, that bends the
   * fundamental's frequency by several hertz — a pitch error a tracker, and a listener, hears.
   * Each pulse is therefore moved by Δφ/ω, where Δφ is how far its response's phase at F0 has
   * drifted since the voiced run began. Streaming latency grows by this much.
   */
  phaseLockMaxShiftMs: number;
  /**
   * Time constant, ms, with which the lock lets a lasting phase change through (keeps the
   * correction small over long notes; the frequency error that leaks is Δφ/(2π·release)).
   */
  phaseLockReleaseMs: number;
  /**
   * The recording being resynthesised, on the output's time axis, or undefined. Unvoiced frames
   * then take their fine structure (STFT phases) from it and only their spectral shape from the
   * envelope, instead of random phases: a fricative or a burst keeps its own texture and timing
   * rather than becoming fresh noise (round-trip MCD of unvoiced frames 3.2-3.9 → 1.4-2.0 dB).
   * Voiced frames' noise takes its phases from the source's aperiodic part, what is left once a
   * comb at the frame's period removes the harmonics (round-trip MCD vocadito 1.61 → 1.44 dB,
   * espeak 2.54 → 2.39; see `AperiodicNoise`). Voiced runs start in step with the source's
   * fundamental and are pulled towards it (`sourcePhaseGain`), so renderings that disagree on
   * voicing here and there still place the same pulses. For resynthesis and edits that keep the
   * source's timing and pitch (formants, timbre, breathiness). Leave it out after
   * time-stretching, and after pitch changes: frames called unvoiced can still be partly periodic
   * and would keep the old pitch, and the comb needs the source's own period.
   */
  source: SourceSignal | undefined;
  /**
   * With a `source`: fraction of the phase error between the pulse train's fundamental and the
   * source's corrected per frame (0 = only voiced runs' starts follow the source). 0.05 is a
   * 100 ms time constant; the F0 of a frame moves by gain·error·period/hop (a 0.1-cycle error at
   * 100 Hz: 1 %, 17 cents, for that frame). Much more follows the source's own phase wander and
   * costs pitch accuracy (resynthesis RPA on espeak 0.98 → 0.93 at 0.15).
   */
  sourcePhaseGain: number;
}

export const defaultSynthesisOptions: SynthesisOptions = {
  pulseFftSize: 0,
  seed: 0x5eed,
  voicingEdge: 1,
  phaseLockMaxShiftMs: 2.5,
  phaseLockReleaseMs: 200,
  source: undefined,
  sourcePhaseGain: 0.05,
};

const DELAY_TAPS = FRACTIONAL_DELAY_TAPS;
const DELAY_FIRST_OFFSET = FRACTIONAL_DELAY_FIRST_OFFSET;
const DELAY_STEPS = FRACTIONAL_DELAY_STEPS;
const DELAY_TABLE = FRACTIONAL_DELAY_TABLE;

/** Incremental synthesiser: push frames in order, read finished samples as they become final. */
export class SourceFilterSynthesizer {
  readonly sampleRate: number;
  readonly hopSamples: number;
  readonly envelopeBins: number;
  private readonly voicingEdge: number;
  /** Keeps the pulses in step with `source`; undefined without one. */
  private readonly sourceAnchor: SourcePhaseAnchor | undefined;
  private readonly phaseLock: PulsePhaseLock;
  // Pulse path.
  private readonly responses: PulseResponseBuilder;
  private readonly pulseLength: number;
  private prevResponse: Float32Array;
  private curResponse: Float32Array;
  private prevHasResponse = false;
  /** Samples of each response above -60 dB of its energy (the rest is skipped when rendering). */
  private prevResponseLength = 0;
  private curResponseLength = 0;
  private readonly mixed: Float64Array;
  private readonly noise: AperiodicNoise;
  // Frame state.
  private frameIndex = 0;
  private prevF0 = 0;
  private phase = 0;
  private pulseOnset = true;
  /** With a source: where the first pulse of a run starting at this frame goes (mod a period). */
  private onsetAnchor = Number.NaN;
  /** Phase correction per sample towards the source, for the segment being rendered. */
  private phasePull = 0;
  private lastPulsePosition = Number.NaN;
  private lastF0 = 0;
  private lastEnvelope: Float32Array;
  private lastAperiodicity: Float32Array;
  // Output ring buffer (absolute sample indices, masked).
  private ring: Float64Array;
  private mask: number;
  private readPos = 0;
  private finalPos = 0;
  private writeMax = 0;
  private finished = false;

  /**
   * `envelopeFftSize`: FFT size of the analysis (envelope/aperiodicity have envelopeFftSize/2+1
   * bins); `framePeriodMs`: frame spacing; frame t is centred at t·framePeriodMs.
   */
  constructor(
    sampleRate: number,
    framePeriodMs: number,
    envelopeFftSize: number,
    options: Partial<SynthesisOptions> = {},
  ) {
    const opts = { ...defaultSynthesisOptions, ...options };
    if (!(framePeriodMs > 0 && framePeriodMs <= 50)) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `framePeriodMs must be in (0, 50], got ${framePeriodMs}; 5 works`,
      );
    }
    if (
      opts.pulseFftSize !== 0 &&
      (opts.pulseFftSize < 64 || (opts.pulseFftSize & (opts.pulseFftSize - 1)) !== 0)
    ) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `pulseFftSize must be 0 (auto) or a power of two >= 64, got ${opts.pulseFftSize}`,
      );
    }
    this.sampleRate = sampleRate;
    this.hopSamples = (sampleRate * framePeriodMs) / 1000;
    this.envelopeBins = envelopeFftSize / 2 + 1;
    this.voicingEdge = Math.min(1, Math.max(0, opts.voicingEdge));
    if (!(opts.sourcePhaseGain >= 0 && opts.sourcePhaseGain <= 1)) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `sourcePhaseGain must be in [0, 1], got ${opts.sourcePhaseGain}; 0.05 works`,
      );
    }
    this.sourceAnchor =
      opts.source === undefined
        ? undefined
        : new SourcePhaseAnchor(opts.source, sampleRate, opts.sourcePhaseGain, this.hopSamples);
    if (!(opts.phaseLockMaxShiftMs >= 0 && opts.phaseLockMaxShiftMs <= 10)) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `phaseLockMaxShiftMs must be in [0, 10], got ${opts.phaseLockMaxShiftMs}; 2.5 works`,
      );
    }
    if (!(opts.phaseLockReleaseMs > 0)) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `phaseLockReleaseMs must be positive, got ${opts.phaseLockReleaseMs}; 200 works`,
      );
    }
    this.phaseLock = new PulsePhaseLock(
      sampleRate,
      Math.ceil((opts.phaseLockMaxShiftMs * sampleRate) / 1000),
      (opts.phaseLockReleaseMs * sampleRate) / 1000,
    );
    const fftSize = opts.pulseFftSize > 0 ? opts.pulseFftSize : defaultPulseFftSize(sampleRate);
    this.responses = new PulseResponseBuilder(sampleRate, this.envelopeBins, fftSize);
    const pulseSize = this.responses.length;
    this.pulseLength = pulseSize;
    this.prevResponse = this.responses.createBuffer();
    this.curResponse = this.responses.createBuffer();
    this.mixed = new Float64Array(pulseSize);
    this.noise = new AperiodicNoise(sampleRate, this.envelopeBins, this.hopSamples, opts.seed, opts.source);
    const capacity = nextPowerOfTwo(pulseSize + 2 * this.noise.size + 4 * Math.ceil(this.hopSamples) + 64);
    this.ring = new Float64Array(capacity);
    this.mask = capacity - 1;
    this.lastEnvelope = new Float32Array(this.envelopeBins);
    this.lastAperiodicity = new Float32Array(this.envelopeBins);
  }

  /** Samples of delay between a frame's arrival and the samples up to its centre being final. */
  get latencySamples(): number {
    return 3 + this.phaseLock.maxShiftSamples;
  }

  /** Number of finished samples waiting to be read. */
  get availableSamples(): number {
    return this.finalPos - this.readPos;
  }

  /**
   * Adds the next frame: F0 in Hz (0 = unvoiced), power envelope and aperiodicity (0..1)
   * on the analysis grid (envelopeFftSize/2+1 bins each; copied, not kept).
   */
  pushFrame(f0Hz: number, envelope: Float32Array, aperiodicity: Float32Array): void {
    if (this.finished)
      throw new AutoVoiceError('dsp.invalid_option', 'pushFrame after finish(); create a new synthesiser');
    if (envelope.length !== this.envelopeBins || aperiodicity.length !== this.envelopeBins) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `frames must have ${this.envelopeBins} bins, got ${envelope.length}/${aperiodicity.length}`,
      );
    }
    const t = this.frameIndex;
    const f0 = Number.isFinite(f0Hz) && f0Hz > 0 ? Math.min(f0Hz, this.sampleRate / 4) : 0;
    const hop = this.hopSamples;
    const startPrev = Math.ceil((t - 1) * hop); // s_{t-1}
    const startCur = Math.ceil(t * hop); // s_t
    const startNext = Math.ceil((t + 1) * hop); // s_{t+1}
    this.ensureCapacity(Math.max(startNext, startCur + this.pulseLength + 4));
    // Periodic response of this frame (voiced frames only).
    const swap = this.prevResponse;
    this.prevResponse = this.curResponse;
    this.curResponse = swap;
    this.prevResponseLength = this.curResponseLength;
    const prevHas = this.prevHasResponse;
    const curHas = f0 > 0;
    if (curHas) this.curResponseLength = this.responses.compute(envelope, aperiodicity, f0, this.curResponse);
    const anchor = this.sourceAnchor;
    this.onsetAnchor =
      anchor !== undefined && curHas && !prevHas
        ? anchor.pulseTime(t * hop, f0, this.curResponse, this.curResponseLength)
        : Number.NaN;
    if (t > 0) this.renderPulses(startPrev, startCur, (t - 1) * hop, prevHas, curHas, this.prevF0, f0);
    // Pull only a run that has placed a pulse (the last one is where the train stands).
    this.phasePull =
      anchor !== undefined && curHas && prevHas && !this.pulseOnset && Number.isFinite(this.lastPulsePosition)
        ? anchor.pullPerSample(this.lastPulsePosition, t * hop, f0, this.curResponse, this.curResponseLength)
        : 0;
    this.renderNoise(t, f0, envelope, aperiodicity, startPrev, startCur, startNext);
    this.prevHasResponse = curHas;
    this.prevF0 = f0;
    this.lastF0 = f0;
    this.lastEnvelope.set(envelope);
    this.lastAperiodicity.set(aperiodicity);
    this.frameIndex = t + 1;
    // Pulses of the next segment start after s_t - 1, may be moved back by the phase lock, and the
    // delay taps reach 3 samples further back.
    this.finalPos = Math.max(
      this.finalPos,
      startCur - 1 + DELAY_FIRST_OFFSET - this.phaseLock.maxShiftSamples,
    );
  }

  /** Ends the stream: holds the last frame for one more period and makes every sample final. */
  finish(): void {
    if (this.finished) return;
    if (this.frameIndex > 0) this.pushFrame(this.lastF0, this.lastEnvelope, this.lastAperiodicity);
    this.finished = true;
    this.finalPos = Math.max(this.finalPos, this.writeMax);
  }

  /** Copies up to `maxCount` finished samples into `dest` at `offset`; returns how many. */
  readInto(dest: Float32Array, offset: number, maxCount = dest.length - offset): number {
    const count = Math.max(0, Math.min(maxCount, this.finalPos - this.readPos, dest.length - offset));
    const ring = this.ring;
    const mask = this.mask;
    for (let i = 0; i < count; i++) {
      const idx = (this.readPos + i) & mask;
      dest[offset + i] = ring[idx] as number;
      ring[idx] = 0;
    }
    this.readPos += count;
    return count;
  }

  /** Discards up to `count` finished samples (e.g. beyond the wanted length). */
  skip(count: number): void {
    const n = Math.max(0, Math.min(count, this.finalPos - this.readPos));
    for (let i = 0; i < n; i++) this.ring[(this.readPos + i) & this.mask] = 0;
    this.readPos += n;
  }

  private ensureCapacity(maxIndex: number): void {
    this.writeMax = Math.max(this.writeMax, maxIndex);
    const needed = maxIndex - this.readPos + 8;
    if (needed <= this.ring.length) return;
    // The reader fell behind: grow (rare; only when the caller reads lazily).
    const capacity = nextPowerOfTwo(needed * 2);
    const grown = new Float64Array(capacity);
    for (let i = this.readPos; i < this.readPos + this.ring.length; i++) {
      grown[i & (capacity - 1)] = this.ring[i & this.mask] as number;
    }
    this.ring = grown;
    this.mask = capacity - 1;
  }

  /** Pulses in samples [from, to) between frame t-1 (centre `prevCentre`) and frame t. */
  private renderPulses(
    from: number,
    to: number,
    prevCentre: number,
    prevHas: boolean,
    curHas: boolean,
    f0Prev: number,
    f0Cur: number,
  ): void {
    if (!prevHas && !curHas) {
      this.pulseOnset = true;
      this.phaseLock.reset();
      return;
    }
    const fs = this.sampleRate;
    const hop = this.hopSamples;
    for (let n = from; n < to; n++) {
      const alpha = (n - prevCentre) / hop;
      let f0: number;
      if (prevHas && curHas) f0 = f0Prev + (f0Cur - f0Prev) * alpha;
      else if (prevHas) f0 = alpha < this.voicingEdge ? f0Prev : 0;
      else f0 = alpha >= 1 - this.voicingEdge ? f0Cur : 0;
      if (f0 <= 0) {
        this.pulseOnset = true;
        this.phaseLock.reset();
        continue;
      }
      const inc = f0 / fs;
      let position: number;
      if (this.pulseOnset) {
        this.pulseOnset = false;
        this.phase = 0;
        this.lastPulsePosition = Number.NaN;
        if (!prevHas && Number.isFinite(this.onsetAnchor)) {
          // In step with the source: the first pulse falls on the anchor's period grid.
          const period = 1 / inc;
          const wait = (((this.onsetAnchor - n) % period) + period) % period;
          if (wait >= 1) {
            this.phase = 1 - wait * inc;
            continue;
          }
        }
        position = n;
      } else {
        this.phase += inc + this.phasePull;
        if (this.phase < 1) continue;
        this.phase -= 1;
        position = n - this.phase / inc;
      }
      const beta = Math.min(1, Math.max(0, (position - prevCentre) / hop));
      this.addPulse(position, Math.sqrt(fs / f0), prevHas ? (curHas ? beta : 0) : 1, f0);
    }
  }

  /**
   * Adds one pulse at fractional sample `position` (moved by the phase lock), gain `gain`,
   * response mix `beta` (0 = prev, 1 = cur), for fundamental `f0` Hz.
   */
  private addPulse(position: number, gain: number, beta: number, f0: number): void {
    const length =
      beta <= 0
        ? this.prevResponseLength
        : beta >= 1
          ? this.curResponseLength
          : Math.max(this.prevResponseLength, this.curResponseLength);
    const mixed = this.mixed;
    const a = this.prevResponse;
    const b = this.curResponse;
    const wa = gain * (1 - beta);
    const wb = gain * beta;
    for (let k = 0; k < length; k++) mixed[k] = wa * (a[k] as number) + wb * (b[k] as number);
    if (this.phaseLock.maxShiftSamples > 0) position += this.phaseLock.shift(mixed, length, f0);
    this.lastPulsePosition = position;
    const base = Math.floor(position);
    const q = Math.round((position - base) * DELAY_STEPS) * DELAY_TAPS;
    const ring = this.ring;
    const mask = this.mask;
    // y[base + m + d] += h[m]·c_d(δ) for the taps d = -3..4.
    for (let j = 0; j < DELAY_TAPS; j++) {
      const c = DELAY_TABLE[q + j] as number;
      if (c === 0) continue;
      const start = base + DELAY_FIRST_OFFSET + j;
      for (let k = 0; k < length; k++) {
        const idx = (start + k) & mask;
        ring[idx] = (ring[idx] as number) + c * (mixed[k] as number);
      }
    }
  }

  /** Overlap-adds frame t's noise with sine/cosine cross-fades from frame t-1's centre to t+1's. */
  private renderNoise(
    t: number,
    f0: number,
    envelope: Float32Array,
    aperiodicity: Float32Array,
    startPrev: number,
    startCur: number,
    startNext: number,
  ): void {
    const noise = this.noise.render(t, f0, envelope, aperiodicity, startPrev, startNext - startPrev);
    if (noise === undefined) return;
    const hop = this.hopSamples;
    const prevCentre = (t - 1) * hop;
    const centre = t * hop;
    const ring = this.ring;
    const mask = this.mask;
    // sin/cos cross-fade by rotation (no per-sample trig): (c, s) = (cos, sin) of π/2·α.
    const theta = Math.PI / 2 / hop;
    const rotC = Math.cos(theta);
    const rotS = Math.sin(theta);
    const from = Math.max(0, startPrev);
    let phase = (Math.PI / 2) * ((from - prevCentre) / hop);
    let cr = Math.cos(phase);
    let sr = Math.sin(phase);
    let inRise = true;
    for (let n = from; n < startNext; n++) {
      if (inRise && n >= startCur) {
        inRise = false;
        phase = (Math.PI / 2) * ((n - centre) / hop);
        cr = Math.cos(phase);
        sr = Math.sin(phase);
      }
      const w = inRise ? sr : cr;
      const nc = cr * rotC - sr * rotS;
      sr = sr * rotC + cr * rotS;
      cr = nc;
      ring[n & mask] = (ring[n & mask] as number) + w * (noise[n - startPrev] as number);
    }
  }
}
