/** F0 (pitch) analysis: `estimateF0`, its incremental form `StreamingF0Tracker`, and its types, frame helpers and pitch-unit converters. */
export { estimateF0, f0MinimumSignalSeconds } from './estimate-f0.js';
export { StreamingF0Tracker, type StreamingF0Decisions } from './streaming-f0-tracker.js';
export {
  defaultF0Options,
  f0FrameCount,
  f0FrameTimesSeconds,
  resolveF0Options,
  type F0Options,
  type F0Track,
} from './f0-options.js';
export {
  A4_HZ,
  centsToHz,
  hzToCents,
  hzToMidi,
  hzToNoteName,
  midiToHz,
  midiToNoteName,
} from './pitch-units.js';
