// Test material of the vocoder benchmark: synthetic vowels with exact F0, embedded-TTS speech,
// and vocadito (real singing with a human F0 annotation; absent without ../shared).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mixToMono, readAudioFile } from '../src/audio/index.js';
import { f0FrameTimesSeconds } from '../src/dsp/index.js';
import { resampleF0Track } from '../src/quality/pitch-accuracy.js';
import { FIXTURE_SENTENCES, makeSpeechFixture } from '../tests/fixtures/speech.js';
import { VOWEL_A, VOWEL_I, f0TrackOf, syntheticVowel } from '../tests/fixtures/vocoder-signals.js';

const VOCADITO_DIR = new URL('../../shared/data/vocadito/', import.meta.url);
const SPEECH_VOICES = ['flite:slt', 'flite:rms', 'flite:awb', 'espeak:en-us+f3'] as const;

export interface Material {
  readonly name: string;
  readonly signal: Float32Array;
  readonly sampleRate: number;
  /** Human or exact F0 on the 5 ms grid, when known. */
  readonly truthHz?: Float32Array;
  /** A human annotation on its own grid (label i stamps the start of hop i), when there is one. */
  readonly annotation?: { readonly f0Hz: Float32Array; readonly hopSeconds: number };
}

/** vocadito track 1, or null when ../shared/data/vocadito is absent. */
export async function vocadito(): Promise<Material | null> {
  const wav = new URL('vocadito_1.wav', VOCADITO_DIR);
  if (!existsSync(fileURLToPath(wav))) return null;
  const { audio } = await readAudioFile(fileURLToPath(wav));
  const signal = mixToMono(audio);
  const rows = readFileSync(fileURLToPath(new URL('vocadito_1_f0.csv', VOCADITO_DIR)), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));
  const frames = Math.floor((signal.length / audio.sampleRate) * 200 + 1e-9) + 1;
  const times = f0FrameTimesSeconds({ f0Hz: new Float32Array(frames), framePeriodMs: 5 });
  // Each label stamps the start of its hop; its analysis centre is half a hop later (the
  // alignment bench/dsp-pitch.bench.ts measures: best offset at half a hop).
  const halfHop = ((rows[1]?.[0] ?? 0) - (rows[0]?.[0] ?? 0)) / 2;
  const truthHz = resampleF0Track(
    rows.map((r) => (r[0] as number) + halfHop),
    rows.map((r) => r[1] as number),
    times,
  );
  const annotation = { f0Hz: Float32Array.from(rows, (r) => r[1] as number), hopSeconds: 2 * halfHop };
  return { name: 'vocadito_1 (sung, 44.1 kHz)', signal, sampleRate: audio.sampleRate, truthHz, annotation };
}

/** One sentence pair in each embedded TTS voice (a voice that fails to load is skipped with a note). */
export async function speechMaterials(): Promise<Material[]> {
  const out: Material[] = [];
  for (const voice of SPEECH_VOICES) {
    try {
      const text = `${FIXTURE_SENTENCES[0]} ${FIXTURE_SENTENCES[3]}`;
      const audio = await makeSpeechFixture(text, voice);
      out.push({
        name: `TTS ${voice} (${audio.sampleRate / 1000} kHz)`,
        signal: mixToMono(audio),
        sampleRate: audio.sampleRate,
      });
    } catch (error) {
      console.log(`  (speech voice ${voice} unavailable: ${(error as Error).message})`);
    }
  }
  return out;
}

/** Vowels with exact F0: steady, and with vibrato, at 16 and 44.1 kHz. */
export function syntheticMaterials(): Material[] {
  return [
    [110, VOWEL_A, 0, 16000],
    [220, VOWEL_I, 50, 16000],
    [330, VOWEL_A, 40, 44100],
  ].map(([base, vowel, depth, fs]) => {
    const { signal, f0 } = syntheticVowel(
      base as number,
      2,
      fs as number,
      vowel as typeof VOWEL_A,
      depth as number,
    );
    const truthHz = f0TrackOf(f0, signal.length, fs as number, 5);
    return {
      name: `vowel ${vowel === VOWEL_A ? '/a/' : '/i/'} ${base} Hz${depth ? ` vib ${depth}c` : ''} (${(fs as number) / 1000} kHz)`,
      signal,
      sampleRate: fs as number,
      truthHz,
    };
  });
}
