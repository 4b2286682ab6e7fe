// The set-up of the single-service ("medium") tests in test/services/: a migrated scratch database for the
// describe block with the composition root's repositories over it, members written straight into it, and
// the domain error a service call refused with. A service is then built by its own constructor, exactly as
// server/composition/services.ts builds it, so a test reaches it without HTTP, auth or the other modules.
import Fastify from 'fastify';
import { expect } from 'vitest';
import { buildRepositories, type Repositories } from '../../server/composition/repositories.js';
import type { Database, Queryable } from '../../server/db/database.js';
import { DomainError } from '../../server/errors/domain-errors.js';
import { MemberChanges, type MemberChange } from '../../server/events/member-changes.js';
import { migratedScratchDatabase, type DatabaseKind } from './databases.js';

export interface ServiceHarness {
  readonly db: Database;
  /** Built once per describe block, over `db`, by the composition root's own function. */
  readonly repositories: Repositories;
}

/** A migrated scratch database and its repositories for the enclosing describe block (read inside tests and hooks). */
export function serviceHarness(kind: DatabaseKind): ServiceHarness {
  const scratch = migratedScratchDatabase(kind);
  let repositories: Repositories | undefined;
  let builtFor: Database | undefined;
  return {
    get db() {
      return scratch.db;
    },
    get repositories() {
      if (builtFor !== scratch.db) {
        builtFor = scratch.db;
        repositories = buildRepositories(scratch.db);
      }
      return repositories!;
    },
  };
}

/** A logger that writes nothing, for the job queue and the feeds a service is built with. */
export const silentLog = Fastify({ logger: false }).log;

/** An in-process member-change feed (no NOTIFY) that records what the service published. */
export function recordedMemberChanges(): { memberChanges: MemberChanges; published: MemberChange[] } {
  const memberChanges = new MemberChanges();
  const published: MemberChange[] = [];
  memberChanges.subscribe((change) => published.push(change));
  return { memberChanges, published };
}

export interface MemberRow {
  gender?: 'woman' | 'man';
  deleted?: boolean;
  /** A members row without saved attributes (no birthday or gender). */
  bare?: boolean;
}

/** A discoverable member in Berlin (attributes and a gender), or the row a bare or deleted member leaves. */
export async function addMember(db: Queryable, id: string, row: MemberRow = {}): Promise<void> {
  if (row.bare) {
    await db.query('INSERT INTO members (id) VALUES ($1)', [id]);
    return;
  }
  const gender = row.gender ?? 'man';
  await db.query(
    `INSERT INTO members (id, display_name, gender, seeking, birthday, lat, lon, hobbies, deleted_at)
     VALUES ($1, $1, $2, $3, '1990-05-01', 52.52, 13.405, ARRAY['climbing'], $4)`,
    [id, gender, [gender === 'man' ? 'woman' : 'man'], row.deleted ? new Date().toISOString() : null],
  );
}

/** Several members at once, id → row (as `addMember` writes them), in order. */
export async function addMembers(db: Queryable, members: Record<string, MemberRow>): Promise<void> {
  for (const [id, row] of Object.entries(members)) await addMember(db, id, row);
}

/** A slate that showed `candidates` to `viewer`, in order; returns its id. */
export async function addSlate(db: Queryable, slateId: string, viewer: string, candidates: string[]): Promise<string> {
  for (const [position, candidate] of candidates.entries()) {
    await db.query(
      `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, arm) VALUES ($1, $2, $3, $4, 'test')`,
      [slateId, position, viewer, candidate],
    );
  }
  return slateId;
}

/** The domain error `work` (a call's promise, or a call) was refused with; the test fails on any other outcome. */
export async function refusalOf(work: Promise<unknown> | (() => unknown)): Promise<DomainError> {
  const outcome = await Promise.resolve()
    .then(typeof work === 'function' ? work : () => work)
    .then(
      () => 'resolved',
      (error: unknown) => error,
    );
  expect(outcome).toBeInstanceOf(DomainError);
  return outcome as DomainError;
}

/** How many rows `sql` (a `SELECT count(*)::int AS n …`) counts. */
export async function countOf(db: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql, params);
  return rows[0]!.n;
}
