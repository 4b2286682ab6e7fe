// Request generators for the route fuzz test: from a route's OpenAPI operation, fast-check arbitraries
// that produce requests a hostile or buggy client might send — values of the wrong type, missing and
// extra fields, oversize strings and arrays, control, NUL and bidi characters, prototype keys, bad
// JSON and bad percent-encoding — mixed with values that follow the schema, so validation is passed
// often enough to reach the handlers too.
import fc from 'fast-check';

export type JsonSchema = Record<string, unknown>;

export interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

export interface FuzzRequest {
  url: string;
  headers: Record<string, string>;
  /** Raw text sent as the body; absent: no body. */
  body?: string;
}

/** Strings no handler should choke on. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'nul\u0000inside',
  '\u0007\u001b[31mred',
  '\r\nX-Injected: 1',
  '\u202eevil\u202c',
  '\u2066isolate\u2069',
  '\ufeffbom',
  '\ud800',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  "' OR 1=1 --",
  '%00',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '9'.repeat(40),
  'x'.repeat(5_000),
  'y'.repeat(70_000),
];

const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  -0.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  [],
  {},
  [null],
  Array.from({ length: 5_000 }, (_, i) => i),
  Array.from({ length: 2_000 }, () => 'z'.repeat(20)),
  nested(150),
  ...HOSTILE_STRINGS,
];

/** Raw bodies that are not the JSON a route expects. */
const HOSTILE_BODIES = [
  '',
  '{',
  '}',
  'null',
  '[]',
  '"text"',
  '0',
  '{"a":1}{"b":2}',
  '\u0000',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":"\\ud800"}',
  `[${'['.repeat(2_000)}${']'.repeat(2_000)}]`,
  `{"big":"${'b'.repeat(300_000)}"}`,
];

const HOSTILE_QUERIES = ['%zz', '%00', 'a=%E0%A4%A', '&&&=&', 'k[]=1&k[]=2', `q=${'w'.repeat(9_000)}`, '__proto__=1'];

const HOSTILE_PATH_SEGMENTS = ['%zz', '%00', '%2e%2e%2f%2e%2e', '%E2%80%AE', 'a'.repeat(300), 'b'.repeat(9_000), '%20'];

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { n: value };
  return value;
}

/** Resolves `$ref`s into the document's components. */
export function resolver(document: { components?: { schemas?: Record<string, JsonSchema> } }) {
  return function resolve(schema: JsonSchema | undefined): JsonSchema {
    let current = schema ?? {};
    for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops++) {
      const name = current.$ref.split('/').pop() ?? '';
      current = document.components?.schemas?.[name] ?? {};
    }
    return current;
  };
}

