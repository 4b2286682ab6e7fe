// canonicalise's accuracy on the real MovieLens catalogue (../shared/data), on a 300-title sample typed
// the ways people do: the same evaluation as `npm run eval:canonicalise`, smaller.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCanonicalisation, PERTURBATIONS } from '../../server/offline/evaluation/canonicalise-eval.js';
import { databaseKinds, migratedScratchDatabase } from '../support/databases.js';
import { sharedFilesPresent } from '../support/shared-files.js';

const MOVIELENS = path.resolve('../shared/data/movielens-small-2015');
const present = sharedFilesPresent([path.join(MOVIELENS, 'movies.csv'), path.join(MOVIELENS, 'links.csv')]);

describe.skipIf(!present)(
  'canonicalise accuracy on MovieLens (skipped: ../shared/data/movielens-small-2015 absent)',
  () => {
    describe.each(databaseKinds)('[%s]', (kind) => {
      const scratch = migratedScratchDatabase(kind);

      it('finds the right IMDb id first for at least 95 % of 300 typed titles', async () => {
        const report = await evaluateCanonicalisation(scratch.db, { dataDir: MOVIELENS, sample: 300 });
        expect(report.imported.rejected).toEqual([]);
        expect(report.titles).toBe(300);
        for (const perturbation of PERTURBATIONS) expect(report.byPerturbation[perturbation].total).toBeGreaterThan(0);
        expect(report.overall.accuracy).toBeGreaterThanOrEqual(0.95);
      }, 300_000);
    });
  },
);
