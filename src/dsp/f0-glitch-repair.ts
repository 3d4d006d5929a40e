/**
 * Causal repair of F0 tracker glitches before synthesis. A voice cannot move an octave or more
 * within one 5 ms frame, but trackers occasionally report such jumps for a few frames (often
 * to a harmonic several octaves up); resynthesised, a glitch is a loud chirp. A frame whose F0
 * is at least `maxJumpOctaves` away from the last accepted voiced frame holds that frame's F0,
 * for at most `maxHoldFrames` frames in a row (a new register that persists is then accepted).
 * Causal (looks only backwards) so the streaming vocoder applies exactly the same rule.
 */
export interface F0RepairState {
  lastF0Hz: number;
  heldFrames: number;
}

/** Options of the repair (defaults: one octave, 12 frames = 60 ms at 5 ms). */
export interface F0RepairOptions {
  maxJumpOctaves: number;
  maxHoldFrames: number;
}

export const defaultF0RepairOptions: F0RepairOptions = { maxJumpOctaves: 1, maxHoldFrames: 12 };

/** Fresh repair state (start of a signal). */
export function createF0RepairState(): F0RepairState {
  return { lastF0Hz: 0, heldFrames: 0 };
}

/** Repairs one frame's F0 (Hz, 0 = unvoiced) given the running state; returns the F0 to use. */
export function repairF0Frame(
  f0Hz: number,
  state: F0RepairState,
  options: F0RepairOptions = defaultF0RepairOptions,
): number {
  if (!(f0Hz > 0)) {
    state.lastF0Hz = 0;
    state.heldFrames = 0;
    return 0;
  }
  const last = state.lastF0Hz;
  if (
    last > 0 &&
    Math.abs(Math.log2(f0Hz / last)) >= options.maxJumpOctaves &&
    state.heldFrames < options.maxHoldFrames
  ) {
    state.heldFrames++;
    return last;
  }
  state.lastF0Hz = f0Hz;
  state.heldFrames = 0;
  return f0Hz;
}

/** Repairs a whole contour in place (frame order), with the same rule as `repairF0Frame`. */
export function repairF0Glitches(
  f0Hz: Float32Array,
  options: F0RepairOptions = defaultF0RepairOptions,
): Float32Array {
  const state = createF0RepairState();
  for (let t = 0; t < f0Hz.length; t++) f0Hz[t] = repairF0Frame(f0Hz[t] as number, state, options);
  return f0Hz;
}
