// Request validation: bodies are checked strictly (no type coercion, unknown fields rejected, so a
// client bug shows up as a 400 naming the field); query strings and params are text on the wire and
// are coerced to the declared types.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { HttpError } from './errors.js';
import { describeValidationError } from './validation.js';

function createAjv(coerceTypes: boolean | 'array'): Ajv.default {
  const ajv = new Ajv.default({
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

const strict = createAjv(false);
const coercing = createAjv('array');

export function registerValidators(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    return ajv.compile(schema as object);
  });
  app.setSchemaErrorFormatter((errors, dataVar) => new HttpError(400, describeValidationError(errors, dataVar)));
}

/** Validates a value outside HTTP (GraphQL inputs) with the same rules and messages as a JSON body. */
export function compileBodyValidator<T>(schema: TSchema, context: string): (value: unknown) => T {
  const validate = strict.compile(schema);
  return (value) => {
    if (!validate(value)) {
      throw new HttpError(400, describeValidationError(validate.errors as never, context));
    }
    return value as T;
  };
}
