// A candidate's explanation in a dialog: the reasons and chips in the reader's language, the SHAP
// contributions as a bar chart and, as its text alternative, the same numbers in a table.
import { useTranslation } from 'react-i18next';
import type { Explanation } from '../../../../shared/schemas/explanations.js';
import { useApi } from '../../api/use-api.js';
import { DataTable } from '../../components/DataTable.js';
import { Dialog } from '../../components/Dialog.js';
import { LoadStatus } from '../../components/Notices.js';
import {
  explainedDelta,
  explanationLanguage,
  localizedChips,
  localizedReason,
  shapBars,
  type ExplanationLanguage,
} from './explanation-data.js';
import { ShapChart } from './ShapChart.js';

export function ExplanationDialog({
  viewerId,
  candidateId,
  onClose,
}: {
  viewerId: string;
  candidateId: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('slates');
  const explanation = useApi(`/api/v2/discovery/why/${encodeURIComponent(candidateId)}`, { viewerId });
  const language = explanationLanguage(i18n.language);
  // Staff always get the staff view (the server picks it by role); it is the one with SHAP numbers.
  const ready = explanation.loading || explanation.error !== null ? undefined : explanation.data;

  return (
    <Dialog
      title={t('explanation.title', { candidateId, viewerId })}
      onClose={onClose}
      closeLabel={t('close')}
      testId="explanation-dialog"
    >
      <LoadStatus
        state={explanation}
        loading={t('explanation.loading')}
        failed={(message) => t('explanation.error', { message })}
      />
      {ready?.view === 'staff' ? <ExplanationBody explanation={ready} language={language} /> : null}
    </Dialog>
  );
}

const SHAP_COLUMNS = ['feature', 'group', 'value', 'contribution', 'direction', 'reason'] as const;

function ExplanationBody({ explanation, language }: { explanation: Explanation; language: ExplanationLanguage }) {
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
          <DataTable
            testId="shap-table"
            caption={t('explanation.chartLabel')}
            quietCaption
            columns={SHAP_COLUMNS.map((column) => t(`explanation.${column}`))}
            rows={bars}
            rowKey={(bar) => bar.feature}
            cells={(bar) => (
              <>
                <th scope="row">{bar.feature}</th>
                <td>{bar.group}</td>
                <td>{bar.value}</td>
                <td>{bar.signedLabel}</td>
                <td>{t(`explanation.${bar.direction}`)}</td>
                <td lang={language}>{bar.reason}</td>
              </>
            )}
          />
        </>
      )}
    </>
  );
}
