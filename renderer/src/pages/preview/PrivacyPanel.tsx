// The member's privacy page inside the member preview: one switch per feature group (a labelled
// checkbox with role="switch", so keyboard and screen readers work as for any checkbox) with what the
// group is for and what turning it off changes, the effects the server reports for each change, and the
// two data actions — download everything as JSON, erase the member — each behind a confirmation that
// names the consequence. Settings and export go out with the member's preview token; the erasure goes
// out with the staff token to the admin route, because the member route refuses preview tokens by design.
// In a read-only preview every control that would write is disabled and the panel says why.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErasureReceipt } from '../../../../shared/schemas/erasure.js';
import type { ExportJob, MemberExport } from '../../../../shared/schemas/export.js';
import type { PrivacyGroup, PrivacyResponse } from '../../../../shared/schemas/privacy.js';
import type { ApiClient } from '../../api/api-client.js';
import { useApiClient } from '../../api/api-context.js';
import { errorMessage } from '../../api/error-message.js';
import { useApi } from '../../api/use-api.js';
import { LoadStatus } from '../../components/Notices.js';
import { isDesktopApp } from '../../session.js';
import { ConfirmDialog } from '../models/ConfirmDialog.js';
import { formatDateTime } from '../overview/overview-data.js';
import {
  ADMIN_ERASURE_ROUTE,
  EXPORT_ROUTE,
  PRIVACY_ROUTE,
  effectLines,
  exportFileContents,
  exportFileName,
  exportStatusPath,
  isExportJob,
  privacyPatch,
  privacyRows,
  receiptTotals,
  type EffectLine,
} from './privacy-data.js';

/** The one native method the panel uses, when the desktop app's preload provides it (electron/native-api.ts). */
interface SaveExportBridge {
  saveExport(request: { suggestedName: string; contents: string }): Promise<string | null>;
}

