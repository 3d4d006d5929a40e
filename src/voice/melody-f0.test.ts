import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { estimateF0 } from '../dsp/pitch/index.js';
import { refineF0ByHarmonics } from './f0-refine.js';
import { lpcResidual } from './lpc-residual.js';
import { refineMelodyF0 } from './melody-f0.js';

const SR = 16000;
const cents = (a: number, b: number): number => 1200 * Math.log2(a / b);

/** Harmonic tone with F0 `f0At(time)` (Hz) through a resonator whose centre moves `formantAt(time)`. */
function vowelGlide(
  seconds: number,
  f0At: (s: number) => number,
  formantAt: (s: number) => number,
): Float32Array {
  const n = Math.round(seconds * SR);
  const out = new Float32Array(n);
  let phase = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < n; i++) {
    const time = i / SR;
    const f0 = f0At(time);
    phase += f0 / SR;
    let x = 0;
    for (let k = 1; k * f0 < 3500; k++) x += Math.sin(2 * Math.PI * k * phase) / k;
    const r = 0.97;
    const w = (2 * Math.PI * formantAt(time)) / SR;
    const y = x + 2 * r * Math.cos(w) * y1 - r * r * y2;
    y2 = y1;
    y1 = y;
    out[i] = 0.01 * y;
  }
  return out;
}

describe('melody F0 refinement', () => {
  test('refineF0ByHarmonics pulls a 40-cent-off guess onto a steady tone', () => {
    const signal = vowelGlide(
      0.3,
      () => 200,
      () => 700,
    );
    const guess = new Float32Array(60).fill(200 * 2 ** (40 / 1200));
    guess[0] = 0;
    const refined = refineF0ByHarmonics(lpcResidual(signal, SR), SR, guess, 5);
    assert.equal(refined[0], 0, 'unvoiced frames stay unvoiced');
    for (let t = 10; t < 50; t++)
      assert.ok(Math.abs(cents(refined[t] as number, 200)) < 3, `frame ${t}: ${refined[t]} Hz`);
  });

  test('follows a glide under a moving formant more closely than the tracker, voicing unchanged', () => {
    // Rises 7 semitones over 60 ms at 0.25 s while the formant sweeps 400 → 1800 Hz.
    const f0At = (s: number): number => {
      const x = Math.min(1, Math.max(0, (s - 0.25) / 0.06));
      return 180 * 2 ** ((7 * x * x * (3 - 2 * x)) / 12);
    };
    const formantAt = (s: number): number => 400 + 1400 * Math.min(1, Math.max(0, (s - 0.2) / 0.15));
    const signal = vowelGlide(0.6, f0At, formantAt);
    const track = estimateF0(signal, SR, { framePeriodMs: 5 });
    const refined = refineMelodyF0(signal, SR, track);
    let plainErr = 0;
    let refinedErr = 0;
    let frames = 0;
    for (let t = 8; t < track.f0Hz.length - 8; t++) {
      assert.equal((refined[t] as number) > 0, (track.f0Hz[t] as number) > 0, `voicing of frame ${t} kept`);
      if (!((track.f0Hz[t] as number) > 0)) continue;
      const truth = f0At(t * 0.005);
      plainErr += Math.abs(cents(track.f0Hz[t] as number, truth));
      refinedErr += Math.abs(cents(refined[t] as number, truth));
      frames++;
    }
    assert.ok(frames > 80, `${frames} voiced frames`);
    assert.ok(refinedErr / frames < 3, `mean refined error ${(refinedErr / frames).toFixed(1)} cents`);
    assert.ok(
      refinedErr <= plainErr,
      `refined ${(refinedErr / frames).toFixed(1)} vs tracker ${(plainErr / frames).toFixed(1)} cents`,
    );
  });
});
