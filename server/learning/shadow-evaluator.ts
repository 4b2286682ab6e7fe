// What the learner needs from the shadow evaluation (docs/shadow-evaluation.md): the shadow model's online
// estimate against the live model on the shadow arm's slates since it became shadow, or null when it has
// no slates yet. ShadowEvaluationService (server/learning/shadow-evaluation.service.ts) implements it.
import type { OnlineEstimate } from '../../shared/schemas/learning.js';

export interface ShadowEvaluator {
  evaluate(shadowModelId: string, since: Date): Promise<OnlineEstimate | null>;
}
