import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeOnnxModel } from '../../tests/fixtures/onnx-builder.js';
import { isAutoVoiceError } from '../errors/index.js';
import { configureOnnxExecution, loadOnnxModel, onnxDevices, resolveExecutionProvider } from './onnx-session.adapter.js';

const dir = mkdtempSync(join(tmpdir(), 'autovoice-onnx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** y = x * 2 + b, where b is an int64 input cast to float and broadcast. */
function writeAffineModel(): string {
  return writeOnnxModel(dir, 'affine.onnx', {
    inputs: [
      { name: 'x', type: 'float32', shape: [1, 'n'] },
      { name: 'b', type: 'int64', shape: [1] },
    ],
    outputs: [{ name: 'y', type: 'float32', shape: [1, 'n'] }],
    initializers: [{ name: 'two', type: 'float32', dims: [], data: [2] }],
    nodes: [
      { op: 'Mul', inputs: ['x', 'two'], outputs: ['x2'] },
      { op: 'Cast', inputs: ['b'], outputs: ['bf'], attributes: { to: 1 } },
      { op: 'Add', inputs: ['x2', 'bf'], outputs: ['y'] },
    ],
  });
}

describe('loadOnnxModel', () => {
  test('loads a built model, reports its interface and runs it', async () => {
    const model = await loadOnnxModel(writeAffineModel());
    assert.deepEqual(model.inputNames, ['x', 'b']);
    assert.deepEqual(model.outputNames, ['y']);
    assert.deepEqual(model.inputMetadata[0], { name: 'x', type: 'float32', shape: [1, 'n'] });
    assert.deepEqual(model.inputMetadata[1], { name: 'b', type: 'int64', shape: [1] });
    const out = await model.run({
      x: { type: 'float32', data: new Float32Array([1, -0.5, 3]), dims: [1, 3] },
      b: { type: 'int64', data: new BigInt64Array([10n]), dims: [1] },
    });
    assert.deepEqual(out.y?.dims, [1, 3]);
    assert.deepEqual(Array.from(out.y?.data as Float32Array), [12, 9, 16]);
    await model.release();
  });

  test('missing file → model.not_found', async () => {
    await assert.rejects(loadOnnxModel(join(dir, 'nope.onnx')), (e) =>
      isAutoVoiceError(e, 'model.not_found'),
    );
  });

  test('garbage bytes → model.invalid', async () => {
    const path = join(dir, 'garbage.onnx');
    writeFileSync(path, 'this is not a protobuf model');
    await assert.rejects(loadOnnxModel(path), (e) => isAutoVoiceError(e, 'model.invalid'));
  });

  test('a missing required input → model.invalid listing the actual names', async () => {
    await assert.rejects(
      loadOnnxModel(writeAffineModel(), { requiredInputs: ['input', 'x'], requiredOutputs: ['output'] }),
      (e) => {
        assert.ok(isAutoVoiceError(e, 'model.invalid'));
        assert.deepEqual(e.details?.inputNames, ['x', 'b']);
        assert.deepEqual(e.details?.outputNames, ['y']);
        assert.deepEqual(e.details?.missingInputs, ['input']);
        assert.deepEqual(e.details?.missingOutputs, ['output']);
        return true;
      },
    );
  });

  test('feeding the wrong inputs is a usage error naming the expected inputs', async () => {
    const model = await loadOnnxModel(writeAffineModel());
    await assert.rejects(
      model.run({ x: { type: 'float32', data: new Float32Array(2), dims: [1, 2] } }),
      (e) => {
        assert.ok(isAutoVoiceError(e, 'usage.invalid_argument'));
        assert.deepEqual(e.details?.missing, ['b']);
        return true;
      },
    );
    await model.release();
  });
});

test('onnxDevices always offers the CPU', () => {
  const devices = onnxDevices();
  assert.ok(devices.some((d) => d.executionProvider === 'cpu' && d.available));
  assert.ok(devices.some((d) => d.executionProvider === 'cuda'));
});

describe('execution provider preference', () => {
  const cudaUsable = onnxDevices().some((d) => d.executionProvider === 'cuda' && d.available);

  test('cpu is always honoured; auto and cuda resolve to CUDA only when its provider is installed', () => {
    assert.equal(resolveExecutionProvider('cpu'), 'cpu');
    assert.equal(resolveExecutionProvider('auto'), cudaUsable ? 'cuda' : 'cpu');
    assert.equal(resolveExecutionProvider('cuda'), cudaUsable ? 'cuda' : 'cpu');
  });

  test('asking for CUDA where it is missing falls back to the CPU and says so; models then load on the CPU', async () => {
    const result = configureOnnxExecution('cuda');
    try {
      assert.deepEqual(result, cudaUsable ? { provider: 'cuda', fellBack: false } : { provider: 'cpu', fellBack: true });
      const model = await loadOnnxModel(writeAffineModel());
      assert.equal(model.executionProvider, result.provider);
      await model.release();
    } finally {
      configureOnnxExecution('auto');
    }
  });
});
