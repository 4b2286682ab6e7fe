// The SQL behind the member export: one read per section, each naming its columns (never `SELECT *` of
// another member's row), and the look-ups for export jobs in pg-boss's own tables.
import type { Queryable } from '../db/database.js';
import type { MemberExport } from '../../shared/schemas/export.js';
import { PRIVACY_GROUPS } from '../../shared/schemas/privacy.js';
import { isoTimestamp, isoTimestampOrNull } from '../db/timestamps.js';

type Section<K extends keyof MemberExport> = MemberExport[K];

/** `date` columns come back as Date at local midnight (pg) or as a string (PGlite); both become YYYY-MM-DD. */
function dateOnly(value: Date | string | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

/** `vector` columns arrive as their text form, `[0.1,0.2,…]`. */
function parseVector(text: string | number[]): number[] {
  if (Array.isArray(text)) return text;
  return JSON.parse(text) as number[];
}

export interface ExportJobRow {
  state: string;
  createdOn: string;
}

export class ExportRepository {
  constructor(private readonly db: Queryable) {}

  /** Rows the export would hold: decides inline answer or job before anything is built. */
  async rowCount(memberId: string, tx: Queryable = this.db): Promise<number> {
    const { rows } = await tx.query<{ total: number }>(
      `SELECT ((SELECT count(*) FROM favorites WHERE member_id = $1)
             + (SELECT count(*) FROM swipes WHERE viewer_id = $1)
             + (SELECT count(*) FROM swipe_matches WHERE viewer_id = $1 OR target_id = $1)
             + (SELECT count(*) FROM slate_impressions WHERE viewer_id = $1)
             + (SELECT count(*) FROM scroll_events WHERE user_id = $1)
             + (SELECT count(*) FROM experiment_exposures WHERE viewer_id = $1)
             + (SELECT count(*) FROM preview_audit WHERE member_id = $1))::int AS total`,
      [memberId],
    );
    return rows[0]?.total ?? 0;
  }

  /**
   * The profile and the privacy settings. `to_jsonb(m)` rather than a column list for the privacy part,
   * so the `*_changed_at` columns are read when a later migration has added them and omitted otherwise.
   */
  async profileAndPrivacy(
    memberId: string,
    tx: Queryable = this.db,
  ): Promise<{ profile: Section<'profile'>; privacy: Section<'privacy'> }> {
    const { rows } = await tx.query<{
      display_name: string | null;
      lat: number | null;
      lon: number | null;
      place: string | null;
      birthday: Date | string | null;
      hobbies: string[];
      communities: string[];
      gender: string | null;
      seeking: string[];
      connectors: Record<string, unknown>;
      created_at: Date;
      updated_at: Date;
      last_active_at: Date | null;
      row: Record<string, unknown>;
    }>(
      `SELECT display_name, lat, lon, place, birthday, hobbies, communities, gender, seeking, connectors,
              created_at, updated_at, last_active_at, to_jsonb(m) AS row
         FROM members m WHERE id = $1`,
      [memberId],
    );
    const member = rows[0];
    if (!member) return { profile: null, privacy: null };
    const row = member.row;
    const changedAt: Record<string, string | null> = {};
    for (const group of PRIVACY_GROUPS) {
      // Either naming a later migration may choose: `share_<group>_changed_at` or `<group>_changed_at`.
      for (const column of [`share_${group}_changed_at`, `${group}_changed_at`]) {
        if (column in row) {
          changedAt[group] = isoTimestampOrNull(row[column] as string | null);
          break;
        }
      }
    }
    return {
      profile: {
        displayName: member.display_name,
        location:
          member.lat === null || member.lon === null ? null : { lat: member.lat, lon: member.lon, place: member.place },
        birthday: dateOnly(member.birthday),
        hobbies: member.hobbies,
        communities: member.communities,
        gender: member.gender,
        seeking: member.seeking,
        connectors: member.connectors,
        createdAt: isoTimestamp(member.created_at),
        updatedAt: isoTimestamp(member.updated_at),
        lastActiveAt: isoTimestampOrNull(member.last_active_at),
      },
      privacy: {
        interests: row.share_interests === true,
        behavioural: row.share_behavioural === true,
        connectors: row.share_connectors === true,
        favorites: row.share_favorites === true,
        ...(Object.keys(changedAt).length > 0 ? { changedAt } : {}),
      },
    };
  }

  async favorites(memberId: string, tx: Queryable = this.db): Promise<Section<'favorites'>> {
    const { rows } = await tx.query<{
      media_id: string;
      kind: string;
      title: string;
      year: number | null;
      source: string;
      created_at: Date;
    }>(
      `SELECT f.media_id, m.kind, m.title, m.year, f.source, f.created_at
         FROM favorites f JOIN media m ON m.id = f.media_id
        WHERE f.member_id = $1 ORDER BY f.created_at, f.media_id`,
      [memberId],
    );
    return rows.map((r) => ({
      mediaId: r.media_id,
      kind: r.kind,
      title: r.title,
      year: r.year,
      source: r.source,
      addedAt: isoTimestamp(r.created_at),
    }));
  }

  /** Swipes the member made (never the ones others made about them: those are counted in `aboutYou`). */
  async swipesMade(memberId: string, tx: Queryable = this.db): Promise<Section<'swipesMade'>> {
    const { rows } = await tx.query<{
      id: string;
      target_id: string;
      action: string;
      reason: string | null;
      slate_id: string | null;
      created_at: Date;
    }>(
      `SELECT id::text AS id, target_id, action, reason, slate_id::text AS slate_id, created_at
         FROM swipes WHERE viewer_id = $1 ORDER BY created_at, id`,
      [memberId],
    );
    return rows.map((r) => ({
      id: r.id,
      targetId: r.target_id,
      action: r.action,
      reason: r.reason,
      slateId: r.slate_id,
      createdAt: isoTimestamp(r.created_at),
    }));
  }

  async matches(memberId: string, tx: Queryable = this.db): Promise<Section<'matches'>> {
    const { rows } = await tx.query<{ other: string; matched_at: Date }>(
      `SELECT CASE WHEN viewer_id = $1 THEN target_id ELSE viewer_id END AS other, matched_at
         FROM swipe_matches WHERE viewer_id = $1 OR target_id = $1 ORDER BY matched_at, swipe_id`,
      [memberId],
    );
    return rows.map((r) => ({ memberId: r.other, matchedAt: isoTimestamp(r.matched_at) }));
  }

  async slateImpressions(memberId: string, tx: Queryable = this.db): Promise<Section<'slateImpressions'>> {
    const { rows } = await tx.query<{
      slate_id: string;
      position: number;
      candidate_id: string;
      model_version: string | null;
      arm: string | null;
      served_at: Date;
    }>(
      `SELECT slate_id::text AS slate_id, position, candidate_id, model_version, arm, served_at
         FROM slate_impressions WHERE viewer_id = $1 ORDER BY served_at, slate_id, position`,
      [memberId],
    );
    return rows.map((r) => ({
      slateId: r.slate_id,
      position: r.position,
      candidateId: r.candidate_id,
      modelVersion: r.model_version,
      arm: r.arm,
      servedAt: isoTimestamp(r.served_at),
    }));
  }

  async scrollEvents(memberId: string, tx: Queryable = this.db): Promise<Section<'scrollEvents'>> {
    const { rows } = await tx.query<{
      id: string;
      target_id: string;
      kind: string;
      dwell_ms: number;
      slate_id: string | null;
      position: number | null;
      client_event_id: string | null;
      occurred_at: Date;
    }>(
      `SELECT id::text AS id, target_id, kind, dwell_ms, slate_id::text AS slate_id, position, client_event_id,
              occurred_at
         FROM scroll_events WHERE user_id = $1 ORDER BY occurred_at, id`,
      [memberId],
    );
    return rows.map((r) => ({
      id: r.id,
      targetId: r.target_id,
      kind: r.kind,
      dwellMs: r.dwell_ms,
      slateId: r.slate_id,
      // Stored 0-based like slate_impressions; shown as the slate and the events API number cards.
      position: r.position === null ? null : r.position + 1,
      clientEventId: r.client_event_id,
      occurredAt: isoTimestamp(r.occurred_at),
    }));
  }

  async experimentExposures(memberId: string, tx: Queryable = this.db): Promise<Section<'experimentExposures'>> {
    const { rows } = await tx.query<{ experiment_key: string; arm: string; exposed_at: Date }>(
      `SELECT experiment_key, arm, exposed_at FROM experiment_exposures
        WHERE viewer_id = $1 ORDER BY exposed_at, experiment_key`,
      [memberId],
    );
    return rows.map((r) => ({ experimentKey: r.experiment_key, arm: r.arm, exposedAt: isoTimestamp(r.exposed_at) }));
  }

  /** What others did about the member, aggregated: no viewer, swiper or scroller id is read. */
  async aboutYou(memberId: string, tx: Queryable = this.db): Promise<Section<'aboutYou'>> {
    const swipes = await tx.query<{ action: string; count: number }>(
      `SELECT action, count(*)::int AS count FROM swipes WHERE target_id = $1 GROUP BY action ORDER BY action`,
      [memberId],
    );
    const impressions = await tx.query<{ total: number; slates: number; last_shown_at: Date | null }>(
      `SELECT count(*)::int AS total, count(DISTINCT slate_id)::int AS slates, max(served_at) AS last_shown_at
         FROM slate_impressions WHERE candidate_id = $1`,
      [memberId],
    );
    const events = await tx.query<{ kind: string; count: number }>(
      `SELECT kind, count(*)::int AS count FROM scroll_events WHERE target_id = $1 GROUP BY kind ORDER BY kind`,
      [memberId],
    );
    const seen = impressions.rows[0];
    return {
      swipesReceived: Object.fromEntries(swipes.rows.map((r) => [r.action, r.count])),
      impressions: {
        total: seen?.total ?? 0,
        slates: seen?.slates ?? 0,
        lastShownAt: isoTimestampOrNull(seen?.last_shown_at ?? null),
      },
      scrollEventsReceived: Object.fromEntries(events.rows.map((r) => [r.kind, r.count])),
    };
  }

  /** Connector state; the encrypted token columns are read only as "is one stored". */
  async connectors(memberId: string, tx: Queryable = this.db): Promise<Section<'connectors'>> {
    const { rows } = await tx.query<{
      connector: string;
      state: string;
      scopes: string[];
      counts: Record<string, unknown>;
      last_sync_at: Date | null;
      last_error: string | null;
      tokens_stored: boolean;
      created_at: Date;
      updated_at: Date;
    }>(
      `SELECT connector, state, scopes, counts, last_sync_at, last_error,
              (refresh_token_encrypted IS NOT NULL OR access_token_encrypted IS NOT NULL) AS tokens_stored,
              created_at, updated_at
         FROM connector_accounts WHERE member_id = $1 ORDER BY connector`,
      [memberId],
    );
    return rows.map((r) => ({
      connector: r.connector,
      state: r.state,
      scopes: r.scopes,
      counts: r.counts,
      lastSyncAt: isoTimestampOrNull(r.last_sync_at),
      lastError: r.last_error,
      tokensStored: r.tokens_stored,
      connectedAt: isoTimestamp(r.created_at),
      updatedAt: isoTimestamp(r.updated_at),
    }));
  }

  async taste(memberId: string, tx: Queryable = this.db): Promise<Section<'taste'>> {
    const { rows } = await tx.query<{
      taste: string;
      traits: Record<string, unknown>;
      model_version: string;
      updated_at: Date;
    }>(`SELECT taste::text AS taste, traits, model_version, updated_at FROM user_taste_vectors WHERE user_id = $1`, [
      memberId,
    ]);
    const row = rows[0];
    if (!row) return null;
    return {
      modelVersion: row.model_version,
      updatedAt: isoTimestamp(row.updated_at),
      vector: parseVector(row.taste),
      traits: row.traits,
    };
  }

  /** The moderation score about the member; who wrote it (a staff id) is left out. */
  async safetyScore(memberId: string, tx: Queryable = this.db): Promise<Section<'safetyScore'>> {
    const { rows } = await tx.query<{ harassment_score: number; source: string; updated_at: Date }>(
      `SELECT harassment_score, source, updated_at FROM safety_scores WHERE member_id = $1`,
      [memberId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      harassmentScore: row.harassment_score,
      source: row.source,
      updatedAt: isoTimestamp(row.updated_at),
      note:
        'A moderation score (0 to 1) about you, written by a moderation system; above the configured threshold ' +
        'you are not shown on slates.',
    };
  }

  /**
   * Review records naming the member: flags on them as a candidate, member-report items about them (one
   * per reported member; reporters live in the item's events, which are not read), and flags on their
   * own slates. Notes, reviewer ids and the other member of a flag are left out.
   */
  async reviewRecords(memberId: string, tx: Queryable = this.db): Promise<Section<'reviewRecords'>> {
    const { rows } = await tx.query<{
      id: string;
      about: 'you_as_candidate' | 'reports_about_you' | 'your_slate';
      status: string;
      outcome: string | null;
      report_count: number;
      created_at: Date;
      resolved_at: Date | null;
    }>(
      `SELECT id::text AS id,
              CASE WHEN candidate_id = $1 THEN 'you_as_candidate'
                   WHEN source = 'member_report' THEN 'reports_about_you'
                   ELSE 'your_slate' END AS about,
              status, outcome, report_count, created_at, resolved_at
         FROM review_flags WHERE candidate_id = $1 OR viewer_id = $1 ORDER BY created_at, id`,
      [memberId],
    );
    return rows.map((r) => ({
      id: r.id,
      about: r.about,
      status: r.status,
      outcome: r.outcome,
      reportCount: r.report_count,
      createdAt: isoTimestamp(r.created_at),
      resolvedAt: isoTimestampOrNull(r.resolved_at),
    }));
  }

  /** Staff previews of the engine as the member (GDPR: who accessed their data). */
  async previewAudit(memberId: string, tx: Queryable = this.db): Promise<Section<'previewAudit'>> {
    const { rows } = await tx.query<{
      reviewer_id: string;
      event: string;
      writable: boolean;
      method: string | null;
      route: string | null;
      status: number | null;
      at: Date;
    }>(
      `SELECT reviewer_id, event, writable, method, route, status, at
         FROM preview_audit WHERE member_id = $1 ORDER BY at, id`,
      [memberId],
    );
    return rows.map((r) => ({
      reviewerId: r.reviewer_id,
      event: r.event,
      writable: r.writable,
      method: r.method,
      route: r.route,
      status: r.status,
      at: isoTimestamp(r.at),
    }));
  }

  /** The member's export job, if it is theirs; pg-boss moves finished jobs to its archive after a while. */
  async findJob(queue: string, memberId: string, exportId: string): Promise<ExportJobRow | null> {
    const { rows } = await this.db.query<{ state: string; created_on: Date }>(
      `SELECT state::text AS state, created_on FROM pgboss.job
        WHERE name = $1 AND data->>'memberId' = $2 AND data->>'exportId' = $3
       UNION ALL
       SELECT state::text AS state, created_on FROM pgboss.archive
        WHERE name = $1 AND data->>'memberId' = $2 AND data->>'exportId' = $3
       LIMIT 1`,
      [queue, memberId, exportId],
    );
    const row = rows[0];
    return row ? { state: row.state, createdOn: isoTimestamp(row.created_on) } : null;
  }

  /** An export job of the member's still waiting or running, so a repeated request reuses it. */
  async pendingJob(
    queue: string,
    memberId: string,
  ): Promise<{ exportId: string; state: string; createdOn: string } | null> {
    const { rows } = await this.db.query<{ export_id: string; state: string; created_on: Date }>(
      `SELECT data->>'exportId' AS export_id, state::text AS state, created_on FROM pgboss.job
        WHERE name = $1 AND data->>'memberId' = $2 AND state IN ('created', 'retry', 'active')
        ORDER BY created_on DESC LIMIT 1`,
      [queue, memberId],
    );
    const row = rows[0];
    return row ? { exportId: row.export_id, state: row.state, createdOn: isoTimestamp(row.created_on) } : null;
  }
}
