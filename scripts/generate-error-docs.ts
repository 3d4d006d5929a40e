// Writes docs/errors.md from the error registry (src/errors/error-codes.ts): every stable code with
// its kind, HTTP status, CLI exit code and meaning. `npm run errors:docs`; a test fails when the
// committed file differs from a fresh generation.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, EXIT_CODE_BY_KIND, HTTP_STATUS_BY_KIND } from '../src/errors/error-codes.js';

/** The Markdown text of docs/errors.md. */
export function renderErrorDocs(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, { kind, description }]) =>
      `| \`${code}\` | ${kind} | ${HTTP_STATUS_BY_KIND[kind]} | ${EXIT_CODE_BY_KIND[kind]} | ${description} |`,
  );
  return [
    '# Error codes',
    '',
    'Generated from `src/errors/error-codes.ts` by `npm run errors:docs` — do not edit by hand.',
    '',
    'Every failure AutoVoice reports carries one of these stable codes: in the HTTP body',
    '`{ "error": { "code", "message", "details" }, "requestId" }` (see [api.md](api.md#errors)), in a',
    "failed job's `error.code`, and on the CLI's stderr (`autovoice: error [code]: message`, or JSON",
    'with `--json`). Codes are never renamed. The kind decides the HTTP status and the exit code.',
    '',
    '| code | kind | HTTP | exit | meaning |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorDocs());
}
