// Page objects for the console's end-to-end tests: each page found by its test ids, so the tests read
// as what a reviewer or an ML engineer does, and markup can change without touching them.
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

export class ConsoleApp {
  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {
    mkdirSync(screenshotDir, { recursive: true });
  }

  byTestId(id: string) {
    return this.page.getByTestId(id);
  }

  async signIn(baseUrl: string, token: string): Promise<void> {
    await this.page.goto(`${baseUrl}/console/`);
    await this.byTestId('token').fill(token);
    await this.byTestId('sign-in').click();
    await this.byTestId('nav-overview').waitFor();
  }

  async open(nav: 'overview' | 'slates' | 'reviewQueue' | 'models' | 'preview'): Promise<void> {
    await this.byTestId(`nav-${nav}`).click();
  }

  /** axe-core's WCAG 2.1 A/AA rules on the current page; returns the violations (the tests expect none). */
  async accessibilityViolations(): Promise<Array<{ id: string; help: string; nodes: number }>> {
    const results = await new AxeBuilder({ page: this.page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    return results.violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      nodes: violation.nodes.length,
    }));
  }

  async screenshot(name: string): Promise<string> {
    const file = path.join(this.screenshotDir, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }
}

export class SlateReview {
  constructor(private readonly app: ConsoleApp) {}

  async find(memberId: string): Promise<void> {
    await this.app.byTestId('member-search').fill(memberId);
    await this.app.byTestId('member-search-submit').click();
    await this.app.byTestId('trace-table').waitFor();
  }

  async openExplanation(candidateId: string): Promise<string> {
    await this.app.byTestId(`why-${candidateId}`).click();
    const dialog = this.app.byTestId('explanation-dialog');
    await dialog.waitFor();
    return (await this.app.byTestId('explanation-reason').textContent()) ?? '';
  }

  async closeDialog(): Promise<void> {
    await this.app.page.keyboard.press('Escape');
  }

  async flag(candidateId: string, note: string): Promise<void> {
    await this.app.byTestId(`flag-${candidateId}`).click();
    await this.app.byTestId('flag-note').fill(note);
    await this.app.byTestId('flag-submit').click();
    await this.app.byTestId('flag-confirmation').waitFor();
  }
}

export class ReviewQueue {
  constructor(private readonly app: ConsoleApp) {}

  async resolve(flagId: number, outcome: string, note: string): Promise<void> {
    await this.app.byTestId(`queue-row-${flagId}`).waitFor();
    await this.app.byTestId(`resolve-${flagId}`).click();
    await this.app.byTestId('resolve-outcome').selectOption(outcome);
    await this.app.byTestId('resolve-note').fill(note);
    await this.app.byTestId('resolve-submit').click();
    await this.app.byTestId(`queue-row-${flagId}`).waitFor({ state: 'detached' });
  }
}

export class Models {
  constructor(private readonly app: ConsoleApp) {}

  async promote(modelId: string): Promise<string> {
    await this.app.byTestId(`promote-${modelId}`).click();
    const dialog = this.app.byTestId('confirm-dialog');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    await this.app.byTestId('confirm-button').click();
    await dialog.waitFor({ state: 'detached' });
    return text;
  }

  async rollBack(): Promise<string> {
    await this.app.byTestId('rollback').click();
    const dialog = this.app.byTestId('confirm-dialog');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    await this.app.byTestId('confirm-button').click();
    await dialog.waitFor({ state: 'detached' });
    return text;
  }

  /** Pause or resume the online learner through its confirmation; returns what the dialog said. */
  async toggleLearner(note: string): Promise<string> {
    await this.app.byTestId('learner-toggle').click();
    const dialog = this.app.byTestId('confirm-dialog');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    await this.app.byTestId('confirm-note').fill(note);
    await this.app.byTestId('confirm-button').click();
    await dialog.waitFor({ state: 'detached' });
    return text;
  }

  /** The kinds of the learner's decisions on the timeline, newest first. */
  async learnerTimelineKinds(): Promise<string[]> {
    const entries = this.app.byTestId('learner-timeline').locator('li');
    return entries.evaluateAll((items) => items.map((item) => item.getAttribute('data-kind') ?? ''));
  }
}

export class MemberPreview {
  constructor(private readonly app: ConsoleApp) {}

  /** Previews are read-only unless an admin ticks "allow writes" (`write`). */
  async start(memberId: string, options: { write?: boolean } = {}): Promise<void> {
    await this.app.byTestId('preview-member').fill(memberId);
    if (options.write) await this.app.byTestId('preview-write').check();
    await this.app.byTestId('preview-start').click();
    await this.app.byTestId('card-stack').waitFor();
  }

  /**
   * Flips a privacy switch with the keyboard (Space, as a keyboard user would) and returns what the
   * panel lists as the change's effects once the server has answered.
   */
  async togglePrivacyByKeyboard(group: 'interests' | 'behavioural' | 'connectors' | 'favorites'): Promise<string> {
    const toggle = this.app.byTestId(`privacy-toggle-${group}`);
    const before = await toggle.isChecked();
    await toggle.focus();
    await this.app.page.keyboard.press('Space');
    await expectChecked(toggle, !before);
    return (await this.app.byTestId('privacy-effects').textContent()) ?? '';
  }

  /** Every POST /api/v2/events the page sends from now on: the card analytics batches, as sent. */
  recordEventPosts(): Array<{ events: Array<{ type: string; slateId: string; position: number }> }> {
    const posts: Array<{ events: Array<{ type: string; slateId: string; position: number }> }> = [];
    this.app.page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v2/events') {
        posts.push(request.postDataJSON() as (typeof posts)[number]);
      }
    });
    return posts;
  }

  /** Scrolls the card on top into view and keeps it there for `ms` (a second makes a scroll pause). */
  async viewCurrentCard(ms: number): Promise<void> {
    await this.app.page.locator('.discovery-card').first().scrollIntoViewIfNeeded();
    await this.app.page.waitForTimeout(ms);
  }

  /** The member on the card on top of the stack. */
  async currentCardId(): Promise<string> {
    const card = this.app.page.locator('[data-testid^="card-"]:not([data-testid="card-stack"])').first();
    return ((await card.getAttribute('data-testid')) ?? '').replace(/^card-/, '');
  }

  /** Swipes right on the current card with the keyboard and returns the announcement of its result. */
  async swipeRightByKeyboard(): Promise<string> {
    const result = this.app.byTestId('swipe-result');
    // The live region already announces the current card: wait for it to announce the swipe instead.
    const before = (await result.textContent()) ?? '';
    await this.app.byTestId('card-stack').focus();
    await this.app.page.keyboard.press('ArrowRight');
    for (let attempt = 0; attempt < 100; attempt++) {
      const now = (await result.textContent()) ?? '';
      if (now !== before) return now;
      await this.app.page.waitForTimeout(100);
    }
    throw new Error(`the swipe was never announced (still "${before}")`);
  }
}

/** Waits (up to 10 s) for a switch to show the state the server confirmed. */
async function expectChecked(toggle: ReturnType<Page['getByTestId']>, checked: boolean): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await toggle.isChecked()) === checked) return;
    await toggle.page().waitForTimeout(100);
  }
  throw new Error(`the privacy switch never became ${checked ? 'on' : 'off'}`);
}
