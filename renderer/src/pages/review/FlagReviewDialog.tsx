// One flag in a dialog: what was flagged, its history oldest first, and — while it is open — the form
// that resolves it with an outcome and an optional note.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReviewFlagWithHistory } from '../../../../shared/schemas/review.js';
import type { ApiClient } from '../../api/api-client.js';
import { Dialog } from '../../components/Dialog.js';
import { REVIEW_OUTCOMES, historyInOrder, memberLabel, resolveRequestBody, type ReviewOutcome } from './review-data.js';

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; flag: ReviewFlagWithHistory };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function FlagReviewDialog({
  api,
  flagId,
  formatDate,
  onClose,
  onResolved,
}: {
  api: ApiClient;
  flagId: number;
  formatDate: (iso: string) => string;
  onClose: () => void;
  onResolved: (flag: ReviewFlagWithHistory) => void;
}) {
  const { t } = useTranslation('review');
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [outcome, setOutcome] = useState<ReviewOutcome>('no_action');
  const [note, setNote] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const outcomeSelect = useRef<HTMLSelectElement>(null);
  const loaded = state.kind === 'ready';

  useEffect(() => {
    let current = true;
    api.get<ReviewFlagWithHistory>(`/api/v2/review/flags/${flagId}`).then(
      (flag) => current && setState({ kind: 'ready', flag }),
      (failure: unknown) => current && setState({ kind: 'error', message: messageOf(failure) }),
    );
    return () => {
      current = false;
    };
  }, [api, flagId]);

  // The detail arrives after the dialog opened (focus on Close then): move on to the first decision.
  useEffect(() => {
    if (loaded) outcomeSelect.current?.focus();
  }, [loaded]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    api
      .post<ReviewFlagWithHistory>(`/api/v2/review/flags/${flagId}/resolve`, resolveRequestBody(outcome, note))
      .then(onResolved, (failure: unknown) => {
        setError(t('dialog.resolveError', { message: messageOf(failure) }));
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
      {state.kind === 'loading' ? <p role="status">{t('dialog.loading')}</p> : null}
      {state.kind === 'error' ? (
        <p role="alert" className="error">
          {t('dialog.error', { message: state.message })}
        </p>
      ) : null}
      {state.kind === 'ready' ? (
        <>
          <p>
            {t('member', { member: memberLabel(state.flag.viewerId, state.flag.viewerName) })} —{' '}
            {state.flag.candidateId
              ? t('candidate', { candidate: memberLabel(state.flag.candidateId, state.flag.candidateName) })
              : t('wholeSlate')}
            {state.flag.slateId ? (
              <>
                <br />
                <span className="muted">{t('dialog.slateId', { slateId: state.flag.slateId })}</span>
              </>
            ) : null}
          </p>
          <h3>{t('dialog.history')}</h3>
          {state.flag.history.length === 0 ? (
            <p className="muted">{t('dialog.noHistory')}</p>
          ) : (
            <ol data-testid="flag-history">
              {historyInOrder(state.flag.history).map((entry, index) => (
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
          {state.flag.status === 'open' ? (
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
              {error ? (
                <p role="alert" className="error">
                  {error}
                </p>
              ) : null}
              <div>
                <button type="submit" className="primary" data-testid="resolve-submit" disabled={sending}>
                  {sending ? t('dialog.sending') : t('dialog.submit')}
                </button>
              </div>
            </form>
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
}
