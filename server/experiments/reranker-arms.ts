// The arms of the `discovery_reranker_v2` experiment and what each means for a slate. The flag's
// value is the arm; GrowthBook's experiment rule assigns it per viewer (hashed on the viewer id).
export const RERANKER_FLAG = 'discovery_reranker_v2';

export const RERANKER_ARMS = ['control', 'treatment', 'shadow', 'holdout'] as const;
export type RerankerArm = (typeof RERANKER_ARMS)[number];

export const ARM_MEANING: Record<RerankerArm, string> = {
  control: 'served by the live model',
  treatment: 'served by the candidate model (the registry’s shadow model), falling back to live when there is none',
  shadow: 'served by the live model, also scored by the candidate model; both rankings logged',
  holdout: 'the re-ranker is bypassed: served in retrieval order',
};

/** The arm a flag value names; anything else (a typo in a definition) is control, the safe default. */
export function armFromFlagValue(value: unknown): { arm: RerankerArm; valid: boolean } {
  return typeof value === 'string' && (RERANKER_ARMS as readonly string[]).includes(value)
    ? { arm: value as RerankerArm, valid: true }
    : { arm: 'control', valid: false };
}
