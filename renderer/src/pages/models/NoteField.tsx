// The optional note a confirmation sends with a change (promotion, rollback, pausing the learner): it
// lands in the change's history beside who made it.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

export function NoteField({ value, onChange }: { value: string; onChange: (next: string) => void }) {
  const { t } = useTranslation('models');
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{t('confirm.note')}</label>
      <textarea
        id={id}
        rows={3}
        maxLength={2000}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid="confirm-note"
      />
    </>
  );
}
