// The SQL of the model registry: model_versions (one row per version, artifact as UTF-8 bytea) and
// model_status_changes (who moved which version from what to what, when and why). Every function takes
// the Queryable to run on, so the service can hold row locks across a whole promotion.
import type {
  ModelFormat,
  ModelKind,
  ModelStatus,
  ModelStatusChange,
  ModelVersion,
} from '../../shared/schemas/models.js';
import type { Queryable } from '../db/database.js';
import { isoTimestamp } from '../db/timestamps.js';

interface VersionRow extends Pick<NewModelVersion, 'id' | 'kind' | 'status' | 'params' | 'metrics'> {
  artifact_format: ModelFormat;
  artifact_bytes: number;
  window_from: Date | string | null;
  window_to: Date | string | null;
  created_by: string;
  created_at: Date | string;
  status_changed_by: string;
  status_changed_at: Date | string;
}

const VERSION_COLUMNS = `
  id, kind, status, artifact_format, octet_length(artifact)::int AS artifact_bytes, params, metrics,
  lower(training_window) AS window_from, upper(training_window) AS window_to,
  created_by, created_at, status_changed_by, status_changed_at`;

function toVersion(row: VersionRow): ModelVersion {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    format: row.artifact_format,
    artifactBytes: row.artifact_bytes ?? 0,
    params: row.params ?? {},
    metrics: row.metrics ?? {},
    trainingWindow:
      row.window_from !== null && row.window_to !== null
        ? { from: isoTimestamp(row.window_from), to: isoTimestamp(row.window_to) }
        : null,
    createdBy: row.created_by,
    createdAt: isoTimestamp(row.created_at),
    statusChangedBy: row.status_changed_by,
    statusChangedAt: isoTimestamp(row.status_changed_at),
  };
}

export interface NewModelVersion {
  id: string;
  kind: ModelKind;
  status: ModelStatus;
  format: ModelFormat;
  artifact: string;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  featureSpec: unknown;
  trainingWindow: { from: string; to: string } | null;
  createdBy: string;
}

/** The few columns a status change needs, read under a row lock. */
export interface LockedVersion {
  id: string;
  kind: ModelKind;
  status: ModelStatus;
}

export class ModelRegistryRepository {
  async insert(q: Queryable, version: NewModelVersion): Promise<void> {
    await q.query(
      `INSERT INTO model_versions (id, kind, status, params, metrics, feature_spec, training_window, artifact,
                                   artifact_format, created_by, status_changed_by)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb,
               CASE WHEN $7::timestamptz IS NULL THEN NULL ELSE tstzrange($7::timestamptz, $8::timestamptz, '[]') END,
               convert_to($9::text, 'UTF8'), $10, $11, $11)`,
      [
        version.id,
        version.kind,
        version.status,
        JSON.stringify(version.params),
        JSON.stringify(version.metrics),
        version.featureSpec === undefined ? null : JSON.stringify(version.featureSpec),
        version.trainingWindow?.from ?? null,
        version.trainingWindow?.to ?? null,
        version.artifact,
        version.format,
        version.createdBy,
      ],
    );
  }

  async exists(q: Queryable, id: string): Promise<boolean> {
    const { rows } = await q.query('SELECT 1 FROM model_versions WHERE id = $1', [id]);
    return rows.length > 0;
  }

  async list(q: Queryable, filter: { kind?: ModelKind; status?: ModelStatus }): Promise<ModelVersion[]> {
    const { rows } = await q.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM model_versions
        WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY created_at DESC, id DESC`,
      [filter.kind ?? null, filter.status ?? null],
    );
    return rows.map(toVersion);
  }

  async find(q: Queryable, id: string): Promise<(ModelVersion & { featureSpec: unknown }) | null> {
    const { rows } = await q.query<VersionRow & { feature_spec: unknown }>(
      `SELECT ${VERSION_COLUMNS}, feature_spec FROM model_versions WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    return row ? { ...toVersion(row), featureSpec: row.feature_spec } : null;
  }

  async history(q: Queryable, id: string): Promise<ModelStatusChange[]> {
    const { rows } = await q.query<{
      from_status: ModelStatus | null;
      to_status: ModelStatus;
      changed_by: string;
      changed_at: Date | string;
      note: string | null;
    }>(
      `SELECT from_status, to_status, changed_by, changed_at, note
         FROM model_status_changes WHERE model_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map((row) => ({
      from: row.from_status,
      to: row.to_status,
      changedBy: row.changed_by,
      changedAt: isoTimestamp(row.changed_at),
      note: row.note,
    }));
  }

  async artifact(q: Queryable, id: string): Promise<{ text: string; format: ModelFormat; status: ModelStatus } | null> {
    const { rows } = await q.query<{ text: string; artifact_format: ModelFormat; status: ModelStatus }>(
      `SELECT convert_from(artifact, 'UTF8') AS text, artifact_format, status FROM model_versions WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    return row ? { text: row.text, format: row.artifact_format, status: row.status } : null;
  }

  /** The status of one version, or null when unknown. */
  async statusOf(q: Queryable, id: string): Promise<{ kind: ModelKind; status: ModelStatus } | null> {
    const { rows } = await q.query<{ kind: ModelKind; status: ModelStatus }>(
      'SELECT kind, status FROM model_versions WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  }

  /** The id holding `status` for the kind (the partial unique index answers this for `live`). */
  async idWithStatus(q: Queryable, kind: ModelKind, status: 'live' | 'shadow'): Promise<string | null> {
    const { rows } = await q.query<{ id: string }>(
      'SELECT id FROM model_versions WHERE kind = $1 AND status = $2 ORDER BY status_changed_at DESC LIMIT 1',
      [kind, status],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Locks the given versions and the kind's live and shadow versions, in id order so two promotions
   * never wait on each other crosswise (no deadlock), and returns them.
   */
  async lockForStatusChange(q: Queryable, kind: ModelKind, ids: string[]): Promise<LockedVersion[]> {
    const { rows } = await q.query<LockedVersion>(
      `SELECT id, kind, status FROM model_versions
        WHERE id = ANY ($2::text[]) OR (kind = $1 AND status IN ('live', 'shadow'))
        ORDER BY id FOR UPDATE`,
      [kind, ids],
    );
    return rows;
  }

  /**
   * The version of the kind most recently made live other than `currentId`: the one a rollback
   * returns to. Versions deleted since are gone from the history too (ON DELETE CASCADE).
   */
  async previousLiveId(q: Queryable, kind: ModelKind, currentId: string): Promise<string | null> {
    const { rows } = await q.query<{ model_id: string }>(
      `SELECT c.model_id FROM model_status_changes c JOIN model_versions m ON m.id = c.model_id
        WHERE m.kind = $1 AND c.to_status = 'live' AND c.model_id <> $2
        ORDER BY c.id DESC LIMIT 1`,
      [kind, currentId],
    );
    return rows[0]?.model_id ?? null;
  }

  async setStatus(q: Queryable, id: string, status: ModelStatus, actor: string): Promise<void> {
    await q.query(
      `UPDATE model_versions SET status = $2, status_changed_by = $3, status_changed_at = now() WHERE id = $1`,
      [id, status, actor],
    );
  }

  async recordChange(
    q: Queryable,
    change: { id: string; from: ModelStatus | null; to: ModelStatus; actor: string; note: string | null },
  ): Promise<void> {
    await q.query(
      `INSERT INTO model_status_changes (model_id, from_status, to_status, changed_by, note)
       VALUES ($1, $2, $3, $4, $5)`,
      [change.id, change.from, change.to, change.actor, change.note],
    );
  }
}
