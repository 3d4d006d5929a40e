/**
 * A minimal in-memory WASI (preview1) host for command-line wasm programs such as flite:
 * arguments in, files written by the program kept in memory, stdout captured, no access to the
 * real file system. Implements exactly the 13 imports flite.wasm declares; anything else the
 * program might try answers ENOSYS. Avoids node:wasi (experimental, needs real directories).
 */

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_INVAL = 28;
const ERRNO_NOENT = 44;
const ERRNO_NOSYS = 52;
const FILETYPE_CHARACTER_DEVICE = 2;
const FILETYPE_DIRECTORY = 3;
const FILETYPE_REGULAR_FILE = 4;
const OFLAGS_CREAT = 1;
const OFLAGS_TRUNC = 8;
const PREOPEN_FD = 3;
const PREOPEN_NAME = '.';

/** The slice of the WebAssembly JS API used here (the project's TS libs do not declare it). */
export interface WasmInstanceLike {
  readonly exports: Readonly<Record<string, unknown>>;
}
/** Import object: module name → import name → value. */
export type WasmImports = Record<string, Record<string, unknown>>;
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: WasmImports) => WasmInstanceLike;
}
/** The global WebAssembly object, typed to what AutoVoice uses. */
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Thrown by proc_exit to unwind out of `_start`. */
class WasiExit {
  constructor(readonly code: number) {}
}

interface OpenFile {
  readonly name: string;
  position: number;
}

/** Growable in-memory file. */
class MemoryFile {
  bytes = new Uint8Array(0);
  length = 0;

