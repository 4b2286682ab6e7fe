// The simulation's figures: per population and day the served slates' like rates, the model in service
// and the learner's decisions; the summary the targets are read from; and the printed table.
import type { DayTally } from './serve-day.js';

export const POPULATIONS = ['learner', 'frozen', 'oracle'] as const;
export type PopulationKind = (typeof POPULATIONS)[number];

export interface DayRecord extends DayTally {
  day: number;
  /** Likes per examined (swiped) card: what a product would report as its like rate. */
  likeRate: number;
  /** The click model's expectation of the same, from true probabilities: the like rate without draw noise. */
  expectedLikeRate: number;
  /** The live model at the end of the day. */
  liveModel: string | null;
  /** The learner's decisions during the day, as printed (`promoted m2`, `refused m3: …`). */
  decisions: string[];
}

export interface PopulationRecord {
  kind: PopulationKind;
  firstModel: string;
  /** The first model's file hash: equal across populations when the runs were deterministic, as they should be. */
  firstModelSha256: string;
  bootstrap: DayTally;
  days: DayRecord[];
  /** The deliberately bad model put in shadow, when the scenario asked for one. */
  badModel: string | null;
  seconds: number;
}

export interface LearningSimSummary {
  lastDay: number;
  likeRate: Partial<Record<PopulationKind, number>>;
  expectedLikeRate: Partial<Record<PopulationKind, number>>;
  /** learner ÷ frozen like rate on the last day (target ≥ 1.2). */
  learnerOverFrozen: number | null;
  /** (learner − frozen) ÷ (oracle − frozen) on the last day (target ≥ 0.5). */
  gapClosed: number | null;
  /** oracle ÷ frozen like rate on the last day: the room there is to learn. */
  oracleOverFrozen: number | null;
  /** The largest share of a day's impressions the bad model ordered (target ≤ the treatment share). */
  badModelMaxShare: number | null;
}

export function dayRecord(day: number, tally: DayTally, liveModel: string | null, decisions: string[]): DayRecord {
  return {
    ...tally,
    day,
    likeRate: ratio(tally.likes, tally.examined),
    expectedLikeRate: ratio(tally.expectedLikes, tally.expectedExamined),
    liveModel,
    decisions,
  };
}

export function summarise(populations: readonly PopulationRecord[]): LearningSimSummary {
  const byKind = new Map(populations.map((population) => [population.kind, population]));
  const last = (kind: PopulationKind) => byKind.get(kind)?.days.at(-1);
  const lastDay = Math.max(0, ...populations.map((population) => population.days.at(-1)?.day ?? 0));
  const likeRate: Partial<Record<PopulationKind, number>> = {};
  const expectedLikeRate: Partial<Record<PopulationKind, number>> = {};
  for (const kind of POPULATIONS) {
    const record = last(kind);
    if (!record) continue;
    likeRate[kind] = record.likeRate;
    expectedLikeRate[kind] = record.expectedLikeRate;
  }
  const { learner, frozen, oracle } = likeRate;
  const learnerPopulation = byKind.get('learner');
  const badModel = learnerPopulation?.badModel ?? null;
  return {
    lastDay,
    likeRate,
    expectedLikeRate,
    learnerOverFrozen: learner !== undefined && frozen ? learner / frozen : null,
    gapClosed:
      learner !== undefined && frozen !== undefined && oracle !== undefined && oracle !== frozen
        ? (learner - frozen) / (oracle - frozen)
        : null,
    oracleOverFrozen: oracle !== undefined && frozen ? oracle / frozen : null,
    badModelMaxShare:
      badModel === null || !learnerPopulation
        ? null
        : Math.max(
            0,
            ...learnerPopulation.days.map((day) => ratio(day.impressionsByModel[badModel] ?? 0, day.impressions)),
          ),
  };
}

/** The per-day table: like rate per population (drawn, and expected in brackets), the learner's model and decisions. */
export function formatTable(populations: readonly PopulationRecord[]): string {
  const byKind = new Map(populations.map((population) => [population.kind, population]));
  const kinds = POPULATIONS.filter((kind) => byKind.has(kind));
  const header = ['day', ...kinds.map((kind) => `${kind} like rate`), 'model in service', 'decisions'];
  const days = Math.max(0, ...populations.map((population) => population.days.length));
  const rows: string[][] = [];
  const serving = byKind.get('learner') ?? byKind.get('frozen') ?? populations[0];
  for (let index = 0; index < days; index++) {
    const cells = kinds.map((kind) => {
      const record = byKind.get(kind)!.days[index];
      return record ? `${percent(record.likeRate)} (${percent(record.expectedLikeRate)})` : '';
    });
    const record = serving?.days[index];
    rows.push([String(index + 1), ...cells, record?.liveModel ?? '—', record?.decisions.join('; ') || '—']);
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function formatSummary(summary: LearningSimSummary): string {
  const times = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)}×`);
  const share = (value: number | null) => (value === null ? 'n/a (no bad model injected)' : percent(value));
  const rates = Object.entries(summary.likeRate)
    .map(([kind, rate]) => `${kind} ${percent(rate)}`)
    .join(', ');
  return [
    `last day (${summary.lastDay}) like rate: ${rates}`,
    `learner ÷ frozen: ${times(summary.learnerOverFrozen)} (target ≥ 1.20×)`,
    `gap to the oracle closed: ${summary.gapClosed === null ? 'n/a' : percent(summary.gapClosed)} (target ≥ 50 %)`,
    `oracle ÷ frozen: ${times(summary.oracleOverFrozen)}`,
    `bad model's largest daily share of impressions: ${share(summary.badModelMaxShare)}`,
  ].join('\n');
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}
