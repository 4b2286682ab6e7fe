// Serves the built React console (out/renderer) at /console/: hashed assets cached for a year, the
// index never cached, any other path answered with the index so the single-page app can route it
// (a reload of /console/slates/demo-00042 works), and a strict Content-Security-Policy on all of it.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { errorBody } from '../http/errors.js';

export const CONSOLE_PREFIX = '/console';

/**
 * The console only loads its own scripts and talks only to this server. `style-src` allows inline
 * styles because recharts draws with inline `style` attributes; scripts stay strictly same-origin.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Vite content-hashes everything under assets/, so a file there never changes under its name. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
export const REVALIDATE_CACHE = 'no-cache';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SDE console</title></head>
<body><h1>SDE console</h1><p>The console is not built: run <code>npm run build</code>, then reload.</p></body></html>
`;

/**
 * out/renderer under the project root: the nearest folder above `fromDir` holding package.json. This
 * holds from the sources (server/console), from the Electron bundle (out/main) and inside app.asar.
 */
export function defaultRendererDir(fromDir: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = fromDir;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('out', 'renderer');
    dir = parent;
  }
  return path.join(dir, 'out', 'renderer');
}

export type ConsoleFile =
  { kind: 'file'; relativePath: string; cacheControl: string } | { kind: 'index' } | { kind: 'missing-asset' };

/**
 * What a request under /console/ answers: a file of the build, the index (the app routes the path),
 * or a 404 for a missing asset (a stale hashed name must fail loudly, not load HTML as a script).
 */
export function resolveConsoleFile(wildcard: string, isFile: (relativePath: string) => boolean): ConsoleFile {
  // Normalising from the root drops every `..`, so the path cannot leave the build folder.
  const relativePath = path.posix.normalize(`/${wildcard}`).slice(1);
  if (relativePath !== '' && relativePath !== 'index.html' && isFile(relativePath)) {
    const cacheControl = relativePath.startsWith('assets/') ? IMMUTABLE_CACHE : REVALIDATE_CACHE;
    return { kind: 'file', relativePath, cacheControl };
  }
  if (relativePath.startsWith('assets/')) return { kind: 'missing-asset' };
  return { kind: 'index' };
}

export const consoleStaticRoutes: FastifyPluginAsync<{ rendererDir: string }> = async (app, { rendererDir }) => {
  // Only the reply.sendFile decorator: the routes below decide what each path answers.
  await app.register(fastifyStatic, { serve: false });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });

  const isFile = (relativePath: string): boolean => {
    try {
      return statSync(path.join(rendererDir, relativePath)).isFile();
    } catch {
      return false;
    }
  };

  const sendIndex = (reply: FastifyReply) => {
    // Checked per request, so a build made while the server runs is served without a restart.
    if (!existsSync(path.join(rendererDir, 'index.html'))) {
      return reply
        .status(503)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(NOT_BUILT_PAGE);
    }
    reply.header('cache-control', REVALIDATE_CACHE);
    return reply.sendFile('index.html', rendererDir, { cacheControl: false });
  };

  // The console is a static app: its files are public, the data it shows needs a token.
  const config = { access: 'public' as const };
  const schema = { hide: true };

  app.get(CONSOLE_PREFIX, { config, schema }, async (_request, reply) => reply.redirect(`${CONSOLE_PREFIX}/`));

  app.get<{ Params: { '*': string } }>(`${CONSOLE_PREFIX}/*`, { config, schema }, async (request, reply) => {
    const target = resolveConsoleFile(request.params['*'] ?? '', isFile);
    if (target.kind === 'missing-asset') {
      return reply
        .status(404)
        .send(errorBody(404, `path: ${request.url.split('?')[0]} is not a file of the console build`));
    }
    if (target.kind === 'index') return sendIndex(reply);
    reply.header('cache-control', target.cacheControl);
    return reply.sendFile(target.relativePath, rendererDir, { cacheControl: false });
  });
};
