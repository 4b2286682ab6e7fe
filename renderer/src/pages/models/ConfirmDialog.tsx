// A modal confirmation for actions that change what serves members (promote, roll back): the console's
// dialog, described by the sentence saying what will change; Escape cancels unless the action is running.
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog.js';

export interface ConfirmDialogProps {
  title: string;
  /** What will change, in one sentence. */
  message: string;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  busy,
  error,
  confirmDisabled,
  onConfirm,
  onCancel,
  children,
}: ConfirmDialogProps) {
  const { t } = useTranslation('models');
  const messageId = useId();
  return (
    <Dialog
      title={title}
      onClose={() => {
        if (!busy) onCancel();
      }}
      closeLabel={t('close', { ns: 'common' })}
      testId="confirm-dialog"
      describedBy={messageId}
    >
      <div className="models-dialog">
        <p id={messageId} data-testid="confirm-message">
          <strong>{message}</strong>
        </p>
        {children}
      </div>
      {error ? (
        <p role="alert" className="error" data-testid="confirm-error">
          {t('confirm.refused', { message: error })}
        </p>
      ) : null}
      {busy ? <p role="status">{t('confirm.working')}</p> : null}
      <div className="models-dialog-actions">
        <button type="button" onClick={onCancel} disabled={busy} data-testid="cancel-button">
          {t('cancel', { ns: 'common' })}
        </button>
        <button
          type="button"
          className="primary"
          onClick={onConfirm}
          disabled={busy || confirmDisabled}
          data-testid="confirm-button"
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
