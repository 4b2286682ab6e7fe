// The HTTP edge's one mapping of a service's refusal: each kind's status, and where a field is placed
// in the request that carried it (params, querystring, body, a header, or the whole body).
import { describe, expect, it } from 'vitest';
import { DomainError, invalid, notFound, type DomainErrorKind } from '../errors/domain-errors.js';
import { HTTP_STATUS_FOR, placeField } from './errors.js';

type PlacedRequest = Parameters<typeof placeField>[0];

function request(parts: Partial<PlacedRequest>): PlacedRequest {
  return { method: 'POST', params: {}, query: {}, body: undefined, headers: {}, ...parts };
}

describe('HTTP_STATUS_FOR', () => {
  it.each<[DomainErrorKind, number]>([
    ['malformed', 400],
    ['invalid', 422],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['gone', 410],
    ['too_large', 413],
    ['unsupported_media_type', 415],
    ['unavailable', 503],
    ['upstream_failed', 502],
  ])('answers %s with %i', (kind, status) => {
    expect(HTTP_STATUS_FOR[kind]).toBe(status);
  });
});

describe('placeField', () => {
  it('places a field where the request carried it: params, querystring, body, headers', () => {
    const sent = request({
      method: 'PUT',
      params: { id: '7' },
      query: { viewerId: 'v' },
      body: { scores: [{ memberId: 'm' }] },
      headers: { 'idempotency-key': 'k' },
    });
    expect(placeField(sent, 'id')).toBe('params.id');
    expect(placeField(sent, 'viewerId')).toBe('querystring.viewerId');
    expect(placeField(sent, 'scores[3].memberId')).toBe('body.scores[3].memberId');
    expect(placeField(sent, 'idempotency-key')).toBe('headers.idempotency-key');
  });

  it('prefers the route parameter when the body holds a field of the same name', () => {
    expect(placeField(request({ params: { id: 'a' }, body: { id: 'b' } }), 'id')).toBe('params.id');
  });

  it('places a field the request did not send where its method carries input', () => {
    expect(placeField(request({ method: 'GET' }), 'viewerId')).toBe('querystring.viewerId');
    expect(placeField(request({ method: 'DELETE' }), 'viewerId')).toBe('querystring.viewerId');
    expect(placeField(request({ method: 'POST' }), 'status')).toBe('body.status');
    expect(placeField(request({ method: 'PATCH', body: [] }), '[0].id')).toBe('body[0].id');
  });

  it('names the whole input by its location', () => {
    expect(placeField(request({ method: 'POST', body: { a: 1 } }), '')).toBe('body');
    expect(placeField(request({ method: 'GET' }), '')).toBe('querystring');
  });
});

describe('DomainError messages', () => {
  it('start with the field as each edge places it, or with the topic as is', () => {
    const error = invalid('scores[3].memberId', '"x" names no member');
    expect(error.message).toBe('scores[3].memberId: "x" names no member');
    expect(error.messageWithField((field) => `body.${field}`)).toBe('body.scores[3].memberId: "x" names no member');
    const topical = new DomainError('conflict', 'preview needs locally signed tokens', { topic: 'auth' });
    expect(topical.messageWithField((field) => `body.${field}`)).toBe('auth: preview needs locally signed tokens');
  });

  it('leave naming the whole input to the edge', () => {
    const whole = invalid('', 'nothing to embed');
    expect(whole.message).toBe('nothing to embed');
    expect(whole.messageWithField(() => 'body')).toBe('body: nothing to embed');
  });

  it('keep an underlying cause for the log without showing it', () => {
    const cause = new Error('provider answered 500: quota exceeded for key sk-…');
    const error = new DomainError('upstream_failed', 'the embedding provider failed; try again later', {
      topic: 'provider',
      cause,
    });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('provider: the embedding provider failed; try again later');
    expect(notFound('id', 'no model version "x"').cause).toBeUndefined();
  });
});