  write(position: number, data: Uint8Array): void {
    const end = position + data.length;
    if (end > this.bytes.length) {
      const grown = new Uint8Array(Math.max(end, this.bytes.length * 2, 4096));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(data, position);
    this.length = Math.max(this.length, end);
  }

  contents(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Result of running a WASI program to completion. */
export interface WasiRunResult {
  readonly exitCode: number;
  readonly stdout: string;
  /** Files the program created, by the name it opened them with. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/**
 * One WASI host bound to one wasm instance (a WASI command can run `_start` only once).
 * Create it, instantiate the module with `imports`, call `attach(instance)`, then `run(args)`.
 */
export class MemoryWasi {
  private memory: { readonly buffer: ArrayBuffer } | undefined;
  private start: (() => void) | undefined;
  private args: string[] = [];
  private readonly files = new Map<string, MemoryFile>();
  private readonly fds = new Map<number, OpenFile>();
  private nextFd = PREOPEN_FD + 1;
  private stdout = '';
  private readonly decoder = new TextDecoder();

  /** The import object for `WebAssembly.Instance`. */
  readonly imports: WasmImports = {
    wasi_snapshot_preview1: {
      args_sizes_get: (argcPtr: number, bufSizePtr: number) => this.argsSizesGet(argcPtr, bufSizePtr),
      args_get: (argvPtr: number, bufPtr: number) => this.argsGet(argvPtr, bufPtr),
      clock_time_get: (_id: number, _precision: bigint, timePtr: number) => {
        this.view().setBigUint64(timePtr, BigInt(Date.now()) * 1_000_000n, true);
        return ERRNO_SUCCESS;
      },
      fd_close: (fd: number) => (this.fds.delete(fd) || fd <= PREOPEN_FD ? ERRNO_SUCCESS : ERRNO_BADF),
      fd_fdstat_get: (fd: number, bufPtr: number) => this.fdstatGet(fd, bufPtr),
      fd_fdstat_set_flags: () => ERRNO_SUCCESS,
      fd_prestat_get: (fd: number, bufPtr: number) => {
        if (fd !== PREOPEN_FD) return ERRNO_BADF;
        const view = this.view();
        view.setUint8(bufPtr, 0); // preopen type: directory
        view.setUint32(bufPtr + 4, PREOPEN_NAME.length, true);
        return ERRNO_SUCCESS;
      },
      fd_prestat_dir_name: (fd: number, pathPtr: number, pathLen: number) => {
        if (fd !== PREOPEN_FD) return ERRNO_BADF;
        this.bytes().set(new TextEncoder().encode(PREOPEN_NAME).subarray(0, pathLen), pathPtr);
        return ERRNO_SUCCESS;
      },
      fd_read: (fd: number, iovsPtr: number, iovsLen: number, nreadPtr: number) =>
        this.fdRead(fd, iovsPtr, iovsLen, nreadPtr),
      fd_seek: (fd: number, offset: bigint, whence: number, newOffsetPtr: number) =>
        this.fdSeek(fd, offset, whence, newOffsetPtr),
      fd_write: (fd: number, iovsPtr: number, iovsLen: number, nwrittenPtr: number) =>
        this.fdWrite(fd, iovsPtr, iovsLen, nwrittenPtr),
      path_open: (
        dirFd: number,
        _dirFlags: number,
        pathPtr: number,
        pathLen: number,
        oflags: number,
        _rightsBase: bigint,
        _rightsInheriting: bigint,
        _fdFlags: number,
        fdPtr: number,
      ) => this.pathOpen(dirFd, pathPtr, pathLen, oflags, fdPtr),
      proc_exit: (code: number) => {
        throw new WasiExit(code);
      },
    },
  };

  /** Binds the instance whose memory and `_start` this host serves. */
  attach(instance: WasmInstanceLike): void {
    const { memory, _start } = instance.exports as { memory?: { buffer?: unknown }; _start?: () => void };
    if (memory === undefined || !(memory.buffer instanceof ArrayBuffer) || typeof _start !== 'function') {
      throw new Error('The wasm module is not a WASI command (no memory or _start export).');
    }
    this.memory = memory as { readonly buffer: ArrayBuffer };
    this.start = _start;
  }

  /** Runs the program once with `args` (argv[1..]); returns exit code, stdout and files. */
  run(args: readonly string[]): WasiRunResult {
    if (this.start === undefined) throw new Error('MemoryWasi.run called before attach().');
    const start = this.start;
    this.start = undefined;
    this.args = ['program', ...args];
    let exitCode = 0;
    try {
      start();
    } catch (error) {
      if (error instanceof WasiExit) exitCode = error.code;
      else throw error;
    }
    const files = new Map<string, Uint8Array>();
    for (const [name, file] of this.files) files.set(name, file.contents());
    return { exitCode, stdout: this.stdout, files };
  }

  private view(): DataView {
    if (this.memory === undefined) throw new Error('MemoryWasi used before attach().');
    return new DataView(this.memory.buffer);
  }

  private bytes(): Uint8Array {
    if (this.memory === undefined) throw new Error('MemoryWasi used before attach().');
    return new Uint8Array(this.memory.buffer);
  }

  private encodedArgs(): Uint8Array[] {
    const encoder = new TextEncoder();
    return this.args.map((a) => encoder.encode(`${a}\0`));
  }

  private argsSizesGet(argcPtr: number, bufSizePtr: number): number {
    const encoded = this.encodedArgs();
    const view = this.view();
    view.setUint32(argcPtr, encoded.length, true);
    view.setUint32(
      bufSizePtr,
      encoded.reduce((n, a) => n + a.length, 0),
      true,
    );
    return ERRNO_SUCCESS;
  }

  private argsGet(argvPtr: number, bufPtr: number): number {
    const view = this.view();
    const bytes = this.bytes();
    let offset = bufPtr;
    this.encodedArgs().forEach((arg, i) => {
      view.setUint32(argvPtr + i * 4, offset, true);
      bytes.set(arg, offset);
      offset += arg.length;
    });
    return ERRNO_SUCCESS;
  }

  private fdstatGet(fd: number, bufPtr: number): number {
    let fileType: number;
    if (fd <= 2) fileType = FILETYPE_CHARACTER_DEVICE;
    else if (fd === PREOPEN_FD) fileType = FILETYPE_DIRECTORY;
    else if (this.fds.has(fd)) fileType = FILETYPE_REGULAR_FILE;
    else return ERRNO_BADF;
    const view = this.view();
    view.setUint8(bufPtr, fileType);
    view.setUint16(bufPtr + 2, 0, true);
    view.setBigUint64(bufPtr + 8, 0xffff_ffff_ffff_ffffn, true);
    view.setBigUint64(bufPtr + 16, 0xffff_ffff_ffff_ffffn, true);
    return ERRNO_SUCCESS;
  }

  private pathOpen(dirFd: number, pathPtr: number, pathLen: number, oflags: number, fdPtr: number): number {
    if (dirFd !== PREOPEN_FD) return ERRNO_BADF;
    const name = this.decoder.decode(this.bytes().slice(pathPtr, pathPtr + pathLen));
    let file = this.files.get(name);
    if (file === undefined) {
      if ((oflags & OFLAGS_CREAT) === 0) return ERRNO_NOENT;
      file = new MemoryFile();
      this.files.set(name, file);
    } else if ((oflags & OFLAGS_TRUNC) !== 0) {
      file.length = 0;
    }
    const fd = this.nextFd++;
    this.fds.set(fd, { name, position: 0 });
    this.view().setUint32(fdPtr, fd, true);
    return ERRNO_SUCCESS;
  }

  private gather(iovsPtr: number, iovsLen: number): Uint8Array {
    const view = this.view();
    const bytes = this.bytes();
    const parts: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; i < iovsLen; i++) {
      const buf = view.getUint32(iovsPtr + i * 8, true);
      const len = view.getUint32(iovsPtr + i * 8 + 4, true);
      parts.push(bytes.slice(buf, buf + len));
      total += len;
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  private fdWrite(fd: number, iovsPtr: number, iovsLen: number, nwrittenPtr: number): number {
    const data = this.gather(iovsPtr, iovsLen);
    if (fd === 1 || fd === 2) {
      if (fd === 1) this.stdout += this.decoder.decode(data);
    } else {
      const open = this.fds.get(fd);
      const file = open === undefined ? undefined : this.files.get(open.name);
      if (open === undefined || file === undefined) return ERRNO_BADF;
      file.write(open.position, data);
      open.position += data.length;
    }
    this.view().setUint32(nwrittenPtr, data.length, true);
    return ERRNO_SUCCESS;
  }

  private fdRead(fd: number, iovsPtr: number, iovsLen: number, nreadPtr: number): number {
    const view = this.view();
    if (fd === 0) {
      view.setUint32(nreadPtr, 0, true);
      return ERRNO_SUCCESS;
    }
    const open = this.fds.get(fd);
    const file = open === undefined ? undefined : this.files.get(open.name);
    if (open === undefined || file === undefined) return ERRNO_BADF;
    const bytes = this.bytes();
    let read = 0;
    for (let i = 0; i < iovsLen; i++) {
      const buf = view.getUint32(iovsPtr + i * 8, true);
      const len = view.getUint32(iovsPtr + i * 8 + 4, true);
      const n = Math.max(0, Math.min(len, file.length - open.position));
      bytes.set(file.bytes.subarray(open.position, open.position + n), buf);
      open.position += n;
      read += n;
      if (n < len) break;
    }
    view.setUint32(nreadPtr, read, true);
    return ERRNO_SUCCESS;
  }

  private fdSeek(fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
    if (fd <= 2) return ERRNO_NOSYS;
    const open = this.fds.get(fd);
    const file = open === undefined ? undefined : this.files.get(open.name);
    if (open === undefined || file === undefined) return ERRNO_BADF;
    const base = whence === 0 ? 0 : whence === 1 ? open.position : whence === 2 ? file.length : -1;
    if (base < 0) return ERRNO_INVAL;
    const position = base + Number(offset);
    if (position < 0) return ERRNO_INVAL;
    open.position = position;
    this.view().setBigUint64(newOffsetPtr, BigInt(position), true);
    return ERRNO_SUCCESS;
  }
}
