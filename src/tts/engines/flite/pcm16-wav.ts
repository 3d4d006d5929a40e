import { AutoVoiceError } from '../../../errors/index.js';

/**
 * Reads the 16-bit PCM mono/stereo WAV an embedded engine writes (flite). Engine-internal: user
 * files go through src/audio's decoder; this only parses a format we produce ourselves.
 * Returns the first channel as floats in [-1, 1) and the sample rate (Hz).
 */
export function readPcm16Wav(bytes: Uint8Array): { samples: Float32Array; sampleRate: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number): string => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new AutoVoiceError('tts.engine_failed', 'The TTS engine produced no valid WAV output.');
  }
  let sampleRate = 0;
  let channels = 1;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      const bits = view.getUint16(body + 14, true);
      if (bits !== 16 || channels < 1)
        throw new AutoVoiceError(
          'tts.engine_failed',
          `Unexpected engine WAV format: ${bits}-bit, ${channels} channels.`,
        );
    } else if (id === 'data') {
      // Engines that stream may leave the size unpatched; clamp to what is there.
      const available = Math.min(size, bytes.length - body);
      const frames = Math.floor(available / (2 * channels));
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = view.getInt16(body + i * 2 * channels, true) / 32768;
      if (sampleRate <= 0)
        throw new AutoVoiceError('tts.engine_failed', 'Engine WAV has data before its format chunk.');
      return { samples, sampleRate };
    }
    offset = body + size + (size % 2);
  }
  throw new AutoVoiceError('tts.engine_failed', 'Engine WAV has no data chunk.');
}
