import { AutoVoiceError } from '../../errors/index.js';
import type { VoiceAnalysis } from '../analysis.js';

/**
 * Pitch shift by `semitones` (positive = up): every voiced F0 is multiplied by 2^(semitones/12).
 * The envelope is untouched, so formants stay where they are. Returns a new analysis sharing the
 * unchanged spectral frames.
 */
export function shiftPitch(analysis: VoiceAnalysis, semitones: number): VoiceAnalysis {
  if (!Number.isFinite(semitones) || Math.abs(semitones) > 48) {
    throw new AutoVoiceError(
      'dsp.invalid_option',
      `semitones must be a finite number within ±48, got ${semitones}`,
    );
  }
  const ratio = 2 ** (semitones / 12);
  const f0Hz = new Float32Array(analysis.f0Hz.length);
  for (let t = 0; t < f0Hz.length; t++)
    f0Hz[t] = (analysis.voiced[t] as number) !== 0 ? (analysis.f0Hz[t] as number) * ratio : 0;
  return { ...analysis, f0Hz, voiced: Uint8Array.from(analysis.voiced) };
}

/**
 * Replaces the F0 contour by `f0Hz` (Hz per frame, 0 = unvoiced; same frame count as the
 * analysis). Frames that become voiced but were analysed as unvoiced keep their all-noise
 * aperiodicity (they sound breathy); frames that become unvoiced render as noise.
 */
export function replaceF0(analysis: VoiceAnalysis, f0Hz: Float32Array): VoiceAnalysis {
  const frames = analysis.f0Hz.length;
  if (f0Hz.length !== frames) {
    throw new AutoVoiceError(
      'dsp.invalid_option',
      `replaceF0 needs one F0 value per frame (${frames}), got ${f0Hz.length}; resample the contour to the analysis frame grid`,
    );
  }
  const nyquist = analysis.sampleRate / 2;
  const f0 = new Float32Array(frames);
  const voiced = new Uint8Array(frames);
  for (let t = 0; t < frames; t++) {
    const f = f0Hz[t] as number;
    if (Number.isNaN(f) || f < 0 || f >= nyquist) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `F0 at frame ${t} is ${f} Hz; use 0 (unvoiced) or a value below ${nyquist} Hz`,
      );
    }
    f0[t] = f;
    voiced[t] = f > 0 ? 1 : 0;
  }
  return { ...analysis, f0Hz: f0, voiced };
}
