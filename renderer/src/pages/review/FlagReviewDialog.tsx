// One flag in a dialog: what was flagged, its history oldest first, and — while it is open — the form
// that resolves it with an outcome and an optional note.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReviewFlagWithHistory } from '../../../../shared/schemas/review.js';
import { useApiClient } from '../../api/api-context.js';
import { errorMessage } from '../../api/error-message.js';
import { useApi } from '../../api/use-api.js';
import { Dialog } from '../../components/Dialog.js';

import { ErrorAlert, LoadStatus } from '../../components/Notices.js';
import { SubmitButton } from '../../components/SubmitButton.js';
import { REVIEW_OUTCOMES, historyInOrder, memberLabel, resolveRequestBody, type ReviewOutcome } from './review-data.js';

export function FlagReviewDialog({
  flagId,
  formatDate,
  onClose,
  onResolved,
}: {
  flagId: number;
  formatDate: (iso: string) => string;
  onClose: () => void;
  onResolved: (flag: ReviewFlagWithHistory) => void;
}) {
  const { t } = useTranslation('review');
  const api = useApiClient();
  const detail = useApi(`/api/v2/review/flags/${flagId}`);
  const flag = detail.loading || detail.error !== null ? undefined : detail.data;
  const [outcome, setOutcome] = useState<ReviewOutcome>('no_action');
  const [note, setNote] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const outcomeSelect = useRef<HTMLSelectElement>(null);
  const loaded = flag !== undefined;

  // The detail arrives after the dialog opened (focus on Close then): move on to the first decision.
  useEffect(() => {
    if (loaded) outcomeSelect.current?.focus();
  }, [loaded]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    api
      .post(`/api/v2/review/flags/${flagId}/resolve`, resolveRequestBody(outcome, note))
      .then(onResolved, (failure: unknown) => {
        setError(t('dialog.resolveError', { message: errorMessage(failure) }));
        setSending(false);
      });
  };

  return (
    <Dialog
      title={t('dialog.title', { id: flagId })}
      onClose={onClose}
      closeLabel={t('close')}
      testId="flag-review-dialog"
    >
      <LoadStatus state={detail} loading={t('dialog.loading')} failed={(message) => t('dialog.error', { message })} />
      {flag ? (
        <>
          <p>
            {t('member', { member: memberLabel(flag.viewerId, flag.viewerName) })} —{' '}
            {flag.candidateId
              ? t('candidate', { candidate: memberLabel(flag.candidateId, flag.candidateName) })
              : t('wholeSlate')}
            {flag.slateId ? (
              <>
                <br />
                <span className="muted">{t('dialog.slateId', { slateId: flag.slateId })}</span>
              </>
            ) : null}
          </p>
          <h3>{t('dialog.history')}</h3>
          {flag.history.length === 0 ? (
            <p className="muted">{t('dialog.noHistory')}</p>
          ) : (
            <ol data-testid="flag-history">
              {historyInOrder(flag.history).map((entry, index) => (
                <li key={`${entry.at}-${index}`}>
                  <time dateTime={entry.at}>{formatDate(entry.at)}</time>:{' '}
                  {t('dialog.historyEntry', {
                    action: t(`actions.${entry.action}`, { defaultValue: entry.action }),
                    actor: entry.actor,
                  })}
                  {entry.outcome ? ` (${t(`outcomes.${entry.outcome}`)})` : ''}
                  {entry.note ? <> — “{entry.note}”</> : null}
                </li>
              ))}
            </ol>
          )}
          {flag.status === 'open' ? (
            <form onSubmit={submit} style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
              <label htmlFor="resolve-outcome">{t('dialog.outcome')}</label>
              <select
                ref={outcomeSelect}
                id="resolve-outcome"
                data-testid="resolve-outcome"
                value={outcome}
                onChange={(event) => setOutcome(event.target.value as ReviewOutcome)}
              >
                {REVIEW_OUTCOMES.map((value) => (
                  <option key={value} value={value}>
                    {t(`outcomes.${value}`)}
                  </option>
                ))}
              </select>
              <label htmlFor="resolve-note">{t('dialog.note')}</label>
              <textarea
                id="resolve-note"
                data-testid="resolve-note"
                rows={3}
                value={note}
                onChange={(event) => setNote(event.target.value)}
              />
              {error ? <ErrorAlert>{error}</ErrorAlert> : null}
              <SubmitButton
                testId="resolve-submit"
                sending={sending}
                label={t('dialog.submit')}
                sendingLabel={t('dialog.sending')}
              />
            </form>
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
}
