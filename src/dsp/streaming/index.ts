/** Streaming (frame-by-frame, bounded look-ahead) analysis → transform → synthesis. */
export {
  createStreamingVocoder,
  defaultStreamingVocoderOptions,
  type StreamingFrame,
  type StreamingVocoder,
  type StreamingVocoderOptions,
} from './streaming-vocoder.js';
