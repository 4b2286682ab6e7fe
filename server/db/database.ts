// The one database interface every repository uses. Code above the repository layer never
// learns whether it runs on PGlite in-process or on a Postgres pool.

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  /**
   * Runs one statement with `$n` parameters. Without parameters the text may hold several
   * statements (migrations, pg-boss plans); the last statement's rows are returned.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export type DatabaseDriver = 'pglite' | 'postgres';

export interface Database extends Queryable {
  readonly driver: DatabaseDriver;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction as the member, not as the engine: switched to role `sde_member` with
   * the member's verified claims set, so row-level policies guard every statement (server/db/member-session.ts).
   */
  asMember<T>(memberId: string, work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onMessage` with the payload of every NOTIFY on `channel` (a plain lower-case identifier),
   * from any session on this database, this one included. Resolves once listening; the function it
   * resolves to stops. Notifications sent while a lost connection is being re-established are lost.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** LISTEN takes no parameters, so a channel is spliced in: only plain identifiers are accepted. */
export function assertChannelName(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel))
    throw new Error(`listen: channel "${channel}" is not a plain identifier`);
}
