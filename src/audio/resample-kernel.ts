/**
 * The resampler's inner loop as a tiny WebAssembly SIMD module (f32x4, two accumulators),
 * assembled here from its instructions — no toolchain, no binary blob. It computes, for
 * n = 0 .. outLength-1:
 *
 *   out[n] = sum_k in[base_n + k] · table[phase_n · taps + k]
 *
 * where base starts at 0 and phase at firstPhase, both advance by (baseStep, phaseStep) per
 * output and phase wraps at `up` —
 * the exact-ratio polyphase filter of resample.ts. `taps` must be a multiple of 8.
 * Returns undefined where WebAssembly SIMD is unavailable; resample.ts then uses plain JS.
 */

/** Unsigned LEB128. */
function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). */
function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(text: string): number[] {
  return [...uleb(text.length), ...[...text].map((c) => c.charCodeAt(0))];
}

// Opcodes used below.
const I32 = 0x7f;
const V128 = 0x7b;
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
const i32Const = (v: number): number[] => [0x41, ...sleb(v)];
const ADD = 0x6a, SUB = 0x6b, MUL = 0x6c, SHL = 0x74, GE_U = 0x4f, LT_U = 0x49;
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, VOID = 0x40;
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const V128_LOAD = (offset: number): number[] => simd(0x00, 2, ...uleb(offset)); // align 2^2
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const lane = (i: number): number[] => simd(0x1f, i); // f32x4.extract_lane
const F32_ADD = 0x92;
const F32_STORE = [0x38, 2, 0];

// Parameters 0-8, then locals.
const [pIn, pTable, pOut, pOutLen, pTaps, pUp, pBaseStep, pPhaseStep, pPhase0] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [n, base, phase, x, h, end] = [9, 10, 11, 12, 13, 14];
const [acc0, acc1] = [15, 16];

function kernelBody(): number[] {
  const code = [
    ...get(pPhase0), ...set(phase),
    BLOCK, VOID,
    LOOP, VOID,
    ...get(n), ...get(pOutLen), GE_U, BR_IF, 1,
    // x = in + base*4; h = table + phase*taps*4; end = x + taps*4
    ...get(pIn), ...get(base), ...i32Const(2), SHL, ADD, ...set(x),
    ...get(pTable), ...get(phase), ...get(pTaps), MUL, ...i32Const(2), SHL, ADD, ...set(h),
    ...get(x), ...get(pTaps), ...i32Const(2), SHL, ADD, ...set(end),
    ...simd(0x0c, ...new Array<number>(16).fill(0)), ...set(acc0),
    ...simd(0x0c, ...new Array<number>(16).fill(0)), ...set(acc1),
    LOOP, VOID,
    ...get(acc0), ...get(x), ...V128_LOAD(0), ...get(h), ...V128_LOAD(0), ...F32X4_MUL, ...F32X4_ADD, ...set(acc0),
    ...get(acc1), ...get(x), ...V128_LOAD(16), ...get(h), ...V128_LOAD(16), ...F32X4_MUL, ...F32X4_ADD, ...set(acc1),
    ...get(x), ...i32Const(32), ADD, ...set(x),
    ...get(h), ...i32Const(32), ADD, ...set(h),
    ...get(x), ...get(end), LT_U, BR_IF, 0,
    END,
    // out[n] = horizontal sum of acc0 + acc1
    ...get(pOut), ...get(n), ...i32Const(2), SHL, ADD,
    ...get(acc0), ...get(acc1), ...F32X4_ADD, ...set(acc0),
    ...get(acc0), ...lane(0), ...get(acc0), ...lane(1), F32_ADD,
    ...get(acc0), ...lane(2), ...get(acc0), ...lane(3), F32_ADD, F32_ADD,
    ...F32_STORE,
    // base += baseStep; phase += phaseStep; if (phase >= up) { phase -= up; base++ }
    ...get(base), ...get(pBaseStep), ADD, ...set(base),
    ...get(phase), ...get(pPhaseStep), ADD, ...set(phase),
    ...get(phase), ...get(pUp), GE_U, IF, VOID,
    ...get(phase), ...get(pUp), SUB, ...set(phase),
    ...get(base), ...i32Const(1), ADD, ...set(base),
    END,
    ...get(n), ...i32Const(1), ADD, ...set(n),
    BR, 0,
    END,
    END,
    END, // function
  ];
  const locals = [2, 6, I32, 2, V128]; // 2 local groups: 6 × i32, 2 × v128
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(): Uint8Array {
  const type = section(1, [1, 0x60, 9, ...new Array<number>(9).fill(I32), 0]);
  const functions = section(3, [1, 0]);
  const memory = section(5, [1, 0, 1]);
  const exports = section(7, [2, ...name('memory'), 2, 0, ...name('polyphase'), 0, 0]);
  const code = section(10, [1, ...kernelBody()]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...functions, ...memory, ...exports, ...code]);
}

