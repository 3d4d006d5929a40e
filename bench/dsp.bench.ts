// `npm run bench:dsp`: the analysis/synthesis engine's benchmark — pitch tracking accuracy and
// speed (bench/dsp-pitch.bench.ts), then round trip, transformations, speed and memory of the
// vocoder (bench/dsp-vocoder.bench.ts). Each part is also runnable alone.
import { runPitchBench } from './dsp-pitch.bench.js';
import { runVocoderBench } from './dsp-vocoder.bench.js';

await runPitchBench();
await runVocoderBench();
