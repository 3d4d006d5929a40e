import { AutoVoiceError } from '../../errors/index.js';

/**
 * Slack allowed between the duration a container declares and the duration decoded: 0.5 s plus
 * 1 %. Encoder priming and padding (AAC: 2112 + up to 1023 samples, twice that with SBR; Opus:
 * pre-skip; Vorbis: at most one 8192-sample block) stay well inside it at any supported rate,
 * while a lost page, a dropped run of frames or a decoder that invents audio does not.
 */
export const DECLARED_LENGTH_TOLERANCE = { seconds: 0.5, fraction: 0.01 } as const;

/** The decoded length must lie within [minSeconds, maxSeconds] (each side widened by the tolerance). */
export interface DeclaredLength {
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

/**
 * Throws audio.corrupt when `decodedSeconds` disagrees with what the container declares, so
 * damaged or truncated lossy files fail like WAV and FLAC do instead of decoding short or long.
 */
export function checkDecodedLength(
  decodedSeconds: number,
  declared: DeclaredLength,
  description: string,
): void {
  const slack = (s: number): number =>
    DECLARED_LENGTH_TOLERANCE.seconds + DECLARED_LENGTH_TOLERANCE.fraction * s;
  const short = decodedSeconds < declared.minSeconds - slack(declared.minSeconds);
  const long = decodedSeconds > declared.maxSeconds + slack(declared.maxSeconds);
  if (!short && !long) return;
  const said =
    declared.minSeconds === declared.maxSeconds
      ? `${declared.maxSeconds.toFixed(3)} s`
      : `${declared.minSeconds.toFixed(3)}-${declared.maxSeconds.toFixed(3)} s`;
  throw new AutoVoiceError(
    'audio.corrupt',
    `Damaged ${description} file: ${decodedSeconds.toFixed(3)} s decoded where the container declares ${said}${short ? ' (audio was lost)' : ''}.`,
    { decodedSeconds, declaredMinSeconds: declared.minSeconds, declaredMaxSeconds: declared.maxSeconds },
  );
}
