// What a feature module is: a function that registers its routes, GraphQL schema and queue workers on
// the app, given the part of the engine (server/composition/services.ts) it uses, named in its type.
// The services are built before any module registers, so no module depends on another's registration.
import type { FastifyInstance } from 'fastify';
import type { Engine } from './composition/services.js';

/** A feature module that uses the engine's `Uses` members. */
export type RegisterModule<Uses extends keyof Engine> = (
  app: FastifyInstance,
  engine: Pick<Engine, Uses>,
) => Promise<void>;
