import type { ServerDeps } from './server-deps.js';

/** The TTS voice catalogue for GET /tts/voices (src/tts listTtsVoices), cached after the first call. */
export async function loadTtsCatalog(): Promise<ServerDeps['listTtsVoices']> {
  const { listTtsVoices } = await import('../tts/index.js');
  let cached: ReturnType<NonNullable<ServerDeps['listTtsVoices']>> | undefined;
  return () => (cached ??= listTtsVoices().then((voices) => voices.map((v) => ({ engine: v.engine, id: v.id, name: v.name, language: v.language, sampleRate: v.sampleRate, ...(v.gender === undefined ? {} : { gender: v.gender }) }))));
}
