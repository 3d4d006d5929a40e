import { monoAudio, type RawAudio } from '../../../audio/raw-audio.js';
import { analyzeVoice } from '../../../dsp/analysis.js';
import { synthesizeVoice } from '../../../dsp/synthesis/index.js';
import { stretchTime } from '../../../dsp/transform/index.js';
import { AutoVoiceError, throwIfAborted } from '../../../errors/index.js';
import type { EngineSynthesisRequest, TtsEngine, TtsVoice } from '../../tts-engine.js';
import { ESPEAK_SAMPLE_RATE_HZ, loadEspeakNg, type EspeakNg } from './espeak-ng.module.js';

/**
 * eSpeak NG: formant synthesis for about 130 languages. Voice ids are espeak language names
 * (`en-us`, `de`, `pt-br`), optionally with a variant (`en-us+f3`: a female variant). The
 * English variants are listed explicitly; any `LANG+VARIANT` espeak knows is accepted.
 */

/** espeak's neutral speaking rate (words per minute), the reference for `rateFactor`. */
export const ESPEAK_DEFAULT_WPM = 175;
/** The slowest and fastest espeak speaks itself (words per minute). */
const ESPEAK_MIN_WPM = 80;
const ESPEAK_MAX_WPM = 450;
/** Default espeak voice. */
export const DEFAULT_ESPEAK_VOICE = 'en-us';
/** English variants offered in the voice list (espeak-ng's !v files). */
const LISTED_VARIANTS = ['f1', 'f2', 'f3', 'f4', 'f5', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'] as const;

/**
 * espeak's pitch control 0..100 scales the base pitch roughly one octave per 50 steps around
 * 50 (its pitch_adjust_tab), so a semitone is 50/12 steps.
 */
export function semitonesToEspeakPitch(semitones: number): number {
  return Math.min(100, Math.max(0, 50 + (semitones * 50) / 12));
}

class EspeakEngine implements TtsEngine {
  readonly id = 'espeak' as const;
  private readonly languages: ReadonlySet<string>;

  constructor(private readonly espeak: EspeakNg) {
    this.languages = new Set(espeak.listVoices().flatMap((v) => v.languages.map((l) => l.toLowerCase())));
  }

  async listVoices(): Promise<TtsVoice[]> {
    const seen = new Set<string>();
    const voices: TtsVoice[] = [];
    for (const v of this.espeak.listVoices()) {
      const language = v.languages[0]?.toLowerCase();
      if (language === undefined || seen.has(language)) continue;
      seen.add(language);
      voices.push({
        engine: 'espeak',
        id: `espeak:${language}`,
        name: `eSpeak ${v.name}`,
        language,
        sampleRate: ESPEAK_SAMPLE_RATE_HZ,
        gender: 'male',
      });
    }
    for (const variant of LISTED_VARIANTS) {
      voices.push({
        engine: 'espeak',
        id: `espeak:${DEFAULT_ESPEAK_VOICE}+${variant}`,
        name: `eSpeak English (America), variant ${variant}`,
        language: DEFAULT_ESPEAK_VOICE,
        sampleRate: ESPEAK_SAMPLE_RATE_HZ,
        gender: variant.startsWith('f') ? 'female' : 'male',
      });
    }
    return voices;
  }

  async resolveVoice(voice: string | undefined, language?: string): Promise<string> {
    const requested = (voice ?? language ?? DEFAULT_ESPEAK_VOICE).toLowerCase().replace(/^espeak:/, '');
    const [base = '', variant] = requested.split('+', 2);
    if (this.languages.has(base) && (variant === undefined || /^[a-z0-9_-]{1,16}$/.test(variant)))
      return requested;
    // A language tag with a region espeak lacks ('de-at') falls back to the base language.
    const primary = base.split('-')[0] ?? '';
    if (voice === undefined && this.languages.has(primary)) return primary;
    throw new AutoVoiceError(
      'tts.unknown_voice',
      `espeak has no voice "${voice ?? language}"; list voices with \`autovoice tts --list-voices\`.`,
      { engine: 'espeak', voice: voice ?? language },
    );
  }

  async synthesize(text: string, request: EngineSynthesisRequest): Promise<RawAudio> {
    throwIfAborted(request.signal);
    const wordsPerMinute = Math.min(ESPEAK_MAX_WPM, Math.max(ESPEAK_MIN_WPM, ESPEAK_DEFAULT_WPM * request.rateFactor));
    const samples = await this.espeak.synthesize(text, request.voice, {
      wordsPerMinute,
      pitch: semitonesToEspeakPitch(request.pitchSemitones),
      pitchRange: 50,
    });
    // espeak speaks 80..450 words a minute (0.46..2.57× normal); the rest of the documented
    // 0.25..4 range is made up by our own time stretch, which keeps the pitch.
    const remaining = wordsPerMinute / (ESPEAK_DEFAULT_WPM * request.rateFactor);
    if (Math.abs(remaining - 1) < 1e-3 || samples.length === 0) return monoAudio(samples, ESPEAK_SAMPLE_RATE_HZ);
    throwIfAborted(request.signal);
    const stretched = synthesizeVoice(stretchTime(analyzeVoice(samples, ESPEAK_SAMPLE_RATE_HZ), remaining));
    return monoAudio(stretched, ESPEAK_SAMPLE_RATE_HZ);
  }
}

/** Loads the espeak engine (instantiates the Emscripten module once per process). */
export async function loadEspeakEngine(): Promise<TtsEngine> {
  return new EspeakEngine(await loadEspeakNg());
}
