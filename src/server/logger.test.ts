import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from './logger.js';

test('redactUrl hides api_key values in query strings', () => {
  assert.equal(redactUrl('/api/v1/ws?api_key=av_123_secret&x=1'), '/api/v1/ws?api_key=[redacted]&x=1');
  assert.equal(redactUrl('/api/v1/ws?x=1&API_KEY=s'), '/api/v1/ws?x=1&API_KEY=[redacted]');
  assert.equal(redactUrl('/health'), '/health');
});
