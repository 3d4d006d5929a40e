/**
 * Long signals are separated in overlapping segments so memory stays bounded (a 10-minute song's
 * full spectrogram would take gigabytes). Segments overlap by a short span and are joined with
 * complementary linear crossfades whose weights sum to one, so per-segment stems that sum to
 * their segment still sum to the whole mixture.
 */

/** One segment: samples [start, end) of the signal, with crossfade lengths at each side. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly fadeInSamples: number;
  readonly fadeOutSamples: number;
}

/** Segments of `segmentSamples` overlapping by `overlapSamples` covering `lengthSamples`. */
export function planSegments(
  lengthSamples: number,
  segmentSamples: number,
  overlapSamples: number,
): Segment[] {
  if (lengthSamples <= segmentSamples)
    return [{ start: 0, end: lengthSamples, fadeInSamples: 0, fadeOutSamples: 0 }];
  const hop = Math.max(1, segmentSamples - overlapSamples);
  const segments: Segment[] = [];
  for (let start = 0; ; start += hop) {
    const end = Math.min(lengthSamples, start + segmentSamples);
    const last = end >= lengthSamples;
    segments.push({
      start,
      end,
      fadeInSamples: start === 0 ? 0 : overlapSamples,
      fadeOutSamples: last ? 0 : overlapSamples,
    });
    if (last) break;
  }
  return segments;
}

/** Adds `part` (samples of `segment`) into `out`, weighted by the segment's crossfade ramps. */
export function overlapAddSegment(out: Float32Array, part: Float32Array, segment: Segment): void {
  const length = segment.end - segment.start;
  for (let i = 0; i < length; i++) {
    let w = 1;
    if (i < segment.fadeInSamples) w = (i + 0.5) / segment.fadeInSamples;
    const fromEnd = length - i;
    if (fromEnd <= segment.fadeOutSamples) w = Math.min(w, (fromEnd - 0.5) / segment.fadeOutSamples);
    out[segment.start + i] = (out[segment.start + i] as number) + w * (part[i] as number);
  }
}
