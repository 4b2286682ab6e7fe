// Shapes a slate response (shared/schemas/slate.ts) into what the Slate review page shows: one row per
// traced candidate with its rank after every stage, the parity verdict per gender and the stage timings.
// Pure so the tables stay dumb and the shaping is unit-tested.
import { SlateResponse, type CandidateTrace, type MaskedGroup } from '../../../../shared/schemas/slate.js';

/** The stages a candidate's rank is traced through, in pipeline order. */
export const TRACE_STAGES = ['retrieval', 'ranker', 'safety', 'diversity', 'final'] as const;
export type TraceStage = (typeof TRACE_STAGES)[number];

export type TraceStatus = 'served' | 'removed' | 'belowCut';

export interface TraceRow {
  userId: string;
  sources: string[];
  retrievalScore: number;
  rankerScore: number | null;
  ranks: Record<TraceStage, number | null>;
  /** Position in the served slate, or null when not served. */
  position: number | null;
  status: TraceStatus;
  removed: { stage: string; reason: string } | null;
  unscored: boolean;
  /** Feature groups masked for this pair and by whose opt-out; null when the server did not report them. */
  maskedGroups: MaskedGroup[] | null;
}

function byRank(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

/**
 * Every traced candidate: the served ones first in slate order, then the rest in retrieval order — so a
 * reviewer reads the slate top-down and then sees what fell out and where.
 */
export function traceRows(slate: Pick<SlateResponse, 'slate' | 'trace'>): TraceRow[] {
  const positions = new Map(slate.slate.map((entry) => [entry.userId, entry.position]));
  const rows = slate.trace.map((trace: CandidateTrace): TraceRow => {
    const position = positions.get(trace.userId) ?? null;
    return {
      userId: trace.userId,
      sources: [...trace.sources],
      retrievalScore: trace.retrievalScore,
      rankerScore: trace.rankerScore ?? null,
      ranks: { ...trace.ranks },
      position,
      status: trace.removed ? 'removed' : position !== null ? 'served' : 'belowCut',
      removed: trace.removed ? { stage: trace.removed.stage, reason: trace.removed.reason } : null,
      unscored: trace.unscored,
      maskedGroups: trace.maskedGroups ? trace.maskedGroups.map((mask) => ({ ...mask })) : null,
    };
  });
  return rows.sort((a, b) => byRank(a.position, b.position) || byRank(a.ranks.retrieval, b.ranks.retrieval));
}

export interface TraceCounts {
  traced: number;
  served: number;
  removed: number;
  belowCut: number;
  unscored: number;
  removedByStage: Record<string, number>;
}

export function traceCounts(rows: readonly TraceRow[]): TraceCounts {
  const counts: TraceCounts = {
    traced: rows.length,
    served: 0,
    removed: 0,
    belowCut: 0,
    unscored: 0,
    removedByStage: {},
  };
  for (const row of rows) {
    counts[row.status] += 1;
    if (row.unscored) counts.unscored += 1;
    if (row.removed) counts.removedByStage[row.removed.stage] = (counts.removedByStage[row.removed.stage] ?? 0) + 1;
  }
  return counts;
}

export interface ParityRow {
  gender: string;
  target: number | null;
  actual: number;
  /** >0: that many more needed; <0: that many too many; 0: within the band. */
  missing: number;
  withinBand: boolean;
}

/** One row per gender named by the target or present in the slate, alphabetical (`unknown` last). */
export function parityRows(parity: SlateResponse['parity']): ParityRow[] {
  const genders = new Set([...Object.keys(parity.targetShares), ...Object.keys(parity.shares)]);
  const shortfall = new Map(parity.shortfall.map((entry) => [entry.gender as string, entry]));
  return [...genders]
    .sort((a, b) => (a === 'unknown' ? 1 : b === 'unknown' ? -1 : a.localeCompare(b)))
    .map((gender) => {
      const missing = shortfall.get(gender)?.missing ?? 0;
      return {
        gender,
        target: parity.targetShares[gender] ?? null,
        actual: parity.shares[gender] ?? 0,
        missing,
        withinBand: missing === 0,
      };
    });
}

/** A stage's timing field; the total is shown apart, as the sum the shares are of. */
export type TimingStage = Exclude<keyof SlateResponse['timings'], 'totalMs'>;

/** The stages in pipeline order: the order the response schema declares them in, so a new stage needs no second list. */
export const TIMING_STAGES = Object.keys(SlateResponse.properties.timings.properties).filter(
  (key): key is TimingStage => key !== 'totalMs',
);

/** The stage timings in pipeline order, each with its share of the total (0 when the total is 0). */
export function timingRows(timings: SlateResponse['timings']): { stage: TimingStage; ms: number; share: number }[] {
  return TIMING_STAGES.map((stage) => ({
    stage,
    ms: timings[stage],
    share: timings.totalMs > 0 ? timings[stage] / timings.totalMs : 0,
  }));
}

/** Scores to three decimals; a missing ranker score as an em dash. */
export function formatScore(score: number | null): string {
  return score === null ? '—' : score.toFixed(3);
}

/** A share (0–1) as a whole percentage. */
export function formatShare(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)} %`;
}

/** A member id as typed into the search box: trimmed; empty → null. */
export function memberIdFromInput(input: string): string | null {
  const trimmed = input.trim();
  return trimmed === '' ? null : trimmed;
}
