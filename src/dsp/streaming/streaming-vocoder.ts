import { AutoVoiceError } from '../../errors/index.js';
import {
  VoiceFrameAnalyzer,
  capAperiodicity,
  defaultVoiceAnalysisOptions,
  f0Slope,
  frameCenterSample,
  voiceFrameCount,
} from '../analysis.js';
import type { AperiodicityOptions } from '../aperiodicity/index.js';
import type { SpectralEnvelopeOptions } from '../envelope/index.js';
import { createF0RepairState, repairF0Frame } from '../f0-glitch-repair.js';
import type { F0Options } from '../pitch/index.js';
import { StreamingF0Tracker } from '../pitch/streaming-f0-tracker.js';
import { SlidingBuffer } from '../sliding-buffer.js';
import { SourceFilterSynthesizer, type SourceSignal, type SynthesisOptions } from '../synthesis/index.js';

/**
 * One analysed frame as the streaming vocoder hands it to the `transform` hook, which may change
 * any field in place (F0 in Hz, 0 = unvoiced; envelope and aperiodicity on fftSize/2+1 bins)
 * before the frame is synthesised — the place where realtime conversion plugs in.
 */
export interface StreamingFrame {
  /** Frame index (frame i is centred at i·framePeriodMs). */
  readonly index: number;
  readonly sampleRate: number;
  readonly fftSize: number;
  f0Hz: number;
  readonly envelope: Float32Array;
  readonly aperiodicity: Float32Array;
}

/** Options of `createStreamingVocoder`. */
export interface StreamingVocoderOptions {
  /** Hop between frames, ms. */
  framePeriodMs: number;
  /**
   * Input needed beyond a frame's centre before it is analysed, ms: must cover the longest
   * analysis half-window (two periods of the envelope's F0 floor, 28 ms at 71 Hz) and gives
   * the F0 tracker its future context. The tracker's running median (F0Options
   * medianFilterFrames) reads two frames past each frame it decides; 35 ms keeps those two as
   * well measured as batch analysis measures them (at 30 ms, the refinement of a low voice's
   * period lost its window near the end of the input seen so far, and flite rms drifted to
   * 0.70 dB MCD from batch).
   */
  lookAheadMs: number;
  /**
   * Frames whose F0 is decided at once (more = a little less CPU, 5 ms more latency each). 1
   * buys the 5 ms of look-ahead above within the same 47.8 ms latency.
   */
  f0BlockFrames: number;
  /** F0 tracker options (framePeriodMs is taken from above). */
  f0: Partial<F0Options>;
  envelope: Partial<SpectralEnvelopeOptions>;
  aperiodicity: Partial<AperiodicityOptions>;
  synthesis: Partial<SynthesisOptions>;
  /**
   * The input buffer is the synthesiser's `source` (SynthesisOptions.source): unvoiced frames
   * keep the input's fine structure instead of fresh noise, and pulses keep in step with the
   * input's fundamental, as batch resynthesis with the recording as source does; undefined = yes
   * when there is no `transform`. With a hook that moves the pitch, leave it off: frames called
   * unvoiced can still be partly periodic and would carry the input's pitch through.
   */
  inputAsSource: boolean | undefined;
  /** Per-frame hook run between analysis and synthesis (see StreamingFrame). */
  transform: ((frame: StreamingFrame) => void) | undefined;
}

export const defaultStreamingVocoderOptions: StreamingVocoderOptions = {
  framePeriodMs: 5,
  lookAheadMs: 35,
  f0BlockFrames: 1,
  f0: {},
  envelope: {},
  aperiodicity: {},
  synthesis: {},
  inputAsSource: undefined,
  transform: undefined,
};

/** A running streaming vocoder. */
export interface StreamingVocoder {
  /** Feeds input samples; returns the output samples that became final (may be empty). */
  push(chunk: Float32Array): Float32Array;
  /** Ends the input; returns the remaining output. Total output length = total input length. */
  flush(): Float32Array;
  /** Upper bound of output delay behind input, samples (look-ahead + F0 block + one frame). */
  readonly latencySamples: number;
  readonly sampleRate: number;
}

/**
 * Frame-by-frame analysis → (transform) → synthesis with bounded look-ahead. Frames are analysed
 * with the same code as `analyzeVoice`, and the synthesiser is the batch one, so the output
 * matches batch resynthesis up to F0 differences: the incremental tracker
 * (`StreamingF0Tracker`) keeps the whole past in its path costs but decides each frame with
 * only the look-ahead's worth of future, where batch analysis sees the whole file. Latency with defaults: 35 (look-ahead) + 5 (F0 block) + 5 (frame) + 2.5 (phase-lock
 * reach) ms ≈ 47.8 ms.
 */
