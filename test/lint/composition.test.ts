// The composition-root rule is a lint rule: a service (server/**/*.service.ts) never constructs a
// repository or another service with `new`; server/composition/ builds them and passes them in. Lints
// samples at real service paths to prove the rule fires, then every service file of the tree.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The rule is syntactic; without type information files need not exist on disk or in a tsconfig.
const eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked });
const RULE = 'no-restricted-syntax';

async function constructionMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('composition-root rule', () => {
  it.each([
    [
      'a repository in the constructor',
      'constructor(db: unknown) { this.repository = new TasteRepository(db); }',
      'repositories',
    ],
    ['a repository as a field', 'private readonly repository = new ModelRegistryRepository();', 'repositories'],
    ['another service', 'constructor(db: unknown) { this.features = new PairFeaturesService(db); }', 'services'],
  ])('refuses %s in a service', async (_what, member, layer) => {
    const code = `export class ExampleService {\n  ${member}\n}\n`;
    const messages = await constructionMessages('server/example/example.service.ts', code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`server/composition/${layer}.ts`);
  });

  it('allows a repository bound to a transaction inside a service', async () => {
    const code =
      'export async function save(db: { transaction(f: (tx: unknown) => Promise<void>): Promise<void> }) {\n' +
      '  await db.transaction(async (tx) => new FavoritesRepository(tx).add());\n}\n';
    expect(await constructionMessages('server/example/example.service.ts', code)).toEqual([]);
  });

  it('allows the composition root to build them', async () => {
    const code = 'export const build = (db: unknown) => new TasteService(db, new TasteRepository(db));\n';
    expect(await constructionMessages('server/composition/services.ts', code)).toEqual([]);
  });

  it('passes on every service of the tree', async () => {
    const results = await eslint.lintFiles(['server/**/*.service.ts']);
    const offences = results.flatMap((result) =>
      result.messages.filter((m) => m.ruleId === RULE).map((m) => `${result.filePath}:${m.line} ${m.message}`),
    );
    expect(offences).toEqual([]);
  });
});
