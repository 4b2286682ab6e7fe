// The local driver's upload endpoint. It is public: the signed URL is the authorisation, checked by
// LocalObjectStorage (signature, expiry, single use, content type, size). The URL and headers are
// checked in onRequest, before a byte of the body is read, so an anonymous client without a valid URL
// cannot make the server buffer megabytes; a refusal closes the connection instead of draining the
// unread body. Bodies are taken as raw bytes of any content type, in this route's scope only.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import { UploadAccepted, UploadParams, UploadQuery } from '../../shared/schemas/storage.js';
import { HttpError } from '../http/errors.js';
import { assertRequestHasNoNul } from '../http/nul-characters.js';
import { describeValidationError } from '../http/validation.js';
import { MAX_UPLOAD_BYTES, UPLOAD_ROUTE, type LocalObjectStorage } from './local-storage.js';
import type { UploadGrant } from './upload-grants.repository.js';

/** Validates a URL part with the route's own schema now, rather than after the body is parsed. */
function validateEarly(request: FastifyRequest, part: 'params' | 'querystring'): void {
  const validate = request.getValidationFunction(part);
  const value = part === 'params' ? request.params : request.query;
  if (validate && !validate(value)) {
    throw new HttpError(400, describeValidationError((validate.errors ?? []) as never, part));
  }
}

function declaredBytes(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

export const storageUploadRoutes: FastifyPluginAsyncTypebox<{ storage: LocalObjectStorage }> = async (
  app,
  { storage },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  const authorised = new WeakMap<FastifyRequest, UploadGrant>();

  app.put(
    `${UPLOAD_ROUTE}/:grantId`,
    {
      config: { access: 'public' },
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags: ['storage'],
        summary: 'Upload one object through a signed upload URL (local storage driver)',
        description:
          'The URL comes from the server (e.g. the Spotify import job asks for one per raw page). It is ' +
          'HMAC-signed, expires, and accepts exactly one PUT of the content type and size it was issued for.',
        params: UploadParams,
        querystring: UploadQuery,
        response: {
          200: UploadAccepted,
          400: ErrorResponse,
          403: ErrorResponse,
          409: ErrorResponse,
          410: ErrorResponse,
          413: ErrorResponse,
          415: ErrorResponse,
        },
      },
      onRequest: async (request, reply) => {
        try {
          assertRequestHasNoNul(request, { body: false });
          validateEarly(request, 'params');
          validateEarly(request, 'querystring');
          // Typed by the route's schemas, and now (above) checked and coerced by them too.
          const { grantId } = request.params;
          const { expires, signature } = request.query;
          const grant = await storage.authorizeUpload({
            grantId,
            expires,
            signature,
            contentType: request.headers['content-type'],
            declaredBytes: declaredBytes(request),
          });
          authorised.set(request, grant);
        } catch (error) {
          reply.header('connection', 'close');
          throw error;
        }
      },
    },
    async (request) => {
      const grant = authorised.get(request);
      if (!grant) throw new Error('upload reached its handler without an authorised grant');
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      return { stored: true as const, ...(await storage.storeUpload(grant, body)) };
    },
  );
};