/** A value that follows the schema (within small sizes), so requests get past validation. */
function conforming(schema: JsonSchema, resolve: (s: JsonSchema) => JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const variants = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (variants?.length) return fc.oneof(...variants.map((v) => conforming(v, resolve, depth)));
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as unknown[]));
  if ('const' in s) return fc.constant(s.const);
  if (depth > 4) return fc.constant(null);
  switch (s.type) {
    case 'string':
      return conformingString(s);
    case 'integer':
      return fc.integer({
        min: typeof s.minimum === 'number' ? Math.ceil(s.minimum) : -1_000,
        max: typeof s.maximum === 'number' ? Math.floor(s.maximum) : 1_000,
      });
    case 'number':
      return fc.double({
        min: typeof s.minimum === 'number' ? s.minimum : -1_000,
        max: typeof s.maximum === 'number' ? s.maximum : 1_000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(conforming((s.items as JsonSchema) ?? {}, resolve, depth + 1), {
        minLength: typeof s.minItems === 'number' ? Math.min(s.minItems, 3) : 0,
        maxLength: Math.min(typeof s.maxItems === 'number' ? s.maxItems : 4, 4),
      });
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = (s.required ?? []) as string[];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, child] of Object.entries(properties)) model[key] = conforming(child, resolve, depth + 1);
      return fc.record(model, { requiredKeys: required.filter((key) => key in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function conformingString(s: JsonSchema): fc.Arbitrary<string> {
  switch (s.format) {
    case 'date':
      return fc.constantFrom('1990-01-01', '2001-02-28', '1975-12-31');
    case 'date-time':
      return fc.constantFrom('2026-01-01T00:00:00Z', '2025-06-30T12:00:00.000Z');
    case 'uuid':
      return fc.uuid();
    case 'uri':
      return fc.constantFrom('https://example.org/a', 'http://127.0.0.1/x');
  }
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  const maxLength = Math.max(minLength, Math.min(typeof s.maxLength === 'number' ? s.maxLength : 24, 24));
  return fc.string({ minLength, maxLength, unit: 'grapheme-ascii' });
}

/** Mostly hostile: anything a client could put where this schema's value goes. */
export function fuzzValue(
  schema: JsonSchema,
  resolve: (s: JsonSchema) => JsonSchema,
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const arbitraries: Array<fc.WeightedArbitrary<unknown>> = [
    { arbitrary: conforming(s, resolve, depth), weight: 3 },
    { arbitrary: fc.constantFrom(...HOSTILE_VALUES), weight: 3 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  ];
  if (s.type === 'object' && s.properties && depth < 3) {
    arbitraries.push({ arbitrary: mutatedObject(s, resolve, depth), weight: 4 });
  }
  if (s.type === 'array' && depth < 3) {
    arbitraries.push({
      arbitrary: fc.array(fuzzValue((s.items as JsonSchema) ?? {}, resolve, depth + 1), { maxLength: 6 }),
      weight: 2,
    });
  }
  return fc.oneof(...arbitraries);
}

/** The schema's object with one field at a time made hostile, dropped, or an unknown one added. */
function mutatedObject(s: JsonSchema, resolve: (s: JsonSchema) => JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const properties = Object.entries((s.properties ?? {}) as Record<string, JsonSchema>);
  if (properties.length === 0) return fc.constant({});
  const base = conforming(s, resolve, depth) as fc.Arbitrary<Record<string, unknown>>;
  return fc
    .tuple(
      base,
      fc.constantFrom(...properties),
      fc.constantFrom('replace', 'drop', 'extra', 'prototype'),
      fc.constant(null).chain(() => fc.oneof(...properties.map(([, child]) => fuzzValue(child, resolve, depth + 1)))),
    )
    .map(([value, [key], how, hostile]) => {
      const copy: Record<string, unknown> = { ...(value ?? {}) };
      if (how === 'replace') copy[key] = hostile;
      else if (how === 'drop') delete copy[key];
      else if (how === 'extra') copy.unexpectedField = hostile;
      else Object.defineProperty(copy, '__proto__', { value: { polluted: true }, enumerable: true });
      return copy;
    });
}

/** A whole request for a route: path parameters, query and body, each possibly hostile. */
export function fuzzRequest(
  route: { method: string; url: string },
  operation: OpenApiOperation | undefined,
  resolve: (s: JsonSchema) => JsonSchema,
): fc.Arbitrary<FuzzRequest> {
  const pathNames = [...route.url.matchAll(/:([A-Za-z0-9_]+)|\*/g)].map((m) => m[1] ?? '*');
  const parameter = (name: string, where: string) =>
    operation?.parameters?.find((p) => p.in === where && p.name === name)?.schema ?? { type: 'string' };
  const pathArbitrary = fc.tuple(
    ...pathNames.map((name) =>
      fc.oneof(
        { arbitrary: fuzzValue(parameter(name, 'path'), resolve).map((v) => encodeSegment(asText(v))), weight: 3 },
        { arbitrary: fc.constantFrom(...HOSTILE_PATH_SEGMENTS), weight: 1 },
      ),
    ),
  );
  const queryParameters = (operation?.parameters ?? []).filter((p) => p.in === 'query');
  const queryObject: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of queryParameters) queryObject[p.name] = fuzzValue(p.schema ?? {}, resolve);
  const queryArbitrary = fc.oneof(
    { arbitrary: fc.record(queryObject, { requiredKeys: [] }).map(encodeQuery), weight: 4 },
    { arbitrary: fc.constantFrom(...HOSTILE_QUERIES), weight: 1 },
  );
  const bodySchema = operation?.requestBody?.content?.['application/json']?.schema;
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
  const bodyArbitrary: fc.Arbitrary<{ body?: string; contentType?: string }> = hasBody
    ? fc.oneof(
        { arbitrary: fuzzValue(bodySchema ?? { type: 'object' }, resolve).map(jsonBody), weight: 6 },
        {
          arbitrary: fc.constantFrom(...HOSTILE_BODIES).map((body) => ({ body, contentType: 'application/json' })),
          weight: 2,
        },
        {
          arbitrary: fc.constantFrom(
            { body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
            { body: 'plain', contentType: 'text/plain' },
            { body: '{}', contentType: 'application/json; charset=utf-16' },
            { body: '{}', contentType: 'multipart/form-data; boundary=x' },
            { body: undefined, contentType: 'application/json' },
          ),
          weight: 1,
        },
      )
    : fc.constant({});
  return fc.tuple(pathArbitrary, queryArbitrary, bodyArbitrary).map(([segments, query, { body, contentType }]) => {
    let index = 0;
    const path = route.url.replace(/:([A-Za-z0-9_]+)|\*/g, () => segments[index++] ?? 'x');
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    return { url: query ? `${path}?${query}` : path, headers, body };
  });
}

function jsonBody(value: unknown): { body: string; contentType: string } {
  return { body: JSON.stringify(value) ?? 'null', contentType: 'application/json' };
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/** Percent-encodes a path segment; a lone surrogate (not encodable as UTF-8) goes raw as its bytes would. */
function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
}

function encodeQuery(values: Record<string, unknown>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const items = Array.isArray(value) ? value.slice(0, 20) : [value];
    for (const item of items) pairs.push(`${encodeSegment(key)}=${encodeSegment(asText(item))}`);
  }
  return pairs.join('&');
}
