/**
 * ONNX separation engine for MDX-Net / UVR-style models the user brings. Such models take a
 * chunk of the stereo complex spectrogram as a float tensor [batch, 4, bins, frames] — channels
 * (L.re, L.im, R.re, R.im), the lowest `bins` STFT bins (the rest are cut), `frames` STFT frames —
 * and return a tensor of the same shape holding the spectrogram of one stem. We read `bins` and
 * `frames` from the model's input metadata (MDX-Net exports fix them; options cover symbolic
 * dimensions), run the song chunk by chunk with overlapping chunks blended by a triangular
 * weight, resynthesise with istft, and derive the other stem as mixture − stem.
 */
import type { RawAudio } from '../audio/raw-audio.js';
import { AutoVoiceError, throwIfAborted } from '../errors/index.js';
import { loadOnnxModel, type OnnxModel } from '../models/onnx-session.adapter.js';
import { istft, stft, type Spectrogram } from '../dsp/stft.js';
import type { SeparatedStems } from './separation-types.js';

/** Options of the MDX-Net ONNX engine. */
export interface MdxOnnxOptions {
  /** STFT size; MDX-Net models are trained with a fixed one (commonly 6144 or 7680). 0 = 2·bins. */
  fftSize: number;
  /** STFT hop, samples (MDX-Net: 1024). */
  hopSamples: number;
  /** Spectrogram bins the model takes when its input dimension is symbolic. */
  bins: number;
  /** Frames per chunk when the model's time dimension is symbolic. */
  framesPerChunk: number;
  /** Fraction of each chunk shared with the next (0..0.75). */
  chunkOverlap: number;
  /** Which stem the model estimates. */
  modelStem: 'vocals' | 'accompaniment';
  /** Sample rate the model expects (MDX-Net: 44100); input is rejected at other rates. 0 = any. */
  sampleRate: number;
}

export const defaultMdxOnnxOptions: MdxOnnxOptions = {
  fftSize: 0,
  hopSamples: 1024,
  bins: 2048,
  framesPerChunk: 256,
  chunkOverlap: 0.25,
  modelStem: 'vocals',
  sampleRate: 0,
};

/** Resolved model geometry. */
interface MdxGeometry {
  inputName: string;
  outputName: string;
  bins: number;
  frames: number;
  fftSize: number;
}

function resolveGeometry(model: OnnxModel, opts: MdxOnnxOptions): MdxGeometry {
  const input = model.inputMetadata[0];
  const outputName = model.outputNames[0];
  if (input === undefined || outputName === undefined) {
    throw new AutoVoiceError(
      'model.invalid',
      `The model at ${model.path} needs one input and one output (MDX-Net layout [batch, 4, bins, frames]).`,
      { path: model.path },
    );
  }
  const shape = input.shape;
  if (shape.length !== 4 || (typeof shape[1] === 'number' && shape[1] !== 4)) {
    throw new AutoVoiceError(
      'model.invalid',
      `The model input "${input.name}" has shape [${shape.join(', ')}]; an MDX-Net separator takes [batch, 4, bins, frames].`,
      { path: model.path, shape },
    );
  }
  const bins = typeof shape[2] === 'number' && shape[2] > 0 ? shape[2] : opts.bins;
  const frames = typeof shape[3] === 'number' && shape[3] > 0 ? shape[3] : opts.framesPerChunk;
  const fftSize = opts.fftSize > 0 ? opts.fftSize : 2 * bins;
  if (fftSize / 2 + 1 < bins) {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      `fftSize ${fftSize} gives ${fftSize / 2 + 1} bins but the model takes ${bins}; use fftSize >= ${2 * (bins - 1)}.`,
      { fftSize, bins },
    );
  }
  return { inputName: input.name, outputName, bins, frames, fftSize };
}

/** Packs frames [t0, t0+frames) of the two channel spectrograms into a [1, 4, bins, frames] tensor. */
function packChunk(specs: readonly Spectrogram[], t0: number, geo: MdxGeometry): Float32Array {
  const { bins, frames } = geo;
  const data = new Float32Array(4 * bins * frames);
  const total = (specs[0] as Spectrogram).re.length;
  for (let c = 0; c < 2; c++) {
    const spec = specs[c] as Spectrogram;
    for (let f = 0; f < frames; f++) {
      const t = t0 + f;
      if (t >= total) break;
      const re = spec.re[t] as Float32Array;
      const im = spec.im[t] as Float32Array;
      for (let k = 0; k < bins; k++) {
        data[(2 * c * bins + k) * frames + f] = re[k] as number;
        data[((2 * c + 1) * bins + k) * frames + f] = im[k] as number;
      }
    }
  }
  return data;
}

/**
 * Separates `audio` with an MDX-Net-style ONNX model at `modelPath`. Mono input is run as
 * identical left/right channels and the result folded back to mono.
 */
