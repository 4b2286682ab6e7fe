// The accessibility check of the console's component tests: axe over the rendered page, each violation
// as "rule: the elements it found", so a failing test names what to fix. Contrast is left to the
// browser e2e tests (jsdom computes no styles).
import axe from 'axe-core';

export async function axeViolations(): Promise<string[]> {
  const results = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return results.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}
