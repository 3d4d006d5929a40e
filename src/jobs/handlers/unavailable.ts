import { AutoVoiceError } from '../../errors/index.js';

/** The error a handler raises while its pipeline is not part of this build. */
export function featureUnavailable(feature: string): AutoVoiceError {
  return new AutoVoiceError('feature.unavailable', `${feature} is not available in this build yet; the other endpoints work.`, { feature });
}
