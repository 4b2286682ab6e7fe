// Assigns viewers to the re-ranker experiment's arms with the GrowthBook SDK and logs each viewer's
// exposure once. The exposure write happens on a viewer's first slate per replica; the table's key
// makes repeats (other replicas, restarts) no-ops, and an in-process set spares the write after that.
import type { FastifyBaseLogger } from 'fastify';
import type { FlagsService } from '../flags/flags.service.js';
import { type ExposuresRepository } from './exposures.repository.js';
import { armFromFlagValue, RERANKER_FLAG, type RerankerArm } from './reranker-arms.js';

/** Bounds the memory of "already logged" pairs; forgetting one only costs a no-op insert. */
const LOGGED_EXPOSURES_KEPT = 100_000;

export interface ArmAssignment {
  arm: RerankerArm;
  /** The experiment that assigned the arm; null when no experiment rule applied (the flag's default or no flag). */
  experimentKey: string | null;
}

export class ExperimentsService {
  private readonly logged = new Set<string>();

  constructor(
    private readonly exposures: ExposuresRepository,
    private readonly flags: FlagsService,
    private readonly log: FastifyBaseLogger,
  ) {}

  async rerankerArm(viewerId: string): Promise<ArmAssignment> {
    const evaluation = await this.flags.evaluate<string>(RERANKER_FLAG, 'control', { id: viewerId });
    const { arm, valid } = armFromFlagValue(evaluation.value);
    if (!valid)
      this.log.warn({ flag: RERANKER_FLAG, value: evaluation.value }, 'unknown re-ranker arm; serving control');
    if (!evaluation.experiment) return { arm, experimentKey: null };
    const key = evaluation.experiment.key;
    const loggedKey = `${key}\u0000${viewerId}`;
    if (!this.logged.has(loggedKey)) {
      await this.exposures.record(key, viewerId, arm);
      if (this.logged.size >= LOGGED_EXPOSURES_KEPT) this.logged.clear();
      this.logged.add(loggedKey);
    }
    return { arm, experimentKey: key };
  }

  exposureCounts(experimentKey: string) {
    return this.exposures.countsByArm(experimentKey);
  }
}
