import type { RawAudio } from '../audio/index.js';
import { AutoVoiceError } from '../errors/index.js';
import { listTtsVoices, synthesizeSpeech } from '../tts/index.js';
import type { VoiceProfile } from '../voice/voice-profile.js';
import { createVoiceProfile } from './create-profile.pipeline.js';

/**
 * A built-in text of about 30 s of speech, varied in vowels, consonants and intonation (questions,
 * lists, a long sentence), written for AutoVoice.
 */
export const STOCK_VOICE_TEXT = [
  'Good morning, and welcome to the workshop by the river.',
  'Before we begin, could you check that every chair has a blue folder, a pencil and a glass of water?',
  'Yesterday the weather changed three times: bright sun at breakfast, heavy rain at noon, and a quiet, golden evening.',
  'The old ferry still crosses twice an hour, carrying bicycles, baskets of fruit, and the occasional curious dog.',
  'If you need anything at all, just ask; we will be here until the lamps come on.',
  'Now, shall we start with a simple question: what does your own voice sound like to other people?',
].join(' ');

/** The small part of the voice repository stock voices need. */
export interface StockVoiceStore {
  has(idOrName: string): Promise<boolean>;
  create(profile: VoiceProfile): Promise<VoiceProfile>;
}

/** Options of ensureStockVoices. */
export interface StockVoiceOptions {
  /** Most stock voices to create. */
  readonly count?: number;
  /** Text each voice speaks (default STOCK_VOICE_TEXT). */
  readonly text?: string;
  /** Speech synthesiser (default src/tts synthesizeSpeech); tests may pass their own. */
  readonly synthesize?: (text: string, voiceId: string) => Promise<RawAudio>;
  /** TTS voice ids to try, in order (default: PREFERRED_STOCK_VOICES, then other English voices). */
  readonly voiceIds?: readonly string[];
  readonly signal?: AbortSignal;
}

/** Profile name of the stock voice made from TTS voice `voiceId` (e.g. `stock-flite-slt`). */
export function stockVoiceName(voiceId: string): string {
  return `stock-${voiceId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
}

/** Embedded TTS voices known to make distinct, clean stock voices, in order of preference. */
export const PREFERRED_STOCK_VOICES: readonly string[] = [
  'flite:slt',
  'flite:rms',
  'flite:awb',
  'espeak:en-us+f3',
  'espeak:en-us',
  'flite:kal16',
];

async function defaultVoiceIds(): Promise<string[]> {
  const available = (await listTtsVoices())
    .filter((v) => v.engine !== 'piper' && v.language.startsWith('en'))
    .map((v) => v.id);
  return [
    ...PREFERRED_STOCK_VOICES.filter((id) => available.includes(id)),
    ...available.filter((id) => !PREFERRED_STOCK_VOICES.includes(id)),
  ];
}

/**
 * Creates the stock voice profiles (one per embedded TTS voice, from ~30 s of built-in text)
 * that do not exist yet; idempotent — an existing name is left alone. Returns the names created.
 */
export async function ensureStockVoices(
  repository: StockVoiceStore,
  options: StockVoiceOptions = {},
): Promise<string[]> {
  const count = options.count ?? 5;
  const text = options.text ?? STOCK_VOICE_TEXT;
  const synthesize = options.synthesize ?? ((t: string, voice: string) => synthesizeSpeech(t, { voice }));
  const voiceIds = options.voiceIds ?? (await defaultVoiceIds());
  const created: string[] = [];
  let present = 0;
  for (const voiceId of voiceIds) {
    if (present >= count) break;
    const name = stockVoiceName(voiceId);
    if (await repository.has(name)) {
      present++;
      continue;
    }
    let audio: RawAudio;
    try {
      audio = await synthesize(text, voiceId);
    } catch (error) {
      // A voice an engine lists but cannot speak must not block the others.
      if (error instanceof AutoVoiceError && error.code.startsWith('tts.')) continue;
      throw error;
    }
    const { profile } = await createVoiceProfile([audio], {
      name,
      origin: 'stock',
      labels: [`tts:${voiceId}`],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await repository.create(profile);
    created.push(name);
    present++;
  }
  return created;
}
