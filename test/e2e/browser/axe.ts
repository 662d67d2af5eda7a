/**
 * axe-core in a real page: the checker's source is evaluated through the DevTools protocol, so
 * Portico's pages keep their own CSP (a nonce-only script-src forbids an injected <script>, and
 * `bypassCSP` would hide the violations the tests look for). A `serious` or `critical` finding
 * fails the test (issue 16 item 5); `minor` and `moderate` ones are left to review.
 */
import axe from 'axe-core'
import type { Page } from 'playwright-core'

export type AxeViolation = axe.Result

const blocking: readonly axe.ImpactValue[] = ['serious', 'critical']

/** Every rule axe runs by default (WCAG 2.x A/AA and best practices); violations only. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"')
  if (!loaded) await page.evaluate(axe.source)
  // preload false: axe would otherwise fetch a theme's cross-origin stylesheet itself, which the
  // page's CSP (connect-src) rightly refuses; only css-orientation-lock reads those sheets.
  const results = await page.evaluate<axe.AxeResults>(
    'window.axe.run(document, { resultTypes: ["violations"], preload: false })',
  )
  return results.violations
}

/** One paragraph per violation: impact, rule, what it asks, then each offending element. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map(
        (node) =>
          `  at ${node.target.join(' ')}: ${node.html}\n` +
          `    ${(node.failureSummary ?? '').replaceAll('\n', '\n    ')}`,
      )
      return [
        `[${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})`,
        ...nodes,
      ].join('\n')
    })
    .join('\n')
}

/** Throws, listing them readably, when axe finds a serious or critical violation on the page. */
export async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page)
  const serious = violations.filter((violation) => blocking.includes(violation.impact ?? null))
  if (serious.length > 0) {
    throw new Error(
      `axe: ${label} (${page.url()}) has ${serious.length} serious or critical violation(s)\n${describeViolations(serious)}`,
    )
  }
}
