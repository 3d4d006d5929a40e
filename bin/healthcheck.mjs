#!/usr/bin/env node
// Container health check without curl: GET /health/ready on the local server; exit 0 when it
// answers 200, 1 otherwise (Docker's HEALTHCHECK contract). Reads the same port variables as
// the server.
import http from 'node:http';

const port = Number(process.env.AUTOVOICE_PORT ?? process.env.PORT ?? 5000);
const request = http.get(
  { host: '127.0.0.1', port, path: '/health/ready', timeout: 4000 },
  (response) => {
    response.resume();
    process.exit(response.statusCode === 200 ? 0 : 1);
  },
);
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', () => process.exit(1));
