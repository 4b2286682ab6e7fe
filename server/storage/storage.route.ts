// The local driver's upload endpoint. It is public: the signed URL is the authorisation, checked by
// LocalObjectStorage (signature, expiry, single use, content type, size). Bodies are taken as raw
// bytes of any content type, in this route's scope only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import { UploadAccepted, UploadParams, UploadQuery } from '../../shared/schemas/storage.js';
import { MAX_UPLOAD_BYTES, UPLOAD_ROUTE, type LocalObjectStorage } from './local-storage.js';

export const storageUploadRoutes: FastifyPluginAsyncTypebox<{ storage: LocalObjectStorage }> = async (
  app,
  { storage },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) =>
    done(null, body),
  );

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
    },
    async (request) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const { bytes } = await storage.acceptUpload({
        grantId: request.params.grantId,
        expires: request.query.expires,
        signature: request.query.signature,
        contentType: request.headers['content-type'],
        body,
      });
      return { stored: true as const, bytes };
    },
  );
};
