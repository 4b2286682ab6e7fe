// The console end to end in Chromium (playwright-core + Debian's chromium) against a real headless
// server on PGlite with the demo population: sign in, review a member's slate and an explanation, flag
// a candidate and resolve the flag, promote and roll back a model, swipe and flip a privacy switch in
// the member preview, switch to Spanish — with axe-core on every page and a screenshot of each in the
// folder the run prints.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  killAll,
  makeTempDir,
  nodeArgv,
  REPO_ROOT,
  removeDir,
  startServer,
  type ServerProcess,
} from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';
import { ConsoleApp, MemberPreview, Models, ReviewQueue, SlateReview } from './console-pages.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = path.join(REPO_ROOT, '.e2e', 'screenshots');
const DEMO_MEMBERS = 300;

describe.skipIf(!existsSync(CHROMIUM))('the console in Chromium (needs Debian chromium at /usr/bin/chromium)', () => {
  let dataDir: string;
  let server: ServerProcess;
  let token: string;
  let browser: Browser;
  let app: ConsoleApp;
  const screenshots: Record<string, string> = {};

  async function api<T>(pathname: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(`${server.url}${pathname}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function expectAccessible(page: string): Promise<void> {
    const violations = await app.accessibilityViolations();
    expect(violations, `${page}: ${JSON.stringify(violations)}`).toEqual([]);
    screenshots[page] = await app.screenshot(page);
  }

  beforeAll(async () => {
    dataDir = makeTempDir();
    server = await startServer({
      argv: nodeArgv('scripts/start_cmd.ts'),
      port: await freePort(),
      env: { SDE_DATA_DIR: dataDir, SDE_DEMO_MEMBERS: String(DEMO_MEMBERS) },
      timeoutMs: 120_000,
    });
    // Not a terminal: npm start keeps the token out of its output and names the file that holds it.
    const [, tokenFile] = await server.child.waitForStdout(/TOKEN=\$\(cat '([^']+)'\)/, 10_000);
    token = readFileSync(tokenFile!, 'utf8').trim();
    // The first ranking model trains in the background on a fresh install.
    await waitFor(
      async () => (await api<{ models: unknown[] }>('/api/v2/admin/models?status=live')).models[0],
      120_000,
      'the first live model',
    );
    // A fresh demo builds every taste vector once in the background: wait, so slates stop changing.
    await waitFor(
      async () => {
        const overview = await api<{
          vectors: { count: number };
          jobs: { queues: Array<{ name: string; counts: { completed: number } }> };
        }>('/api/v2/admin/overview');
        const built = overview.jobs.queues.find((queue) => queue.name === 'taste_rebuild')?.counts.completed ?? 0;
        return built > 0 && overview.vectors.count > 0 ? true : undefined;
      },
      120_000,
      'the demo population’s taste vectors',
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // axe-core's Playwright runner needs a page from an explicit context.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    app = new ConsoleApp(page, SCREENSHOTS);
    process.stdout.write(`console screenshots: ${SCREENSHOTS}\n`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await killAll();
    removeDir(dataDir);
    process.stdout.write(`console screenshots written: ${JSON.stringify(screenshots, null, 2)}\n`);
  });

  it('walks every page as an admin', { timeout: 300_000 }, async () => {
    await app.signIn(server.url, token);
    await app.byTestId('overview-members').waitFor();
    await expectAccessible('overview');

    // A demo member whose slate has candidates.
    let viewer = '';
    let candidate = '';
    for (let i = 1; i <= DEMO_MEMBERS && !candidate; i++) {
      viewer = `demo-${String(i).padStart(5, '0')}`;
      const slate = await api<{ slate: Array<{ userId: string }> }>(
        `/api/v2/discovery/slate?limit=10&viewerId=${viewer}`,
      );
      candidate = slate.slate[0]?.userId ?? '';
    }
    expect(candidate).not.toBe('');

    await app.open('slates');
    const slates = new SlateReview(app);
    await slates.find(viewer);
    await expectAccessible('slate-review');
    const reason = await slates.openExplanation(candidate);
    expect(reason.length).toBeGreaterThan(0);
    await expectAccessible('explanation');
    await slates.closeDialog();
    await slates.flag(candidate, 'e2e: please check this candidate');

    const open = await api<{ flags: Array<{ id: number; candidateId: string | null }> }>(
      '/api/v2/review/flags?status=open',
    );
    const flag = open.flags.find((entry) => entry.candidateId === candidate)!;
    expect(flag).toBeDefined();
    await app.open('reviewQueue');
    await expectAccessible('review-queue');
    await new ReviewQueue(app).resolve(flag.id, 'no_action', 'e2e: looked fine');
    const resolved = await api<{ status: string; outcome: string }>(`/api/v2/review/flags/${flag.id}`);
    expect(resolved).toMatchObject({ status: 'resolved', outcome: 'no_action' });

    // A second model to promote: train one on the demo feedback.
    const live = (await api<{ models: Array<{ id: string }> }>('/api/v2/admin/models?status=live')).models[0]!;
    await api('/api/v2/admin/models/train', {
      method: 'POST',
      body: JSON.stringify({ numIterations: 20, note: 'e2e' }),
    });
    const trained = await waitFor(
      async () => (await api<{ models: Array<{ id: string }> }>('/api/v2/admin/models?status=candidate')).models[0],
      120_000,
      'a trained candidate model',
    );
    await app.open('models');
    await app.byTestId('models-list').waitFor();
    await expectAccessible('models');
    const models = new Models(app);
    const promoteText = await models.promote(trained.id);
    expect(promoteText).toContain(trained.id);
    await waitFor(
      async () =>
        (await api<{ models: Array<{ id: string }> }>('/api/v2/admin/models?status=live')).models[0]?.id === trained.id
          ? true
          : undefined,
      10_000,
      'the promoted model to be live',
    );
    const rollbackText = await models.rollBack();
    expect(rollbackText).toContain(trained.id);
    await waitFor(
      async () =>
        (await api<{ models: Array<{ id: string }> }>('/api/v2/admin/models?status=live')).models[0]?.id === live.id
          ? true
          : undefined,
      10_000,
      'the rollback to restore the first model',
    );

    // The learner section: pause, then resume, each through the confirmation; the timeline shows both.
    await app.byTestId('learner-state').waitFor();
    const pauseText = await models.toggleLearner('e2e: pause');
    expect(pauseText).toContain('The learner stops');
    await waitFor(
      async () =>
        (await api<{ state: { paused: boolean } }>('/api/v2/admin/learner')).state.paused ? true : undefined,
      10_000,
      'the learner to be paused',
    );
    await app.page.getByRole('button', { name: 'Resume the learner' }).waitFor();
    expect((await models.learnerTimelineKinds())[0]).toBe('paused');
    const resumeText = await models.toggleLearner('e2e: resume');
    expect(resumeText).toContain('runs again on its schedule');
    await app.page.getByRole('button', { name: 'Pause the learner' }).waitFor();
    expect((await models.learnerTimelineKinds()).slice(0, 2)).toEqual(['resumed', 'paused']);
    expect((await api<{ state: { paused: boolean } }>('/api/v2/admin/learner')).state.paused).toBe(false);
    await expectAccessible('models-learner');

    await app.open('preview');
    const preview = new MemberPreview(app);
    const eventPosts = preview.recordEventPosts();
    // A preview is read-only unless an admin allows writes (npm start's token is an admin's).
    await preview.start(viewer);
    await app.byTestId('preview-read-only').waitFor();
    await app.byTestId('preview-analytics-off').waitFor();
    await preview.viewCurrentCard(1500);
    await preview.start(viewer, { write: true });
    await app.byTestId('preview-writable').waitFor();
    await app.byTestId('preview-analytics-on').waitFor();
    // The read-only preview sent no card analytics, neither while its card was viewed nor when it closed.
    expect(eventPosts).toEqual([]);
    await expectAccessible('member-preview');
    const swiped = await preview.currentCardId();
    expect(swiped).not.toBe('');
    await preview.viewCurrentCard(1500);
    const result = await preview.swipeRightByKeyboard();
    expect(result.length).toBeGreaterThan(0);
    // The first card held the view for over a second (a scroll pause) and left it on the swipe (its dwell
    // time): both are posted within a flush interval, about position 1 of one slate.
    const sent = await waitFor(
      async () => {
        const events = eventPosts.flatMap((post) => post.events);
        const first = events.filter((event) => event.position === 1).map((event) => event.type);
        return first.includes('scroll_pause') && first.includes('dwell_time') ? events : undefined;
      },
      15_000,
      'the first card’s scroll pause and dwell time to be posted',
    );
    const slateId = sent[0]!.slateId;
    expect(slateId).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      sent.every((event) => event.slateId === slateId && ['scroll_pause', 'dwell_time'].includes(event.type)),
    ).toBe(true);
    // They landed as the member's events about the swiped member (the member's own export lists them).
    const readOnly = await api<{ token: string }>('/api/v2/admin/preview-tokens', {
      method: 'POST',
      body: JSON.stringify({ memberId: viewer }),
    });
    const exported = await api<{
      scrollEvents: Array<{ targetId: string; kind: string; slateId: string | null; position: number | null }>;
    }>('/api/v2/users/me/export', { headers: { authorization: `Bearer ${readOnly.token}` } });
    const landed = exported.scrollEvents.filter((event) => event.slateId === slateId && event.position === 1);
    expect(new Set(landed.map((event) => event.kind))).toEqual(new Set(['scroll_pause', 'dwell']));
    expect(landed.every((event) => event.targetId === swiped)).toBe(true);
    // The like was posted as the member: the liked member leaves their candidates (the card moves on
    // as soon as the swipe is made, so wait for the write to land).
    await waitFor(
      async () => {
        const after = await api<Array<{ userId: string }>>(`/api/v2/discovery/candidates?k=500&viewerId=${viewer}`);
        return after.some((entry) => entry.userId === swiped) ? undefined : true;
      },
      15_000,
      `${swiped} to leave ${viewer}'s candidates after the like`,
    );

    // Privacy, by keyboard: the member withholds their interests, the panel lists what that set in
    // motion, and they share them again (the later steps see the member as they were).
    const effects = await preview.togglePrivacyByKeyboard('interests');
    expect(effects).toContain('Interests is now Off');
    await preview.togglePrivacyByKeyboard('interests');

    await app.byTestId('language').selectOption('es');
    await expect.poll(async () => app.byTestId('nav-overview').textContent()).toBe('Resumen');
    await app.open('overview');
    await expectAccessible('overview-es');
  });
});
