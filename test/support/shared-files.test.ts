// The ../shared presence check: true when every file is there, false locally when one is missing, and
// a failure naming the missing file under CI=true (so CI never passes by skipping).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedFilesPresent } from './shared-files.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sde-shared-files-'));
const present = path.join(dir, 'present.json');
const absent = path.join(dir, 'absent.json');
writeFileSync(present, '{}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sharedFilesPresent', () => {
  it('is true when every file is present, CI or not', () => {
    expect(sharedFilesPresent([present], {})).toBe(true);
    expect(sharedFilesPresent([present, new URL(`file://${present}`)], { CI: 'true' })).toBe(true);
  });

  it('is false outside CI when a file is missing, so the tests that need it skip', () => {
    expect(sharedFilesPresent([present, absent], {})).toBe(false);
    expect(sharedFilesPresent([absent], { CI: 'false' })).toBe(false);
  });

  it('fails under CI=true when a file is missing, naming it', () => {
    expect(() => sharedFilesPresent([present, absent], { CI: 'true' })).toThrow(absent);
  });
});