export function createStreamingVocoder(
  sampleRate: number,
  options: Partial<StreamingVocoderOptions> = {},
): StreamingVocoder {
  return new StreamingVocoderImpl(sampleRate, { ...defaultStreamingVocoderOptions, ...options });
}

class StreamingVocoderImpl implements StreamingVocoder {
  readonly sampleRate: number;
  readonly latencySamples: number;
  private readonly opts: StreamingVocoderOptions;
  private readonly hop: number;
  private readonly lookAheadSamples: number;
  private readonly analyzer: VoiceFrameAnalyzer;
  private readonly synth: SourceFilterSynthesizer;
  private readonly frame: StreamingFrame;
  private readonly maxHalfWindow: number;
  /** Bins of the band capAperiodicity measures (as analyzeVoice's default). */
  private readonly capBins: number;
  /** The input, by absolute sample index, from what the oldest frame still to come needs. */
  private readonly input = new SlidingBuffer((n) => new Float32Array(n), 4096);
  /** Decided F0 per frame (absolute frame index), kept from the frame before the next one synthesised. */
  private readonly f0 = new SlidingBuffer((n) => new Float32Array(n), 256);
  private readonly tracker: StreamingF0Tracker;
  private readonly repair = createF0RepairState();
  private readonly periodicity = new SlidingBuffer((n) => new Float32Array(n), 256);
  private nextFrame = 0;
  private emitted = 0;
  private flushed = false;

