// The layer rules are lint rules: shared/ imports nothing runtime-specific and renderer/ never reaches
// into server/. Lints real file paths with offending imports to prove the rules fire.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// Import rules need no type information; without it files need not exist on disk or in a tsconfig.
const eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked });

async function restrictedImportMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", 'no Node imports'],
    ["import path from 'path';", 'no Node imports'],
    ["import { app } from 'electron';", 'no Electron imports'],
    ["import { createRoot } from 'react-dom/client';", 'no DOM imports'],
    ["import { buildApp } from '../../server/app.js';", 'bottom layer'],
  ])('refuses %s in shared/', async (line, reason) => {
    const messages = await restrictedImportMessages('shared/schemas/roles.ts', `${line}\nexport {};\n`);
    expect(messages.join('\n')).toContain(reason);
  });

  it('allows shared/ to import TypeBox', async () => {
    expect(
      await restrictedImportMessages(
        'shared/schemas/roles.ts',
        "import { Type } from '@sinclair/typebox';\nexport const T = Type.String();\n",
      ),
    ).toEqual([]);
  });

  it('refuses server/ imports in renderer/', async () => {
    const messages = await restrictedImportMessages(
      'renderer/src/App.tsx',
      "import { buildApp } from '../../server/app.js';\nexport {};\n",
    );
    expect(messages.join('\n')).toContain('over HTTP only');
  });
});