/** The part of a WebAssembly.Memory the resampler uses (the project's TS lib has no WebAssembly types). */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The part of the global WebAssembly API used here. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

/** Runs the SIMD polyphase loop over data already placed in its memory (byte offsets). */
export interface PolyphaseKernel {
  readonly memory: KernelMemory;
  polyphase(inPtr: number, tablePtr: number, outPtr: number, outLength: number, taps: number, up: number, baseStep: number, phaseStep: number, firstPhase: number): void;
}

let kernel: PolyphaseKernel | undefined | null = null;

/** The shared kernel instance (compiled once), or undefined without WebAssembly SIMD. */
export function polyphaseKernel(): PolyphaseKernel | undefined {
  if (kernel !== null) return kernel;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    if (wasm === undefined) throw new Error('no WebAssembly');
    const instance = new wasm.Instance(new wasm.Module(moduleBytes()));
    kernel = instance.exports as unknown as PolyphaseKernel;
  } catch {
    kernel = undefined;
  }
  return kernel;
}

/**
 * Polyphase filter coefficients: row p (p = 0 .. up-1) holds `taps` coefficients, tap k of an
 * output at input position base + p/up multiplying sample base + 1 + k - halfTaps.
 */
export interface PolyphaseTable {
  readonly taps: number;
  readonly halfTaps: number;
  readonly table: Float32Array;
}

/** Outputs computed per kernel call; bounds the WebAssembly memory to a few MiB whatever the input length. */
const BLOCK_OUTPUTS = 1 << 16;
let loadedTable: Float32Array | undefined;

/** Copies samples[from, from + out.length) into `out`, zeros where the range leaves the signal. */
function copyWindow(samples: Float32Array, from: number, out: Float32Array): void {
  const start = Math.max(0, from);
  const end = Math.min(samples.length, from + out.length);
  out.fill(0);
  if (end > start) out.set(samples.subarray(start, end), start - from);
}

/**
 * Runs the exact-ratio polyphase filter (output n at input position n·down/up) over `samples`
 * in blocks of 65536 outputs, handing each block to `onBlock` (a view into kernel memory,
 * valid only during the call).
 */
export function runPolyphaseBlocks(
  kernel: PolyphaseKernel,
  samples: Float32Array,
  filter: PolyphaseTable,
  outLength: number,
  up: number,
  down: number,
  onBlock: (firstOutput: number, block: Float32Array) => void,
): void {
  const { taps, halfTaps, table } = filter;
  const baseStep = Math.floor(down / up);
  const phaseStep = down - baseStep * up;
  const maxWindow = Math.ceil((BLOCK_OUTPUTS * down) / up) + taps + 2;
  const inPtr = table.byteLength;
  const outPtr = inPtr + maxWindow * 4;
  const needed = outPtr + BLOCK_OUTPUTS * 4;
  if (kernel.memory.buffer.byteLength < needed) kernel.memory.grow(Math.ceil((needed - kernel.memory.buffer.byteLength) / 65536));
  if (loadedTable !== table) {
    new Float32Array(kernel.memory.buffer, 0, table.length).set(table);
    loadedTable = table;
  }
  for (let n0 = 0; n0 < outLength; n0 += BLOCK_OUTPUTS) {
    const count = Math.min(BLOCK_OUTPUTS, outLength - n0);
    const position = n0 * down;
    const base0 = Math.floor(position / up);
    const phase0 = position - base0 * up;
    const windowLength = Math.ceil((count * down) / up) + taps + 2;
    copyWindow(samples, base0 + 1 - halfTaps, new Float32Array(kernel.memory.buffer, inPtr, windowLength));
    kernel.polyphase(inPtr, 0, outPtr, count, taps, up, baseStep, phaseStep, phase0);
    onBlock(n0, new Float32Array(kernel.memory.buffer, outPtr, count));
  }
}