export async function separateVocalsMdxOnnx(
  audio: RawAudio,
  modelPath: string,
  options: Partial<MdxOnnxOptions> = {},
  onFraction?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<SeparatedStems> {
  const opts: MdxOnnxOptions = { ...defaultMdxOnnxOptions, ...options };
  if (opts.sampleRate > 0 && audio.sampleRate !== opts.sampleRate) {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      `The model expects ${opts.sampleRate} Hz audio; resample the input (got ${audio.sampleRate} Hz).`,
      { sampleRate: audio.sampleRate },
    );
  }
  const model = await loadOnnxModel(modelPath);
  try {
    const geo = resolveGeometry(model, opts);
    const left = audio.channels[0] ?? new Float32Array(0);
    const right = audio.channels[1] ?? left;
    const specs = [left, right].map((x) =>
      stft(x, { fftSize: geo.fftSize, hopSamples: opts.hopSamples, window: 'hann' }),
    );
    const first = specs[0] as Spectrogram;
    const totalFrames = first.re.length;
    const binCount = first.binCount;
    // Accumulated stem spectrogram (weighted) and weights, per channel.
    const outRe = specs.map(() => Array.from({ length: totalFrames }, () => new Float32Array(binCount)));
    const outIm = specs.map(() => Array.from({ length: totalFrames }, () => new Float32Array(binCount)));
    const weightSum = new Float32Array(totalFrames);
    const step = Math.max(1, Math.round(geo.frames * (1 - Math.min(0.75, Math.max(0, opts.chunkOverlap)))));
    // Triangular chunk weight (never zero, so single-chunk edges are covered).
    const weight = Float32Array.from(
      { length: geo.frames },
      (_, f) => 1 - Math.abs((f + 0.5) / geo.frames - 0.5) * 1.9,
    );
    const chunkStarts: number[] = [];
    for (let t0 = 0; ; t0 += step) {
      chunkStarts.push(t0);
      if (t0 + geo.frames >= totalFrames) break;
    }
    for (let i = 0; i < chunkStarts.length; i++) {
      throwIfAborted(signal);
      const t0 = chunkStarts[i] as number;
      const input = packChunk(specs, t0, geo);
      const result = await model.run({
        [geo.inputName]: { type: 'float32', data: input, dims: [1, 4, geo.bins, geo.frames] },
      });
      const out = result[geo.outputName];
      if (out === undefined || !(out.data instanceof Float32Array) || out.data.length !== input.length) {
        throw new AutoVoiceError(
          'model.invalid',
          `The model output "${geo.outputName}" must be a float32 tensor of shape [1, 4, ${geo.bins}, ${geo.frames}].`,
          { dims: out?.dims },
        );
      }
      const data = out.data;
      for (let f = 0; f < geo.frames; f++) {
        const t = t0 + f;
        if (t >= totalFrames) break;
        const w = weight[f] as number;
        weightSum[t] = (weightSum[t] as number) + w;
        for (let c = 0; c < 2; c++) {
          const re = (outRe[c] as Float32Array[])[t] as Float32Array;
          const im = (outIm[c] as Float32Array[])[t] as Float32Array;
          for (let k = 0; k < geo.bins; k++) {
            re[k] = (re[k] as number) + w * (data[(2 * c * geo.bins + k) * geo.frames + f] as number);
            im[k] = (im[k] as number) + w * (data[((2 * c + 1) * geo.bins + k) * geo.frames + f] as number);
          }
        }
      }
      onFraction?.((i + 1) / chunkStarts.length);
    }
    const stem = specs.map((spec, c) => {
      const re = (outRe[c] as Float32Array[]).map((row, t) =>
        row.map((v) => v / Math.max(1e-9, weightSum[t] as number)),
      );
      const im = (outIm[c] as Float32Array[]).map((row, t) =>
        row.map((v) => v / Math.max(1e-9, weightSum[t] as number)),
      );
      return istft({ ...spec, re, im });
    });
    const channels = audio.channels.length >= 2 ? audio.channels : [left];
    const stemChannels = channels.map((_, c) =>
      audio.channels.length >= 2
        ? (stem[Math.min(c, 1)] as Float32Array)
        : (stem[0] as Float32Array).map((v, n) => 0.5 * (v + ((stem[1] as Float32Array)[n] as number))),
    );
    const other = channels.map((mix, c) =>
      mix.map((v, n) => v - ((stemChannels[c] as Float32Array)[n] as number)),
    );
    const vocals = opts.modelStem === 'vocals' ? stemChannels : other;
    const accompaniment = opts.modelStem === 'vocals' ? other : stemChannels;
    return {
      vocals: { channels: vocals, sampleRate: audio.sampleRate },
      accompaniment: { channels: accompaniment, sampleRate: audio.sampleRate },
    };
  } finally {
    await model.release();
  }
}
