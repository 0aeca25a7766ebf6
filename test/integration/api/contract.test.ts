/**
 * The API held to its own OpenAPI document, as a contract-testing tool
 * would (schemathesis `--checks all`): requests generated from each
 * operation's parameters and body schemas, mostly valid and sometimes not,
 * sent with an admin key. Every answer must be below 500, have a status the
 * operation declares, and match the schema declared for that status; a
 * method a path does not list gets 405. Bounded: a few hundred requests.
 */
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNuqta, TEST_SECRETS, type TestNuqta } from '../../helpers/test-nuqta.js';

const RUNS_PER_OPERATION = 12;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
}

interface Operation {
  parameters?: { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

interface Document {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
}

let app: TestNuqta;
let doc: Document;

beforeAll(async () => {
  app = await startTestNuqta('contract', { env: { NUQTA_CAMPAIGNS: 'test/fixtures/campaigns/surface' } });
  doc = (await (await fetch(`${app.url}/docs/openapi.json`)).json()) as Document;
});
afterAll(async () => {
  await app?.cleanup();
});

/** Values a schema admits (what a contract tool generates first). */
function valid(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(valid));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length <= (schema.maxLength ?? 2_000));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valid(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object': {
      const properties = schema.properties ?? {};
      return fc.record(Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valid(property)])), { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue();
  }
}

/** Mostly what the schema admits, sometimes anything: both paths of every route get walked. */
function mostly(schema: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: valid(schema) }, { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant('')) });
}

function requestOf(path: string, operation: Operation) {
  const parameters = operation.parameters ?? [];
  const entries = parameters.map((parameter) => {
    const value = mostly(parameter.schema).map((generated) => (typeof generated === 'string' ? generated : JSON.stringify(generated)));
    return [`${parameter.in}:${parameter.name}`, parameter.required || parameter.in === 'path' ? value : fc.option(value, { nil: undefined })] as const;
  });
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  return fc.record({
    values: fc.record(Object.fromEntries(entries)),
    body: bodySchema ? mostly(bodySchema) : fc.constant(undefined),
  }).map(({ values, body }) => {
    let url = path;
    const query = new URLSearchParams();
    const headers: Record<string, string> = { authorization: `Bearer ${TEST_SECRETS.adminKey}` };
    for (const [key, value] of Object.entries(values as Record<string, string | undefined>)) {
      if (value === undefined) continue;
      const [where, name = ''] = key.split(/:(.*)/s);
      if (where === 'path') url = url.replace(`{${name}}`, encodeURIComponent(value === '' ? ' ' : value));
      else if (where === 'query') query.set(name, value);
      else if (/^[\x21-\x7e]*$/.test(value)) headers[name] = value;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    return { url: `${url}${query.size > 0 ? `?${query}` : ''}`, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  });
}

describe('the API against its OpenAPI document', () => {
  it('answers every generated request below 500, with a declared status and a body of the declared schema', { timeout: 240_000 }, async () => {
    const ajv = new Ajv({ strict: false, allErrors: false });
    formats.default(ajv);
    const failures: string[] = [];
    let requests = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const operation = operations[method];
        if (!operation) continue;
        await fc.assert(fc.asyncProperty(requestOf(path, operation), async (request) => {
          requests += 1;
          const response = await fetch(`${app.url}${request.url}`, { method: method.toUpperCase(), headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }) });
          const text = await response.text();
          const where = `${method.toUpperCase()} ${request.url.slice(0, 120)} → ${response.status}`;
          if (response.status >= 500) failures.push(`${where}: server error ${text.slice(0, 200)}`);
          const declared = operation.responses[String(response.status)];
          if (!declared) {
            failures.push(`${where}: status not declared`);
            return;
          }
          const schema = declared.content?.['application/json']?.schema;
          if (!schema || !(response.headers.get('content-type') ?? '').includes('application/json')) return;
          const validate = ajv.compile(schema);
          if (!validate(JSON.parse(text))) failures.push(`${where}: body does not match the declared schema: ${ajv.errorsText(validate.errors)}`);
        }), { numRuns: RUNS_PER_OPERATION, seed: 4242 });
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(200);
  });

  it('answers 405 with an Allow header for a method a path does not list', async () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      const listed = METHODS.filter((method) => operations[method] !== undefined);
      const other = METHODS.find((method) => !listed.includes(method));
      if (!other) continue;
      const concrete = path.replace(/\{[^}]+\}/g, 'x');
      const response = await fetch(`${app.url}${concrete}`, { method: other.toUpperCase() });
      expect(response.status, `${other} ${path}`).toBe(405);
      expect(response.headers.get('allow'), `${other} ${path}`).toContain(listed[0]?.toUpperCase());
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NUQTA_METHOD_NOT_ALLOWED');
    }
  });
});
