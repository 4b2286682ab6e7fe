// Turns Ajv's schema errors into one message that names the field with a dotted path,
// e.g. "body.location.lat must be <= 90" or "body.nickname is not a known field".
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

export function fieldPath(context: string, instancePath: string, extra?: string): string {
  const segments = instancePath.split('/').filter(Boolean).map(decodePointer);
  if (extra) segments.push(extra);
  return [context, ...segments]
    .map((s, i) => (i > 0 && /^\d+$/.test(s) ? `[${s}]` : s))
    .join('.')
    .replace(/\.\[/g, '[');
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function describeValidationError(errors: FastifySchemaValidationError[], context: string): string {
  const error = errors[0];
  if (!error) return `${context} is invalid`;
  const params = error.params;
  switch (error.keyword) {
    case 'required':
      return `${fieldPath(context, error.instancePath, String(params.missingProperty))} is required`;
    case 'additionalProperties':
      return `${fieldPath(context, error.instancePath, String(params.additionalProperty))} is not a known field`;
    case 'propertyNames':
      return `${fieldPath(context, error.instancePath)} has a key that is not allowed (${String(params.propertyName)})`;
    case 'anyOf':
    case 'oneOf':
      return `${fieldPath(context, error.instancePath)} is not one of the allowed values`;
    default:
      return `${fieldPath(context, error.instancePath)} ${error.message ?? 'is invalid'}`;
  }
}
