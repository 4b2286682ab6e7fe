// The cost ledger: one row per paid (or metered) call to an outside model or API: provider, operation,
// units and their kind, dollars, and who or what caused it. The only place that knows its SQL.
import type { Queryable } from '../db/database.js';

export interface CostLedgerEntry {
  /** Who was called: `openai`, `local`, `onnx`, `tmdb`, … */
  provider: string;
  /** What for: `embed`, … */
  operation: string;
  model?: string;
  units: number;
  /** Defaults to `tokens`. */
  unitKind?: string;
  costUsd: number;
  memberId?: string;
  jobId?: string;
  details?: Record<string, unknown>;
}

export interface CostLedgerRow extends Required<Omit<CostLedgerEntry, 'model' | 'memberId' | 'jobId'>> {
  id: number;
  occurredAt: string;
  model: string | null;
  memberId: string | null;
  jobId: string | null;
}

export class CostLedgerRepository {
  constructor(private readonly db: Queryable) {}

  async record(entry: CostLedgerEntry, tx: Queryable = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO cost_ledger (provider, operation, model, units, unit_kind, cost_usd, member_id, job_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.provider,
        entry.operation,
        entry.model ?? null,
        Math.max(0, Math.round(entry.units)),
        entry.unitKind ?? 'tokens',
        Math.max(0, entry.costUsd).toFixed(6),
        entry.memberId ?? null,
        entry.jobId ?? null,
        JSON.stringify(entry.details ?? {}),
      ],
    );
  }

  /** The latest rows, newest first (operators' views and tests). */
  async recent(limit = 100, provider?: string, tx: Queryable = this.db): Promise<CostLedgerRow[]> {
    const result = await tx.query<{
      id: string | number;
      occurred_at: Date | string;
      provider: string;
      operation: string;
      model: string | null;
      units: string | number;
      unit_kind: string;
      cost_usd: string | number;
      member_id: string | null;
      job_id: string | null;
      details: Record<string, unknown>;
    }>(
      `SELECT id, occurred_at, provider, operation, model, units, unit_kind, cost_usd, member_id, job_id, details
         FROM cost_ledger WHERE ($2::text IS NULL OR provider = $2) ORDER BY id DESC LIMIT $1`,
      [limit, provider ?? null],
    );
    return result.rows.map((row) => ({
      id: Number(row.id),
      occurredAt: new Date(row.occurred_at).toISOString(),
      provider: row.provider,
      operation: row.operation,
      model: row.model,
      units: Number(row.units),
      unitKind: row.unit_kind,
      costUsd: Number(row.cost_usd),
      memberId: row.member_id,
      jobId: row.job_id,
      details: row.details,
    }));
  }
}
