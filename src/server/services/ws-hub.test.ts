import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WebSocket } from 'ws';
import { WsConnection } from './ws-hub.js';

/** A socket whose send buffer the test fills by hand: records what was sent and how it closed. */
function fakeSocket(): {
  socket: WebSocket;
  sent: (string | Uint8Array)[];
  closed: { code: number; reason: string } | undefined;
  setBuffered(bytes: number): void;
} {
  const state = { buffered: 0, open: true };
  const record = {
    sent: [] as (string | Uint8Array)[],
    closed: undefined as { code: number; reason: string } | undefined,
  };
  const socket = {
    OPEN: 1,
    get readyState() {
      return state.open ? 1 : 3;
    },
    get bufferedAmount() {
      return state.buffered;
    },
    send(data: string | Uint8Array) {
      record.sent.push(data);
      state.buffered += typeof data === 'string' ? data.length : data.byteLength;
    },
    close(code: number, reason: string) {
      record.closed = { code, reason };
      state.open = false;
    },
  } as unknown as WebSocket;
  return {
    socket,
    get sent() {
      return record.sent;
    },
    get closed() {
      return record.closed;
    },
    setBuffered(bytes: number) {
      state.buffered = bytes;
    },
  };
}

describe('WsConnection send-buffer limit (slow clients)', () => {
  const limits = { maxBufferedBytes: 1000, maxSubscriptions: 4 };

  test('progress is dropped once half the buffer is queued; results still go out', () => {
    const fake = fakeSocket();
    const connection = new WsConnection(fake.socket, limits);
    connection.send({ type: 'progress', fraction: 0.1 }, true);
    assert.equal(fake.sent.length, 1);
    fake.setBuffered(600);
    connection.send({ type: 'progress', fraction: 0.2 }, true);
    assert.equal(fake.sent.length, 1, 'a droppable message over half the limit is skipped');
    connection.send({ type: 'succeeded', jobId: 'j1' });
    assert.equal(fake.sent.length, 2, 'a final message still goes out under the limit');
    assert.match(fake.sent[1] as string, /"type":"succeeded"/);
    assert.equal(fake.closed, undefined);
  });

  test('over the limit the connection is closed with 1008, for JSON and binary frames alike', () => {
    for (const binary of [false, true]) {
      const fake = fakeSocket();
      const connection = new WsConnection(fake.socket, limits);
      fake.setBuffered(1001);
      if (binary) connection.sendBinary(new Uint8Array(10));
      else connection.send({ type: 'succeeded', jobId: 'j1' });
      assert.equal(fake.sent.length, 0, 'nothing more is queued for a stalled client');
      assert.equal(fake.closed?.code, 1008);
      assert.match(fake.closed?.reason ?? '', /too slow/);
      // Once closed, further sends are ignored rather than thrown.
      connection.send({ type: 'progress' }, true);
      connection.sendBinary(new Uint8Array(1));
      assert.equal(fake.sent.length, 0);
    }
  });

  test('a client that keeps up is never throttled', () => {
    const fake = fakeSocket();
    const connection = new WsConnection(fake.socket, limits);
    for (let i = 0; i < 50; i++) {
      connection.send({ type: 'progress', fraction: i / 50 }, true);
      fake.setBuffered(0); // the client reads everything
    }
    assert.equal(fake.sent.length, 50);
    assert.equal(fake.closed, undefined);
  });
});
