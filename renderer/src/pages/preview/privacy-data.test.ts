// Unit tests of the privacy panel's shaping: rows in a fixed order, one-group patches, effects as keys
// with their values, export jobs told apart from exports, safe file names and receipt totals.
import { describe, expect, it } from 'vitest';
import type { ErasureReceipt } from '../../../../shared/schemas/erasure.js';
import type { ExportJob, MemberExport } from '../../../../shared/schemas/export.js';
import type { PrivacySettings } from '../../../../shared/schemas/privacy.js';
import {
  effectLines,
  exportFileContents,
  exportFileName,
  isExportJob,
  privacyPatch,
  privacyRows,
  receiptTotals,
} from './privacy-data.js';

const CHANGED = '2026-11-30T09:15:00.000Z';

describe('privacy-data', () => {
  it('lists the four groups in the schema order whatever order the server sent them in', () => {
    const settings = {
      favorites: { enabled: false, changedAt: CHANGED },
      connectors: { enabled: true, changedAt: null },
      behavioural: { enabled: true, changedAt: null },
      interests: { enabled: true, changedAt: null },
    } satisfies PrivacySettings;
    expect(privacyRows(settings)).toEqual([
      { group: 'interests', enabled: true, changedAt: null },
      { group: 'behavioural', enabled: true, changedAt: null },
      { group: 'connectors', enabled: true, changedAt: null },
      { group: 'favorites', enabled: false, changedAt: CHANGED },
    ]);
  });

  it('patches only the group that was switched', () => {
    expect(privacyPatch('favorites', false)).toEqual({ favorites: false });
    expect(privacyPatch('interests', true)).toEqual({ interests: true });
  });

  it('turns each effect into a translation key with only the values it carries', () => {
    expect(
      effectLines([
        { effect: 'taste_vector_deleted', group: 'favorites' },
        { effect: 'connector_tokens_revoked', group: 'connectors', count: 2 },
        { effect: 'behavioural_events_deletion_scheduled', group: 'behavioural', at: CHANGED },
        { effect: 'caches_invalidated' },
      ]),
    ).toEqual([
      { key: 'taste_vector_deleted', values: { group: 'favorites' } },
      { key: 'connector_tokens_revoked', values: { group: 'connectors', count: 2 } },
      { key: 'behavioural_events_deletion_scheduled', values: { group: 'behavioural', at: CHANGED } },
      { key: 'caches_invalidated', values: {} },
    ]);
  });

  it('tells a large export’s job from the export itself', () => {
    const job: ExportJob = {
      exportId: '6c1f0c1e-3a0b-4d53-9a8b-2f7c1d9e0a11',
      status: 'queued',
      requestedAt: CHANGED,
      statusUrl: '/api/v2/users/me/export/6c1f0c1e-3a0b-4d53-9a8b-2f7c1d9e0a11',
    };
    expect(isExportJob(job)).toBe(true);
    expect(isExportJob({ format: 'sde-member-export', memberId: 'm-7' } as unknown as MemberExport)).toBe(false);
  });

  it('proposes a file name without folders or odd characters, dated by the export', () => {
    expect(exportFileName('demo-00042', CHANGED)).toBe('sde-export-demo-00042-2026-11-30.json');
    expect(exportFileName('../../etc/passwd', CHANGED)).toBe('sde-export-.._.._etc_passwd-2026-11-30.json');
    expect(exportFileName('a/b', 'not a date')).toBe('sde-export-a_b-undated.json');
    expect(exportFileName('x'.repeat(500), CHANGED).length).toBeLessThanOrEqual(200);
  });

  it('writes the export as indented JSON that parses back to what the server sent', () => {
    const data = { format: 'sde-member-export', memberId: 'm-7', favorites: [] } as unknown as MemberExport;
    const text = exportFileContents(data);
    expect(JSON.parse(text)).toEqual(data);
    expect(text).toContain('\n  "memberId": "m-7"');
  });

  it('sums an erasure receipt over its tables', () => {
    const receipt: ErasureReceipt = {
      receiptId: '9d3b7c2a-1111-4222-8333-444455556666',
      memberId: 'm-7',
      erasedAt: CHANGED,
      removed: { members: 1, favorites: 12, swipes: 30, events: 0 },
      storage: { objects: 3 },
      retained: [],
    };
    expect(receiptTotals(receipt)).toEqual({ rows: 43, tables: 3, objects: 3 });
  });
});
