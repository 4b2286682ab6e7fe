// Install scripts run with the installing user's rights, and some fetch binaries from outside the npm
// registry (Electron's from GitHub, ONNX Runtime's from NuGet): a supply-chain risk and a failure on a
// locked-down network. package.json's `allowScripts` (npm 11) records a decision for every dependency
// that has one, so `npm install && npm start` needs nothing but the registry.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockPackage {
  version?: string;
  hasInstallScript?: boolean;
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  allowScripts?: Record<string, boolean>;
  scripts: Record<string, string>;
};
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockPackage> };

/** Packages whose install scripts download from outside the registry: they must stay denied. */
const DOWNLOADS_FROM_OUTSIDE_THE_REGISTRY = ['electron', 'onnxruntime-node'];

function packagesWithInstallScripts(): string[] {
  return Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([location]) => location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length));
}

describe('install scripts: approved explicitly, none fetches from outside the npm registry', () => {
  it('install scripts: every dependency with one has an explicit allow or deny in package.json', () => {
    const decided = new Set(Object.keys(manifest.allowScripts ?? {}).map((key) => key.replace(/@[^@/]+$/, '')));
    const undecided = packagesWithInstallScripts().filter((name) => !decided.has(name));
    expect(undecided).toEqual([]);
  });

  it('install scripts: Electron and ONNX Runtime downloads are denied (npm install works with only the registry)', () => {
    for (const name of DOWNLOADS_FROM_OUTSIDE_THE_REGISTRY) expect(manifest.allowScripts?.[name]).toBe(false);
  });

  it('install scripts: desktop developers fetch the Electron binary with one documented command', () => {
    expect(manifest.scripts['desktop:install']).toBe('node node_modules/electron/install.js');
    expect(readFileSync('docs/console.md', 'utf8')).toContain('npm run desktop:install');
  });

  it('install scripts: CI installs as a newcomer does, without skip variables set by hand', () => {
    const ci = readFileSync('.ci/run', 'utf8');
    expect(ci).not.toMatch(/^\s*export\s+[^#\n]*ELECTRON_SKIP_BINARY_DOWNLOAD/m);
    expect(ci).not.toMatch(/^\s*export\s+[^#\n]*ONNXRUNTIME_NODE_INSTALL/m);
  });
});
