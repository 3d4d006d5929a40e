/**
 * Median smoothing of a voiced F0 contour, run by run. A 20 ms correlation window measures the
 * few periods it holds, so a rough voice (creak, a jittery TTS excitation) reads as F0 that
 * moves 1-2 semitones between 5 ms frames, which no larynx does. Rendered, such a contour
 * places pulses that the same tracker then reads differently (a resynthesis missed half the
 * frames of a rough male TTS voice). A running median removes these one- and two-frame
 * excursions and leaves what a voice does: steps (octave leaps) stay sharp, glides stay put,
 * vibrato peaks lose about 2 % of their depth (6 Hz, five frames).
 *
 * A window never reaches past a voicing edge: near an edge it slides inward, keeping its width
 * (down to the largest odd width the run holds). Edge frames are where the correlation window
 * straddles the onset and reads worst; a window centred there would shrink to the frame itself
 * and keep exactly those readings (a TTS resynthesis then missed 2 % of its frames, not 0.3 %).
 * The cost: within two frames of an edge, a fast glide is held at the value two frames in.
 */

/**
 * Returns `f0Hz` (Hz, 0 = unvoiced) with every voiced frame replaced by the median of a window of
 * 2·radius+1 frames around it, slid (and, in a short run, narrowed) to stay inside the frame's
 * voiced run. Unvoiced frames stay 0; radius 0 gives a copy.
 */
export function medianSmoothF0(f0Hz: Float32Array, radius: number): Float32Array {
  const out = f0Hz.slice();
  if (radius <= 0) return out;
  const window = new Float64Array(2 * radius + 1);
  let runStart = -1;
  for (let t = 0; t <= f0Hz.length; t++) {
    const voiced = t < f0Hz.length && (f0Hz[t] as number) > 0;
    if (voiced && runStart < 0) runStart = t;
    if (voiced || runStart < 0) continue;
    for (let u = runStart; u < t; u++) {
      const r = Math.min(radius, (t - runStart - 1) >> 1);
      const from = Math.min(Math.max(runStart, u - r), t - 1 - 2 * r);
      // Insertion sort: the window is a handful of values.
      for (let i = 0; i <= 2 * r; i++) {
        const v = f0Hz[from + i] as number;
        let j = i;
        for (; j > 0 && (window[j - 1] as number) > v; j--) window[j] = window[j - 1] as number;
        window[j] = v;
      }
      out[u] = window[r] as number;
    }
    runStart = -1;
  }
  return out;
}
