// Shapes an explanation (shared/schemas/explanations.ts) for the console: the reasons and chips in the
// reader's language, and the SHAP contributions as bars sorted by size with their sign spelled out in
// the label, so positive and negative are told apart without relying on colour.
import { inLocale, localeOf, type Locale } from '../../../../shared/locales.js';
import type { Explanation, ExplainedFeature } from '../../../../shared/schemas/explanations.js';

export type ExplanationLanguage = Locale;

/** i18next may report a regional code (`es-ES`); the API writes its locales (shared/locales.ts). */
export function explanationLanguage(language: string | undefined): ExplanationLanguage {
  return localeOf(language);
}

/** The reason in the reader's locale, picked from the explanation's locale map. */
export function localizedReason(explanation: Pick<Explanation, 'reasons'>, language: ExplanationLanguage): string {
  return inLocale(explanation.reasons, language);
}

export function localizedChips(explanation: Pick<Explanation, 'chips'>, language: ExplanationLanguage): string[] {
  return explanation.chips.map((chip) => chip[language]);
}

export interface ShapBar {
  feature: string;
  group: string;
  value: number;
  contribution: number;
  direction: 'positive' | 'negative';
  /** The signed contribution, e.g. `+0.410` / `−0.120` (a real minus sign). */
  signedLabel: string;
  /** Feature name with its signed contribution: what the chart's axis shows. */
  axisLabel: string;
  reason: string;
}

export function signedContribution(contribution: number): string {
  const magnitude = Math.abs(contribution).toFixed(3);
  return contribution < 0 ? `\u2212${magnitude}` : `+${magnitude}`;
}

/** One bar per feature, largest |contribution| first (ties keep the API's order). */
export function shapBars(features: readonly ExplainedFeature[], language: ExplanationLanguage): ShapBar[] {
  return features
    .map((feature, index) => ({ feature, index }))
    .sort((a, b) => Math.abs(b.feature.contribution) - Math.abs(a.feature.contribution) || a.index - b.index)
    .map(({ feature }) => {
      const signedLabel = signedContribution(feature.contribution);
      return {
        feature: feature.name,
        group: feature.group,
        value: feature.value,
        contribution: feature.contribution,
        direction: feature.contribution < 0 ? 'negative' : 'positive',
        signedLabel,
        axisLabel: `${feature.name} (${signedLabel})`,
        reason: inLocale(feature.reasons, language),
      };
    });
}

/** score − expectedValue: what the listed contributions explain, for the chart's caption. */
export function explainedDelta(explanation: Pick<Explanation, 'score' | 'expectedValue'>): number {
  return explanation.score - explanation.expectedValue;
}
