// Members' connector accounts (`connector_accounts`): sync state, sealed tokens and counts. The only
// place that knows their SQL; tokens arrive and leave sealed (see server/crypto/secret-box.ts).
import type { Queryable } from '../db/database.js';
import {
  emptyCounts,
  type ConnectorCounts,
  type ConnectorName,
  type ConnectorState,
} from '../../shared/schemas/connectors.js';

export interface ConnectorAccount {
  memberId: string;
  connector: ConnectorName;
  state: ConnectorState;
  refreshTokenSealed: Buffer | null;
  accessTokenSealed: Buffer | null;
  accessTokenExpiresAt: Date | null;
  scopes: string[];
  counts: ConnectorCounts;
  lastSyncAt: Date | null;
  lastError: string | null;
}

interface AccountRow {
  member_id: string;
  connector: ConnectorName;
  state: ConnectorState;
  refresh_token_encrypted: Uint8Array | null;
  access_token_encrypted: Uint8Array | null;
  access_token_expires_at: Date | string | null;
  scopes: string[];
  counts: Partial<ConnectorCounts>;
  last_sync_at: Date | string | null;
  last_error: string | null;
}

const COLUMNS = `member_id, connector, state, refresh_token_encrypted, access_token_encrypted, access_token_expires_at,
  scopes, counts, last_sync_at, last_error`;

const dateOrNull = (value: Date | string | null) => (value === null ? null : new Date(value));
const bufferOrNull = (value: Uint8Array | null) => (value === null ? null : Buffer.from(value));

function toAccount(row: AccountRow): ConnectorAccount {
  return {
    memberId: row.member_id,
    connector: row.connector,
    state: row.state,
    refreshTokenSealed: bufferOrNull(row.refresh_token_encrypted),
    accessTokenSealed: bufferOrNull(row.access_token_encrypted),
    accessTokenExpiresAt: dateOrNull(row.access_token_expires_at),
    scopes: row.scopes,
    counts: { ...emptyCounts(), ...row.counts },
    lastSyncAt: dateOrNull(row.last_sync_at),
    lastError: row.last_error,
  };
}

export interface SealedTokens {
  refreshToken: Buffer;
  accessToken: Buffer;
  accessTokenExpiresAt: Date;
  scopes: string[];
}

export class ConnectorAccountsRepository {
  constructor(private readonly db: Queryable) {}

  async find(memberId: string, connector: ConnectorName, tx: Queryable = this.db): Promise<ConnectorAccount | null> {
    const { rows } = await tx.query<AccountRow>(
      `SELECT ${COLUMNS} FROM connector_accounts WHERE member_id = $1 AND connector = $2`,
      [memberId, connector],
    );
    return rows[0] ? toAccount(rows[0]) : null;
  }

  /** Whether the member (live) lets connectors be used; syncs run only while they do. */
  async sharesConnectors(memberId: string, tx: Queryable = this.db): Promise<boolean> {
    const { rows } = await tx.query<{ share_connectors: boolean }>(
      `SELECT share_connectors FROM members WHERE id = $1 AND deleted_at IS NULL`,
      [memberId],
    );
    return rows[0]?.share_connectors === true;
  }

  async listForMember(memberId: string): Promise<ConnectorAccount[]> {
    const { rows } = await this.db.query<AccountRow>(
      `SELECT ${COLUMNS} FROM connector_accounts WHERE member_id = $1 ORDER BY connector`,
      [memberId],
    );
    return rows.map(toAccount);
  }

  /** A (re)connection: new tokens, state `syncing`, counts cleared for the sync about to run. */
  async connect(memberId: string, connector: ConnectorName, tokens: SealedTokens, tx: Queryable = this.db) {
    const { rows } = await tx.query<AccountRow>(
      `INSERT INTO connector_accounts AS a (member_id, connector, state, refresh_token_encrypted,
         access_token_encrypted, access_token_expires_at, scopes, counts, last_error)
       VALUES ($1, $2, 'syncing', $3, $4, $5, $6, $7, NULL)
       ON CONFLICT (member_id, connector) DO UPDATE SET
         state = 'syncing', refresh_token_encrypted = excluded.refresh_token_encrypted,
         access_token_encrypted = excluded.access_token_encrypted,
         access_token_expires_at = excluded.access_token_expires_at, scopes = excluded.scopes,
         counts = excluded.counts, last_error = NULL, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        memberId,
        connector,
        tokens.refreshToken,
        tokens.accessToken,
        tokens.accessTokenExpiresAt,
        tokens.scopes,
        JSON.stringify(emptyCounts()),
      ],
    );
    return toAccount(rows[0]!);
  }

  /** A sync run begins: state `syncing`, counts from zero (re-runs report what that run did). */
  async startSync(memberId: string, connector: ConnectorName): Promise<void> {
    await this.db.query(
      `UPDATE connector_accounts SET state = 'syncing', counts = $3, last_error = NULL, updated_at = now()
        WHERE member_id = $1 AND connector = $2`,
      [memberId, connector, JSON.stringify(emptyCounts())],
    );
  }

  /** A refreshed access token, and the refresh token when the provider rotated it. */
  async storeTokens(
    memberId: string,
    connector: ConnectorName,
    tokens: { accessToken: Buffer; accessTokenExpiresAt: Date; refreshToken?: Buffer },
  ): Promise<void> {
    await this.db.query(
      `UPDATE connector_accounts SET access_token_encrypted = $3, access_token_expires_at = $4,
         refresh_token_encrypted = coalesce($5, refresh_token_encrypted), updated_at = now()
        WHERE member_id = $1 AND connector = $2`,
      [memberId, connector, tokens.accessToken, tokens.accessTokenExpiresAt, tokens.refreshToken ?? null],
    );
  }

  async updateCounts(memberId: string, connector: ConnectorName, counts: ConnectorCounts, tx: Queryable = this.db) {
    await tx.query(
      `UPDATE connector_accounts SET counts = $3, updated_at = now() WHERE member_id = $1 AND connector = $2`,
      [memberId, connector, JSON.stringify(counts)],
    );
  }

  async finishSync(memberId: string, connector: ConnectorName, at: Date, tx: Queryable = this.db): Promise<void> {
    await tx.query(
      `UPDATE connector_accounts SET state = 'done', last_sync_at = $3, last_error = NULL, updated_at = now()
        WHERE member_id = $1 AND connector = $2`,
      [memberId, connector, at],
    );
  }

  /** `message` is shown to the member: it must carry no token or other secret. */
  async failSync(memberId: string, connector: ConnectorName, message: string): Promise<void> {
    await this.db.query(
      `UPDATE connector_accounts SET state = 'error', last_error = $3, updated_at = now()
        WHERE member_id = $1 AND connector = $2`,
      [memberId, connector, message.slice(0, 500)],
    );
  }
}
