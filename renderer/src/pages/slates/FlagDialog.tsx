// Files a flag into the review queue: a candidate of a slate, or the whole slate, with a note.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiClient } from '../../api/api-context.js';
import { errorMessage } from '../../api/error-message.js';

import { ErrorAlert } from '../../components/Notices.js';
import { SubmitButton } from '../../components/SubmitButton.js';
import { flagRequestBody, type ReviewFlag } from '../review/review-data.js';
import { Dialog } from '../../components/Dialog.js';

export function FlagDialog({
  viewerId,
  slateId,
  candidateId,
  onClose,
  onFlagged,
}: {
  viewerId: string;
  slateId: string;
  /** null flags the whole slate. */
  candidateId: string | null;
  onClose: () => void;
  onFlagged: (flag: ReviewFlag) => void;
}) {
  const { t } = useTranslation('slates');
  const api = useApiClient();
  const [note, setNote] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (note.trim() === '') {
      setError(t('flag.noteRequired'));
      return;
    }
    setSending(true);
    setError(null);
    api
      .post('/api/v2/review/flags', flagRequestBody({ viewerId, slateId, note, candidateId }))
      .then(onFlagged, (failure: unknown) => {
        setError(t('flag.error', { message: errorMessage(failure) }));
        setSending(false);
      });
  };

  const title = candidateId ? t('flag.titleCandidate', { candidateId, viewerId }) : t('flag.titleSlate', { viewerId });
  return (
    <Dialog title={title} onClose={onClose} closeLabel={t('cancel')} testId="flag-dialog" initialFocus="textarea">
      <form onSubmit={submit} noValidate style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
        <label htmlFor="flag-note">{t('flag.note')}</label>
        <textarea
          id="flag-note"
          data-testid="flag-note"
          rows={4}
          value={note}
          required
          aria-invalid={error !== null && note.trim() === ''}
          aria-describedby={error ? 'flag-error' : undefined}
          onChange={(event) => setNote(event.target.value)}
        />
        {error ? <ErrorAlert id="flag-error">{error}</ErrorAlert> : null}
        <SubmitButton
          testId="flag-submit"
          sending={sending}
          label={t('flag.submit')}
          sendingLabel={t('flag.sending')}
        />
      </form>
    </Dialog>
  );
}
