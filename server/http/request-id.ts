// Request ids: a caller (or a proxy in front) may pass its own in `x-request-id` so logs line up across
// services, but the id is echoed in a response header and written to every log line, so only a short,
// plain one is taken; anything else (control characters, CRLF, 10 kB) gets a fresh UUID instead.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFor(request: Pick<IncomingMessage, 'headers'>): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}
