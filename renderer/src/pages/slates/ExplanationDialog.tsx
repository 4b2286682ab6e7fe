// A candidate's explanation in a dialog: the reasons and chips in the reader's language, the SHAP
// contributions as a bar chart and, as its text alternative, the same numbers in a table.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Explanation } from '../../../../shared/schemas/explanations.js';
import type { ApiClient } from '../../api/api-client.js';
import { Dialog } from '../../components/Dialog.js';
import { explainedDelta, explanationLanguage, localizedChips, localizedReason, shapBars } from './explanation-data.js';
import { ShapChart } from './ShapChart.js';

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; explanation: Explanation };

export function ExplanationDialog({
  api,
  viewerId,
  candidateId,
  onClose,
}: {
  api: ApiClient;
  viewerId: string;
  candidateId: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('slates');
  const [state, setState] = useState<State>({ kind: 'loading' });
  const language = explanationLanguage(i18n.language);

  useEffect(() => {
    let current = true;
    setState({ kind: 'loading' });
    api.get<Explanation>(`/api/v2/discovery/why/${encodeURIComponent(candidateId)}`, { viewerId }).then(
      (explanation) => current && setState({ kind: 'ready', explanation }),
      (error: unknown) =>
        current && setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, viewerId, candidateId]);

  return (
    <Dialog
      title={t('explanation.title', { candidateId, viewerId })}
      onClose={onClose}
      closeLabel={t('close')}
      testId="explanation-dialog"
    >
      {state.kind === 'loading' ? <p role="status">{t('explanation.loading')}</p> : null}
      {state.kind === 'error' ? (
        <p role="alert" className="error">
          {t('explanation.error', { message: state.message })}
        </p>
      ) : null}
      {state.kind === 'ready' ? <ExplanationBody explanation={state.explanation} language={language} /> : null}
    </Dialog>
  );
}

function ExplanationBody({ explanation, language }: { explanation: Explanation; language: 'en' | 'es' }) {
  const { t } = useTranslation('slates');
  const bars = shapBars(explanation.features, language);
  const chips = localizedChips(explanation, language);
  return (
    <>
      <h3>{t('explanation.reasons')}</h3>
      <p data-testid="explanation-reason" lang={language}>
        {localizedReason(explanation, language)}
      </p>
      <h3>{t('explanation.chips')}</h3>
      {chips.length > 0 ? (
        <ul
          aria-label={t('explanation.chips')}
          style={{ display: 'flex', flexWrap: 'wrap', gap: 8, listStyle: 'none', padding: 0 }}
        >
          {chips.map((chip) => (
            <li key={chip} className="panel" style={{ margin: 0, padding: '2px 10px' }} lang={language}>
              {chip}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('explanation.noChips')}</p>
      )}
      <p className="muted">{t('explanation.model', { model: explanation.model })}</p>
      <h3>{t('explanation.contributions')}</h3>
      {bars.length === 0 ? (
        <p className="muted">{t('explanation.noFeatures')}</p>
      ) : (
        <>
          <ShapChart bars={bars} label={t('explanation.chartLabel')} />
          <p className="muted">
            {t('explanation.chartSummary', {
              score: explanation.score.toFixed(3),
              expected: explanation.expectedValue.toFixed(3),
              delta: explainedDelta(explanation).toFixed(3),
            })}
          </p>
          <table data-testid="shap-table">
            <caption className="muted" style={{ textAlign: 'left' }}>
              {t('explanation.chartLabel')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('explanation.feature')}</th>
                <th scope="col">{t('explanation.group')}</th>
                <th scope="col">{t('explanation.value')}</th>
                <th scope="col">{t('explanation.contribution')}</th>
                <th scope="col">{t('explanation.direction')}</th>
                <th scope="col">{t('explanation.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {bars.map((bar) => (
                <tr key={bar.feature}>
                  <th scope="row">{bar.feature}</th>
                  <td>{bar.group}</td>
                  <td>{bar.value}</td>
                  <td>{bar.signedLabel}</td>
                  <td>{t(`explanation.${bar.direction}`)}</td>
                  <td lang={language}>{bar.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
