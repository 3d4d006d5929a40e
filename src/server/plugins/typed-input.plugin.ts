import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AutoVoiceError } from '../../errors/index.js';

/** The part of a route schema this plugin reads: the declared type of each top-level field. */
interface FieldSchema {
  readonly type?: unknown;
  readonly items?: FieldSchema;
}
interface ObjectSchema {
  readonly properties?: Readonly<Record<string, FieldSchema>>;
}

interface Issue {
  readonly path: string;
  readonly message: string;
}

/** Decimal notation only: Number() would also take hex, binary, octal, blanks and "Infinity". */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a decimal text means, or undefined when it is not decimal or not finite (1e400). */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function isNumeric(schema: FieldSchema): boolean {
  return schema.type === 'number' || schema.type === 'integer';
}

/** A form field's text typed as its schema declares: strict numbers, true/false, one value → array. */
function typeFormValue(value: unknown, schema: FieldSchema, path: string, issues: Issue[]): unknown {
  const items = schema.items;
  if (schema.type === 'array' && items !== undefined) {
    return (Array.isArray(value) ? value : [value]).map((item, i) => typeFormValue(item, items, `${path}/${i}`, issues));
  }
  if (typeof value !== 'string') return value;
  if (isNumeric(schema)) {
    const number = parseDecimal(value);
    if (number === undefined) issues.push({ path, message: 'must be a finite decimal number' });
    return number ?? value;
  }
  if (schema.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  // Anything else is left to the schema, which answers with its own message.
  return value;
}

/** Why a JSON value does not have its declared type, or undefined when it does (or the type is not a single name). */
function jsonTypeIssue(value: unknown, schema: FieldSchema): string | undefined {
  const type = schema.type;
  if (typeof type !== 'string') return undefined;
  const ok =
    type === 'number' || type === 'integer' ? typeof value === 'number'
    : type === 'array' ? Array.isArray(value)
    : type === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value)
    : type === 'null' ? value === null
    : typeof value === type;
  return ok ? undefined : `must be ${type}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assertNoIssues(where: string, issues: readonly Issue[]): void {
  const first = issues[0];
  if (first !== undefined) throw new AutoVoiceError('request.invalid', `Invalid ${where}: ${first.path} ${first.message}.`, { issues });
}

/** Checks (and for forms, types) the request's values against its route schema before Ajv sees them. */
function checkRequest(request: FastifyRequest): void {
  const schema = request.routeOptions.schema as { body?: ObjectSchema; querystring?: ObjectSchema } | undefined;
  const query = request.query;
  const queryFields = schema?.querystring?.properties;
  if (queryFields !== undefined && isRecord(query)) {
    const issues: Issue[] = [];
    for (const [name, field] of Object.entries(queryFields)) {
      const value = query[name];
      if (isNumeric(field) && typeof value === 'string' && parseDecimal(value) === undefined) issues.push({ path: `querystring/${name}`, message: 'must be a finite decimal number' });
    }
    assertNoIssues('querystring', issues);
  }
  const body = request.body;
  const bodyFields = schema?.body?.properties;
  if (bodyFields === undefined || !isRecord(body)) return;
  const issues: Issue[] = [];
  if (request.isMultipart()) {
    for (const [name, field] of Object.entries(bodyFields)) {
      if (body[name] !== undefined) body[name] = typeFormValue(body[name], field, `body/${name}`, issues);
    }
  } else {
    for (const [name, field] of Object.entries(bodyFields)) {
      const issue = body[name] === undefined ? undefined : jsonTypeIssue(body[name], field);
      if (issue !== undefined) issues.push({ path: `body/${name}`, message: issue });
    }
  }
  assertNoIssues('body', issues);
}

/**
 * Values keep the type the client gave them. Ajv's type coercion (needed for query strings and
 * path parameters, which are text) would otherwise speak `{"text": 123}` as "123", take form text
 * "0x10" as 16, and let "1e400" through as Infinity, which skips every range check. So, before
 * validation: JSON fields must already have their declared type; multipart form text is typed
 * here, strictly; numbers in query strings must be finite decimals. Runs after the uploads
 * plugin has read the form.
 */
async function typedInputPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', async (request) => checkRequest(request));
}

export default fp(typedInputPlugin, { name: 'autovoice-typed-input', dependencies: ['autovoice-uploads'] });