  constructor(sampleRate: number, opts: StreamingVocoderOptions) {
    if (!(opts.framePeriodMs >= 1 && opts.framePeriodMs <= 50)) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `framePeriodMs must be 1..50, got ${opts.framePeriodMs}; 5 works`,
      );
    }
    if (!(Number.isInteger(opts.f0BlockFrames) && opts.f0BlockFrames >= 1 && opts.f0BlockFrames <= 100)) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `f0BlockFrames must be an integer 1..100, got ${opts.f0BlockFrames}`,
      );
    }
    this.sampleRate = sampleRate;
    this.opts = opts;
    this.hop = (sampleRate * opts.framePeriodMs) / 1000;
    this.analyzer = new VoiceFrameAnalyzer(sampleRate, opts.envelope, opts.aperiodicity);
    this.tracker = new StreamingF0Tracker(sampleRate, { ...opts.f0, framePeriodMs: opts.framePeriodMs });
    const f0FloorHz = opts.envelope.f0FloorHz ?? 71;
    this.maxHalfWindow = this.analyzer.maxHalfWindowSamples(sampleRate, f0FloorHz) + 8;
    const minLookAhead = (this.maxHalfWindow * 1000) / sampleRate;
    if (!(opts.lookAheadMs >= minLookAhead - 1e-9 && opts.lookAheadMs <= 1000)) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `lookAheadMs must be at least ${minLookAhead.toFixed(1)} ms (the analysis half-window at the F0 floor), got ${opts.lookAheadMs}`,
      );
    }
    this.lookAheadSamples = Math.ceil((opts.lookAheadMs * sampleRate) / 1000);
    this.capBins = Math.round(
      (defaultVoiceAnalysisOptions.periodicityBandHz * this.analyzer.fftSize) / sampleRate,
    );
    // The synthesiser reads the noise's texture from the input buffer: frame t needs input from
    // one hop before its centre to one hop after, and a voiced frame one period (plus 8
    // interpolator taps) beyond that on each side. The analysis half-window at the envelope's F0
    // floor (2 periods at 71 Hz, 28 ms) keeps it for F0 down to ~43 Hz, below the tracker's
    // default floor (50 Hz); what lies beyond the buffer would read as silence.
    const inputSource: SourceSignal = {
      read: (start, out, length) => {
        const x = this.input;
        for (let i = 0; i < length; i++) {
          const j = start + i;
          out[i] = j >= x.start && j < x.end ? x.at(j) : 0;
        }
      },
    };
    this.synth = new SourceFilterSynthesizer(sampleRate, opts.framePeriodMs, this.analyzer.fftSize, {
      ...opts.synthesis,
      ...((opts.inputAsSource ?? opts.transform === undefined) ? { source: inputSource } : {}),
    });
    const bins = this.analyzer.binCount;
    this.frame = {
      index: 0,
      sampleRate,
      fftSize: this.analyzer.fftSize,
      f0Hz: 0,
      envelope: new Float32Array(bins),
      aperiodicity: new Float32Array(bins),
    };
    this.latencySamples =
      this.lookAheadSamples + Math.ceil(this.hop * (opts.f0BlockFrames + 1)) + 1 + this.synth.latencySamples;
  }

  push(chunk: Float32Array): Float32Array {
    if (this.flushed)
      throw new AutoVoiceError('dsp.invalid_option', 'push after flush(); create a new streaming vocoder');
    for (let i = 0; i < chunk.length; i++) {
      if (!Number.isFinite(chunk[i] as number)) {
        throw new AutoVoiceError(
          'audio.invalid_samples',
          `sample ${this.input.end + i} is not a finite number`,
        );
      }
    }
    // Release what no future frame needs, then append.
    this.input.discardBefore(this.oldestNeededSample());
    this.input.append(chunk);
    this.tracker.push(chunk);
    this.advance(false);
    return this.drain(Number.POSITIVE_INFINITY);
  }

  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.tracker.finish();
    this.advance(true);
    this.synth.finish();
    this.flushed = true;
    return this.drain(this.input.end - this.emitted);
  }

  private oldestNeededSample(): number {
    const analysisStart =
      frameCenterSample(this.nextFrame, this.sampleRate, this.opts.framePeriodMs) - this.maxHalfWindow;
    return Math.max(0, analysisStart);
  }

  /** Estimates F0 for newly covered frames and synthesises every frame whose inputs are complete. */
  private advance(final: boolean): void {
    const inputEnd = this.input.end;
    const totalFrames = voiceFrameCount(inputEnd, this.sampleRate, this.opts.framePeriodMs);
    const covered = final
      ? totalFrames
      : Math.max(0, Math.min(totalFrames, Math.floor((inputEnd - this.lookAheadSamples) / this.hop) + 1));
    if (covered > this.f0.end && (final || covered - this.f0.end >= this.opts.f0BlockFrames))
      this.trackF0(covered);
    const last = final ? this.f0.end : this.f0.end - 1; // frame t needs F0 of t+1 (its slope)
    const bins = this.analyzer.binCount;
    // Frames from f0.start on (at least the one before nextFrame: f0Slope reads t - 1).
    const known = this.f0.data.subarray(0, this.f0.end - this.f0.start);
    const first = this.f0.start;
    while (this.nextFrame < last) {
      const t = this.nextFrame;
      const center = frameCenterSample(t, this.sampleRate, this.opts.framePeriodMs);
      const f0 = known[t - first] as number;
      const frame = this.frame;
      this.analyzer.analyzeFrame(
        this.input.data.subarray(0, inputEnd - this.input.start),
        center - this.input.start,
        f0,
        frame.envelope,
        frame.aperiodicity,
        f0Slope(known, t - first, this.opts.framePeriodMs),
      );
      if (f0 > 0) capAperiodicity(frame.envelope, frame.aperiodicity, this.periodicity.at(t), this.capBins);
      if (this.opts.transform !== undefined) {
        (frame as { index: number }).index = t;
        frame.f0Hz = f0;
        this.opts.transform(frame);
        if (frame.envelope.length !== bins || frame.aperiodicity.length !== bins) {
          throw new AutoVoiceError(
            'dsp.invalid_option',
            'the transform hook must not replace the frame arrays',
          );
        }
      } else {
        frame.f0Hz = f0;
      }
      this.synth.pushFrame(frame.f0Hz, frame.envelope, frame.aperiodicity);
      this.nextFrame = t + 1;
    }
    this.f0.discardBefore(this.nextFrame - 1);
    this.periodicity.discardBefore(this.nextFrame - 1);
  }

  private trackF0(upToFrame: number): void {
    const decided = this.tracker.decide(this.f0.end, upToFrame);
    for (let j = 0; j < decided.f0Hz.length; j++)
      this.f0.push(repairF0Frame(decided.f0Hz[j] as number, this.repair));
    this.periodicity.append(decided.confidence);
  }

  private drain(maxCount: number): Float32Array {
    const count = Math.max(0, Math.min(this.synth.availableSamples, maxCount));
    const out = new Float32Array(count);
    this.synth.readInto(out, 0, count);
    this.emitted += count;
    return out;
  }
}
