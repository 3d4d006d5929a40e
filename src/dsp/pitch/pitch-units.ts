/**
 * Pitch unit converters. MIDI note numbers are fractional (69 = A4 = `referenceHz`), cents are
 * hundredths of an equal-tempered semitone. Non-positive frequencies (our "unvoiced" marker)
 * have no pitch: the converters return NaN for them rather than -Infinity, so a stray 0 Hz
 * cannot silently drag an average to minus infinity.
 */

/** Concert pitch A4 in Hz used by the MIDI converters unless told otherwise. */
export const A4_HZ = 440;

/** MIDI note number (fractional, 69 = A4) of a frequency in Hz; NaN for f <= 0. */
export function hzToMidi(frequencyHz: number, referenceHz = A4_HZ): number {
  if (!(frequencyHz > 0)) return Number.NaN;
  return 69 + 12 * Math.log2(frequencyHz / referenceHz);
}

/** Frequency in Hz of a (fractional) MIDI note number (69 = A4 = `referenceHz`). */
export function midiToHz(midi: number, referenceHz = A4_HZ): number {
  return referenceHz * Math.pow(2, (midi - 69) / 12);
}

/** Interval in cents from `referenceHz` up to `frequencyHz` (1200 per octave); NaN if either <= 0. */
export function hzToCents(frequencyHz: number, referenceHz: number): number {
  if (!(frequencyHz > 0) || !(referenceHz > 0)) return Number.NaN;
  return 1200 * Math.log2(frequencyHz / referenceHz);
}

/** Frequency in Hz that lies `cents` above `referenceHz`. */
export function centsToHz(cents: number, referenceHz: number): number {
  return referenceHz * Math.pow(2, cents / 1200);
}

const NOTE_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;

/**
 * Name of the nearest equal-tempered note of a MIDI number, with octave in scientific pitch
 * notation (60 → 'C4', 69 → 'A4', 61.4 → 'C#4'). Sharps only. Throws RangeError for non-finite input.
 */
export function midiToNoteName(midi: number): string {
  if (!Number.isFinite(midi)) throw new RangeError(`midiToNoteName needs a finite MIDI number, got ${midi}`);
  const nearest = Math.round(midi);
  const pitchClass = ((nearest % 12) + 12) % 12;
  const octave = Math.floor(nearest / 12) - 1;
  return `${NOTE_NAMES[pitchClass] ?? 'C'}${octave}`;
}

/** Note name (e.g. 'A4') of a frequency in Hz; '' for f <= 0 (unvoiced). */
export function hzToNoteName(frequencyHz: number, referenceHz = A4_HZ): string {
  const midi = hzToMidi(frequencyHz, referenceHz);
  return Number.isNaN(midi) ? '' : midiToNoteName(midi);
}
