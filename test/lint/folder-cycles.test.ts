// The folders of server/ form a one-way graph: if media imports taste, nothing in taste reaches back
// into media, directly or through other folders. A cycle means neither folder can be read, tested or
// moved without the other. Reads every non-test server file's relative imports (a regex on `from '…'`,
// enough for this codebase's static ES imports), builds the folder graph and fails with the cycle found.
//
// Type-only imports (`import type`, `export type`) are left out: they vanish when compiled and carry no
// load order, and the contracts modules share by type (module-context.ts, the composition root's service
// types) would otherwise tie every module to every other on paper. Tests are left out because a test may
// reach across folders to set up what it checks.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = path.resolve('server');
/** Files directly in server/ (app.ts, main.ts, module-context.ts) form one node. */
const ROOT_NODE = '(server root)';

function serverSourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverSourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The top folder under server/ a file belongs to (server/lib/ranker/x.ts → lib). */
function folderOf(file: string): string {
  const parts = path.relative(SERVER, file).split(path.sep);
  return parts.length > 1 ? parts[0]! : ROOT_NODE;
}

/** Relative specifiers of the value imports and re-exports in a source text. */
function valueImportSpecifiers(source: string): string[] {
  const statement = /^\s*(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/gm;
  return [...source.matchAll(statement)].filter((match) => !match[1]).map((match) => match[2]!);
}

function folderGraph(): Map<string, Map<string, string>> {
  // folder → (imported folder → one example "file => specifier", for the failure message)
  const graph = new Map<string, Map<string, string>>();
  for (const file of serverSourceFiles(SERVER)) {
    const from = folderOf(file);
    for (const specifier of valueImportSpecifiers(readFileSync(file, 'utf8'))) {
      const target = path.resolve(path.dirname(file), specifier);
      if (!target.startsWith(SERVER + path.sep)) continue;
      const to = folderOf(target);
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${path.relative(SERVER, file)} => ${specifier}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** One cycle as its edges' examples, or null; depth-first search with the path on a stack. */
function findCycle(graph: Map<string, Map<string, string>>): string[] | null {
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    const onStack = stack.indexOf(node);
    if (onStack >= 0) {
      const loop = [...stack.slice(onStack), node];
      return loop.slice(1).map((to, i) => `${loop[i]} -> ${to}  (${graph.get(loop[i]!)!.get(to)})`);
    }
    if (done.has(node)) return null;
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('server/ folder graph', () => {
  it('reads value imports and re-exports, not type-only ones', () => {
    expect(
      valueImportSpecifiers(
        [
          "import { a } from '../media/a.js';",
          "import type { B } from '../taste/b.js';",
          'import {\n  c,\n  type D,\n} from "../x.js";',
          "import {\n  e,\n} from './e.js';",
          "export { f } from '../profiles/f.js';",
          "export type { G } from '../privacy/g.js';",
          "import { h } from 'fastify';",
        ].join('\n'),
      ),
    ).toEqual(['../media/a.js', '../x.js', './e.js', '../profiles/f.js']);
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['media', new Map([['taste', 'media/a.ts => ../taste/b.js']])],
      ['taste', new Map([['profiles', 'taste/b.ts => ../profiles/c.js']])],
      ['profiles', new Map([['media', 'profiles/c.ts => ../media/a.js']])],
    ]);
    expect(findCycle(graph)).toEqual([
      'media -> taste  (media/a.ts => ../taste/b.js)',
      'taste -> profiles  (taste/b.ts => ../profiles/c.js)',
      'profiles -> media  (profiles/c.ts => ../media/a.js)',
    ]);
  });

  it('has no cycle among the folders of server/', () => {
    const graph = folderGraph();
    // The graph is real: the folders that used to close the media ↔ taste ↔ profiles cycle are in it.
    expect(graph.get('media')?.has('taste')).toBe(true);
    expect(graph.get('profiles')?.has('taste')).toBe(true);
    const cycle = findCycle(graph);
    expect(cycle, `folder cycle:\n${cycle?.join('\n')}`).toBeNull();
  });
});
