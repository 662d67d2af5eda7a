/**
 * The browser for a test file: one Chromium per file (launching is the slow part), a fresh
 * context per test. Skipped only when /usr/bin/chromium is absent and PORTICO_REQUIRE_SERVICES
 * is unset; CI sets it (and `.ci/run` installs chromium), so there a missing browser fails.
 */
import { existsSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { chromiumPath, launchChromium } from '../../ui/fixtures/chromium.ts'

const installed = existsSync(chromiumPath)
const required = Boolean(process.env.PORTICO_REQUIRE_SERVICES)

/** True when the file's tests must be skipped (no browser, and none required). */
export const skipBrowser = !installed && !required
if (skipBrowser) {
  console.warn(`browser tests skipped: ${chromiumPath} is not installed (apt-get install chromium)`)
}

export function launchBrowser(): Promise<Browser> {
  if (!installed) {
    throw new Error(
      `${chromiumPath} is missing and PORTICO_REQUIRE_SERVICES is set: apt-get install chromium`,
    )
  }
  return launchChromium()
}

/** A page whose script errors and CSP reports are collected, to assert none happened. */
export interface WatchedPage {
  context: BrowserContext
  page: Page
  problems: string[]
}

export async function openPage(
  browser: Browser,
  options: { locale?: string; extraHTTPHeaders?: Record<string, string> } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })
  // Generous for a loaded 2-core machine: a page of Portico's should still answer in time.
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => {
    // Chromium logs a 4xx document (a refused login, an error page) as a failed load: expected.
    // So does a relying party page without an icon (its /favicon.ico): not Portico's doing.
    if (message.location().url.endsWith('/favicon.ico')) return
    const own = message.location().url === page.url()
    if (own && message.text().startsWith('Failed to load resource: the server responded')) return
    if (message.type() === 'error' || message.text().includes('Content Security Policy'))
      problems.push(`${message.location().url}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(error.message))
  return { context, page, problems }
}