/** Saves the file: the desktop app's save dialog, else a browser download. The saved name, or null if cancelled. */
async function saveFile(name: string, contents: string): Promise<string | null> {
  if (isDesktopApp()) {
    return (window as unknown as { sde: SaveExportBridge }).sde.saveExport({ suggestedName: name, contents });
  }
  const url = URL.createObjectURL(new Blob([contents], { type: 'application/json' }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    URL.revokeObjectURL(url);
  }
  return name;
}

type ExportState =
  | { kind: 'idle' }
  | { kind: 'job'; job: ExportJob }
  | { kind: 'saved'; file: string }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

/** The member's client (preview token), for settings and export, comes from context. */
export interface PrivacyPanelProps {
  /** The staff client: the admin erasure route. */
  staffApi: ApiClient;
  memberId: string;
  /** A writable preview; false disables every control that writes. */
  writable: boolean;
  /** Whether the signed-in staff member may erase (admins). */
  canErase: boolean;
}

export function PrivacyPanel({ staffApi, memberId, writable, canErase }: PrivacyPanelProps) {
  const { t, i18n } = useTranslation('privacy');
  const api = useApiClient();
  const loaded = useApi(PRIVACY_ROUTE);
  // A change answers with the settings as they now are: they replace what was loaded.
  const [changedTo, setChangedTo] = useState<PrivacyResponse | null>(null);
  const privacy = changedTo ?? loaded.data;
  const [saving, setSaving] = useState<PrivacyGroup | null>(null);
  const [changed, setChanged] = useState<{ group: PrivacyGroup; enabled: boolean; effects: EffectLine[] } | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'export' | 'erase' | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [exportState, setExportState] = useState<ExportState>({ kind: 'idle' });
  const [typedId, setTypedId] = useState('');
  const [receipt, setReceipt] = useState<ErasureReceipt | null>(null);
  const baseId = useId();

  const erased = receipt !== null;
  const mayWrite = writable && !erased;

  const toggle = async (group: PrivacyGroup, enabled: boolean) => {
    setSaving(group);
    setSaveError(null);
    try {
      const now = await api.patch(PRIVACY_ROUTE, privacyPatch(group, enabled));
      setChangedTo(now);
      setChanged({ group, enabled, effects: effectLines(now.effects) });
    } catch (failure) {
      setSaveError(errorMessage(failure));
    } finally {
      setSaving(null);
    }
  };

  /** Saves a finished export, or keeps the job to check on. */
  const receiveExport = async (body: MemberExport | ExportJob) => {
    if (isExportJob(body)) {
      setExportState({ kind: 'job', job: body });
      return;
    }
    const file = await saveFile(exportFileName(memberId, body.generatedAt), exportFileContents(body));
    setExportState(file === null ? { kind: 'cancelled' } : { kind: 'saved', file });
  };

  const runExport = async () => {
    setBusy(true);
    setDialogError(null);
    try {
      await receiveExport(await api.get(EXPORT_ROUTE));
      setDialog(null);
    } catch (failure) {
      setDialogError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const checkExport = async (job: ExportJob) => {
    try {
      await receiveExport(await api.get(exportStatusPath(job)));
    } catch (failure) {
      setExportState({ kind: 'error', message: errorMessage(failure) });
    }
  };

  const runErase = async () => {
    setBusy(true);
    setDialogError(null);
    try {
      setReceipt(await staffApi.post(ADMIN_ERASURE_ROUTE, { memberId }));
      setDialog(null);
    } catch (failure) {
      setDialogError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const openDialog = (which: 'export' | 'erase') => {
    setDialogError(null);
    setTypedId('');
    setDialog(which);
  };

  const readOnlyId = `${baseId}-read-only`;
  return (
    <div data-testid="privacy-panel">
      <p className="muted">{t('intro', { member: memberId })}</p>
      {!writable ? (
        <p role="note" className="notice" id={readOnlyId} data-testid="privacy-read-only">
          {t('readOnly', { member: memberId })}
        </p>
      ) : null}
      <LoadStatus state={loaded} loading={t('loading')} failed={(message) => t('loadFailed', { message })} />
      {privacy ? (
        <fieldset className="privacy-groups" aria-describedby={writable ? undefined : readOnlyId}>
          <legend>{t('legend')}</legend>
          {privacyRows(privacy.settings).map((row) => {
            const id = `${baseId}-${row.group}`;
            return (
              <div key={row.group} className="privacy-group" data-testid={`privacy-group-${row.group}`}>
                <input
                  type="checkbox"
                  role="switch"
                  id={id}
                  data-testid={`privacy-toggle-${row.group}`}
                  checked={row.enabled}
                  disabled={!mayWrite || saving !== null}
                  aria-describedby={`${id}-description ${id}-off`}
                  onChange={(event) => void toggle(row.group, event.target.checked)}
                />{' '}
                <label htmlFor={id}>
                  <strong>{t(`groups.${row.group}.title`)}</strong> ({row.enabled ? t('on') : t('off')})
                </label>
                <p id={`${id}-description`}>{t(`groups.${row.group}.description`)}</p>
                <p id={`${id}-off`} className="privacy-off">
                  {t(`groups.${row.group}.off`)}
                </p>
                <p className="muted">
                  {row.changedAt
                    ? t('changedAt', { when: formatDateTime(row.changedAt, i18n.language) })
                    : t('neverChanged')}
                </p>
              </div>
            );
          })}
        </fieldset>
      ) : null}
      {saving ? <p role="status">{t('saving')}</p> : null}
      {saveError ? (
        <p role="alert" className="error" data-testid="privacy-error">
          {t('failed', { message: saveError })}
        </p>
      ) : null}
      {changed ? (
        <section role="status" data-testid="privacy-effects" aria-labelledby={`${baseId}-effects`}>
          <p>
            {t('saved', {
              group: t(`groups.${changed.group}.title`),
              state: changed.enabled ? t('on') : t('off'),
            })}
          </p>
          <h4 id={`${baseId}-effects`}>{t('effectsTitle')}</h4>
          {changed.effects.length === 0 ? (
            <p className="muted">{t('noEffects')}</p>
          ) : (
            <ul>
              {changed.effects.map((line, index) => (
                <li key={`${line.key}-${index}`}>
                  {t(`effects.${line.key}`, {
                    ...line.values,
                    group: line.values.group ? t(`groups.${line.values.group}.title`) : undefined,
                    at: line.values.at ? formatDateTime(line.values.at, i18n.language) : undefined,
                  })}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      <h4>{t('data.title')}</h4>
      <div className="swipe-buttons">
        <button
          type="button"
          data-testid="privacy-export"
          disabled={!mayWrite}
          aria-describedby={writable ? undefined : readOnlyId}
          onClick={() => openDialog('export')}
        >
          {t('data.export')}
        </button>
        <button
          type="button"
          data-testid="privacy-erase"
          disabled={!mayWrite || !canErase}
          aria-describedby={writable && canErase ? undefined : readOnlyId}
          onClick={() => openDialog('erase')}
        >
          {t('data.erase')}
        </button>
      </div>
      {writable && !canErase ? <p className="muted">{t('data.eraseAdminsOnly')}</p> : null}
      {exportState.kind === 'job' ? (
        <p role="status" data-testid="privacy-export-status">
          {t('data.exportPreparing', { status: exportState.job.status })}{' '}
          <button type="button" onClick={() => void checkExport(exportState.job)}>
            {t('data.exportCheck')}
          </button>
        </p>
      ) : null}
      {exportState.kind === 'saved' ? (
        <p role="status" data-testid="privacy-export-status">
          {t('data.exportSaved', { file: exportState.file })}
        </p>
      ) : null}
      {exportState.kind === 'cancelled' ? (
        <p role="status" data-testid="privacy-export-status">
          {t('data.exportCancelled')}
        </p>
      ) : null}
      {exportState.kind === 'error' ? (
        <p role="alert" className="error" data-testid="privacy-export-status">
          {t('data.exportFailed', { message: exportState.message })}
        </p>
      ) : null}
      {receipt ? (
        <p role="status" data-testid="privacy-erased">
          {t('data.erased', { member: receipt.memberId, receipt: receipt.receiptId, ...receiptTotals(receipt) })}
        </p>
      ) : null}

      {dialog !== null ? (
        // Keyed by the action, so switching from one confirmation to the other opens a fresh dialog.
        <ConfirmDialog
          key={dialog}
          title={t(`data.${dialog}Title`, { member: memberId })}
          message={t(`data.${dialog}Message`, { member: memberId })}
          confirmLabel={t(`data.${dialog}Confirm`)}
          busy={busy}
          error={dialogError}
          // Erasing is for good: it waits until the member's id is typed in full.
          confirmDisabled={dialog === 'erase' && typedId.trim() !== memberId}
          onConfirm={() => void (dialog === 'export' ? runExport() : runErase())}
          onCancel={() => setDialog(null)}
        >
          {dialog === 'erase' ? (
            <>
              <label htmlFor={`${baseId}-erase-id`}>{t('data.eraseConfirmLabel', { member: memberId })}</label>{' '}
              <input
                id={`${baseId}-erase-id`}
                data-testid="privacy-erase-id"
                value={typedId}
                autoComplete="off"
                onChange={(event) => setTypedId(event.target.value)}
              />
            </>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
