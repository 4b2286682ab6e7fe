// The layers inside server/ are lint rules: pipeline stages import nothing from db/, http/ or jobs/,
// routes import no repository, the library (server/lib/) imports no serving module, and serving code
// imports no offline tool (server/offline/) except server/app.ts, which starts the demo loader. Lints
// samples at real paths to prove each rule fires, then the real server/ tree to prove it passes.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// Import rules need no type information; without it files need not exist on disk or in a tsconfig.
const eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked });
const RULE = '@typescript-eslint/no-restricted-imports';

async function messages(filePath: string, code: string, rule = RULE): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}

const PIPELINE = 'A pipeline stage is a plain function';
const ROUTE = 'never a repository';
const LIBRARY = 'server/lib/ is a library';
const OFFLINE = 'does not import offline tools';
const DEMO_LOADER = "import { loadDemoData } from './offline/demo/demo-data.js';";

describe('server/ layer rules', () => {
  it.each([
    // Pipeline stages: no database, HTTP or queue, not even a type.
    ['server/postrank/dpp.ts', "import { openDatabase } from '../db/open-database.js';", PIPELINE],
    ['server/postrank/safety.ts', "import type { Database } from '../db/database.js';", PIPELINE],
    ['server/slate/slate-pipeline.ts', "import { compileBodyValidator } from '../http/validators.js';", PIPELINE],
    ['server/ranking/serving-rankers.ts', "import { QueueContracts } from '../jobs/queues.js';", PIPELINE],
    ['server/retrieval/candidate-selection.ts', "import { JobQueue } from '../jobs/job-queue.js';", PIPELINE],
    ['server/features/pair-features.ts', "import { discoverableMember } from '../db/active-members.js';", PIPELINE],
    // Routes: no repository.
    ['server/slate/slate.route.ts', "import { SlateRepository } from './slate.repository.js';", ROUTE],
    ['server/media/favorites.route.ts', "import { MediaRepository } from '../media/media.repository.js';", ROUTE],
    // The library: no serving module, nothing outside server/lib/ but shared/.
    ['server/lib/lru-cache.ts', "import type { Database } from '../db/database.js';", LIBRARY],
    ['server/lib/seeded-random.ts', "import { loadConfig } from '../config/config.js';", LIBRARY],
    ['server/lib/ranker/scorer.ts', "import { featureMismatch } from '../../models/loaded-model.js';", LIBRARY],
    [
      'server/lib/ranker/libsvm.ts',
      "import { sharedFilesPresent } from '../../../test/support/shared-files.js';",
      LIBRARY,
    ],
    // Serving code, a route and a pipeline stage included: no offline tool.
    ['server/slate/slate.service.ts', "import { loadDemoData } from '../offline/demo/demo-data.js';", OFFLINE],
    ['server/main.ts', DEMO_LOADER, OFFLINE],
    ['server/media/media.route.ts', "import { importCatalogue } from '../offline/catalogue/media-import.js';", OFFLINE],
    ['server/postrank/dpp.ts', "import { shuffled } from '../offline/evaluation/retrieval-eval.js';", OFFLINE],
  ])('refuses in %s: %s', async (file, line, reason) => {
    expect((await messages(file, line)).join('\n')).toContain(reason);
  });

  it.each([
    ['server/slate/slate-pipeline.ts', "import { diversityStage } from '../postrank/dpp.js';"],
    ['server/slate/slate-pipeline.ts', "import { distanceKm } from '../lib/great-circle.js';"],
    ['server/slate/slate.service.ts', "import { JobQueue } from '../jobs/job-queue.js';"],
    ['server/slate/slate.route.ts', "import type { SlateService } from './slate.service.js';"],
    // A route may name a row type a repository declares; reaching the data stays the service's job.
    ['server/storage/storage.route.ts', "import type { UploadGrant } from './upload-grants.repository.js';"],
    ['server/lib/lru-cache.ts', "import { LOCALES } from '../../shared/locales.js';"],
    ['server/lib/great-circle.ts', "import { seededRandom } from './seeded-random.js';"],
    ['server/lib/ranker/lambdamart-trainer.ts', "import { seededUniform } from '../seeded-random.js';"],
    ['server/lib/ranker/scorer.ts', "import type { TreeEnsemble } from './tree-model.js';"],
    ['server/lib/ranker/libsvm.ts', "import { GENDERS } from '../../../shared/schemas/attributes.js';"],
    ['server/lib/ranker/train-in-worker.ts', "import { Worker } from 'node:worker_threads';"],
    // The entry point starts the demo loader; offline tools use serving code and each other.
    ['server/app.ts', DEMO_LOADER],
    ['server/offline/demo/demo-data.ts', "import { seedSampleCatalogueIn } from '../catalogue/sample-catalogue.js';"],
    ['server/offline/demo/demo-data.ts', "import type { Database } from '../../db/database.js';"],
  ])('allows in %s: %s', async (file, line) => {
    expect(await messages(file, line)).toEqual([]);
  });
});

describe('the rules stack', () => {
  it('keeps the service construction rule beside the offline rule', async () => {
    const file = 'server/slate/slate.service.ts';
    const code =
      "import { loadDemoData } from '../offline/demo/demo-data.js';\nexport const make = (db: never) => new SlateRepository(db);";
    expect((await messages(file, code)).join('\n')).toContain(OFFLINE);
    expect((await messages(file, code, 'no-restricted-syntax')).join('\n')).toContain('receives its repositories');
  });

  it('the real server/ tree passes', async () => {
    const results = await eslint.lintFiles(['server/**/*.ts']);
    const offending = results.flatMap((result) =>
      result.messages.filter((m) => m.ruleId === RULE).map((m) => `${result.filePath}:${m.line} ${m.message}`),
    );
    expect(results.length).toBeGreaterThan(100);
    expect(offending).toEqual([]);
  });
});
