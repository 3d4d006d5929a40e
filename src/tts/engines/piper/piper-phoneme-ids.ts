import { PIPER_BOS, PIPER_EOS, PIPER_PAD } from './piper-voice-config.js';

/** Result of mapping phonemes to ids. */
export interface PiperPhonemeIds {
  readonly ids: number[];
  /** Phonemes absent from the map (skipped, as Piper does), for diagnostics. */
  readonly missing: string[];
}

function idsFor(phoneme: string, map: ReadonlyMap<string, readonly number[]>): readonly number[] | undefined {
  return map.get(phoneme) ?? map.get(phoneme.normalize('NFD'));
}

/**
 * Maps a phoneme string to Piper model ids with Piper's conventions: BOS `^`, then the pad `_`,
 * then each phoneme's ids followed by a pad, then EOS `$`:
 *   [^, _, p1, _, p2, _, …, pn, _, $]
 * Each Unicode code point is one phoneme; one whose NFC form is missing is tried decomposed
 * (its NFD code points); anything still missing is skipped and reported.
 */
export function piperPhonemesToIds(
  phonemes: string,
  map: ReadonlyMap<string, readonly number[]>,
): PiperPhonemeIds {
  const pad = map.get(PIPER_PAD) ?? [];
  const ids: number[] = [...(map.get(PIPER_BOS) ?? []), ...pad];
  const missing: string[] = [];
  for (const phoneme of phonemes.normalize('NFC')) {
    const direct = idsFor(phoneme, map);
    const parts =
      direct === undefined && phoneme.normalize('NFD') !== phoneme
        ? [...phoneme.normalize('NFD')]
        : [phoneme];
    for (const part of parts) {
      const partIds = idsFor(part, map);
      if (partIds === undefined) {
        missing.push(part);
        continue;
      }
      ids.push(...partIds, ...pad);
    }
  }
  ids.push(...(map.get(PIPER_EOS) ?? []));
  return { ids, missing };
}
