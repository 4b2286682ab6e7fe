// Headless entry: builds the app, listens, and shuts down gracefully on SIGTERM/SIGINT (in-flight
// requests finish, job workers stop, the database closes). Nothing else in the codebase listens.
import type { FastifyInstance } from 'fastify';
import { pathToFileURL } from 'node:url';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { startGrpcServer, type RunningGrpcServer } from './grpc/grpc-server.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
}

export async function runServer(config: Config): Promise<RunningServer> {
  const app = await buildApp(config);
  const address = await app.listen({ host: config.host, port: config.port });
  let grpcServer: RunningGrpcServer | undefined;
  if (config.grpcPort !== null) {
    grpcServer = await startGrpcServer({
      host: config.host,
      port: config.grpcPort,
      // The app's own verifier: the same lifetime caps and revocation lookups as HTTP.
      verifyToken: app.engine.verifyToken,
      taste: app.engine.taste,
      rank: app.engine.rank,
      log: app.log.child({ component: 'grpc' }),
    });
  }
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      app.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    // gRPC stops first: its in-flight calls still need the database the app closes.
    (grpcServer ? grpcServer.stop() : Promise.resolve())
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return { app, url: address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://127.0.0.1') };
}

/** Loads the config and starts; a bad config exits with the variable named and no stack trace. */
export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningServer> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`sde: invalid configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const running = await runServer(config);
  running.app.log.info(`API docs at ${running.url}/docs`);
  return running;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`sde: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
