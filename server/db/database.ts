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
  close(): Promise<void>;
}
