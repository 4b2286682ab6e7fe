// The desktop package's build settings (electron-builder.yml): the Electron fuses that keep the shipped
// binary from being used as a Node runtime or loading code from outside its checked app.asar.
// electron-builder itself is not installed here, so the test reads the YAML file's top-level keys and
// the `electronFuses` block (plain `key: value` lines) itself.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CONFIG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../electron-builder.yml');

/** Top-level keys (with their line numbers) and the scalar children of one block. */
function readConfig(text: string) {
  const lines = text.split(/\r?\n/);
  const topLevel: Array<{ key: string; value: string; line: number }> = [];
  for (const [index, line] of lines.entries()) {
    const match = /^([A-Za-z][\w-]*):\s*(.*?)\s*(?:#.*)?$/.exec(line);
    if (match) topLevel.push({ key: match[1]!, value: match[2]!, line: index });
  }
  const block = (key: string): Record<string, string> => {
    const start = topLevel.find((entry) => entry.key === key);
    if (!start) return {};
    const children: Record<string, string> = {};
    for (const line of lines.slice(start.line + 1)) {
      if (/^\S/.test(line)) break;
      const child = /^\s+([A-Za-z][\w-]*):\s*(.*?)\s*(?:#.*)?$/.exec(line);
      if (child) children[child[1]!] = child[2]!;
    }
    return children;
  };
  return { topLevel, block };
}

describe('electron-builder.yml', () => {
  const config = readConfig(readFileSync(CONFIG, 'utf8'));

  it('why: the packaged app flips the Electron fuses that turn it into a Node runtime off, and asar checks on', () => {
    expect(config.topLevel.filter((entry) => entry.key === 'electronFuses')).toHaveLength(1);
    expect(config.block('electronFuses')).toEqual({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      enableCookieEncryption: 'true',
    });
  });

  it('packs the app into an asar archive (the asar fuses need one)', () => {
    const asar = config.topLevel.find((entry) => entry.key === 'asar');
    expect(asar === undefined || asar.value !== 'false').toBe(true);
    expect(config.block('asar')).not.toHaveProperty('disableIntegrity', 'true');
  });
});
