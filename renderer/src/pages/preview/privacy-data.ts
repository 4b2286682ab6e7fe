// Shapes the privacy API (shared/schemas/privacy.ts) and the export and erasure answers into what the
// member preview's privacy panel shows: one row per feature group in a fixed order, each effect of a
// change as a translation key with its values, the export's file name and text. Pure, so the panel
// stays dumb and the shaping is unit-tested.
import type { ErasureReceipt } from '../../../../shared/schemas/erasure.js';
import type { ExportJob, MemberExport } from '../../../../shared/schemas/export.js';
import {
  PRIVACY_GROUPS,
  type PrivacyEffect,
  type PrivacyGroup,
  type PrivacyPatch,
  type PrivacySettings,
} from '../../../../shared/schemas/privacy.js';

export const PRIVACY_ROUTE = '/api/v2/discovery/privacy';
export const EXPORT_ROUTE = '/api/v2/users/me/export';
/** Staff erase a previewed member here: DELETE /api/v2/users/me refuses preview tokens by design. */
export const ADMIN_ERASURE_ROUTE = '/api/v2/admin/erasures';

export interface PrivacyRow {
  group: PrivacyGroup;
  enabled: boolean;
  /** When the member last switched it; null: never (the default applies). */
  changedAt: string | null;
}

/** The four groups in the order the page lists them (the schema's order), whatever order the JSON had. */
export function privacyRows(settings: PrivacySettings): PrivacyRow[] {
  return PRIVACY_GROUPS.map((group) => ({
    group,
    enabled: settings[group].enabled,
    changedAt: settings[group].changedAt,
  }));
}

/** The PATCH body for one switch: only the group that changed, so the others are left as they are. */
export function privacyPatch(group: PrivacyGroup, enabled: boolean): PrivacyPatch {
  return { [group]: enabled };
}

export interface EffectLine {
  /** Key under `effects.` in the privacy namespace. */
  key: PrivacyEffect['effect'];
  values: { group?: PrivacyGroup; count?: number; at?: string };
}

/** Each effect a change set in motion, as a translation key and its values (group, count, date). */
export function effectLines(effects: readonly PrivacyEffect[]): EffectLine[] {
  return effects.map((effect) => ({
    key: effect.effect,
    values: {
      ...(effect.group !== undefined ? { group: effect.group } : {}),
      ...(effect.count !== undefined ? { count: effect.count } : {}),
      ...(effect.at !== undefined ? { at: effect.at } : {}),
    },
  }));
}

/** A large export answers 202 with a job to poll instead of the export itself. */
export function isExportJob(body: MemberExport | ExportJob): body is ExportJob {
  return 'exportId' in body && 'statusUrl' in body;
}

/**
 * The job's status URL as a route the client knows: the server puts it under EXPORT_ROUTE (a URL
 * anywhere else is not one the console will follow with the member's token).
 */
export function exportStatusPath(job: ExportJob): `${typeof EXPORT_ROUTE}/${string}` {
  const prefix = `${EXPORT_ROUTE}/`;
  if (!job.statusUrl.startsWith(prefix)) {
    throw new Error(`export ${job.exportId}: status URL ${job.statusUrl} is not under ${EXPORT_ROUTE}`);
  }
  return `${EXPORT_ROUTE}/${job.statusUrl.slice(prefix.length)}`;
}

/**
 * The file name the save dialog proposes: `sde-export-<member>-<date>.json`, the member id reduced to
 * characters every file system accepts (the desktop app refuses folders and names over 200 characters).
 */
export function exportFileName(memberId: string, generatedAt: string): string {
  const safeId = memberId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || 'member';
  const day = /^\d{4}-\d{2}-\d{2}/.exec(generatedAt)?.[0] ?? 'undated';
  return `sde-export-${safeId}-${day}.json`;
}

/** The export as the file holds it: the JSON the server sent, indented for a person to read. */
export function exportFileContents(data: MemberExport): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** An erasure receipt in two numbers: rows deleted over every table, and the tables that held some. */
export function receiptTotals(receipt: ErasureReceipt): { rows: number; tables: number; objects: number } {
  const counts = Object.values(receipt.removed);
  return {
    rows: counts.reduce((sum, count) => sum + count, 0),
    tables: counts.filter((count) => count > 0).length,
    objects: receipt.storage.objects,
  };
}
