/**
 * The axe fixture itself: on a page with an unlabelled input and unreadable text it reports
 * serious violations, naming the rule and the element, and it passes a clean page. Without
 * this, a fixture that silently found nothing would make every page test pass.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { expectNoSeriousViolations } from './axe.ts'
import { launchBrowser, openPage, skipBrowser } from './browser.ts'
import { focusStyleAfterTab, hasVisibleFocus } from './page-checks.ts'

const page = (body: string, head = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>${head}</head><body><main><h1>Page</h1>${body}</main></body></html>`

describe.skipIf(skipBrowser)('the axe fixture', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  }, 60_000)
  afterAll(() => browser?.close())

  test('reports an unlabelled input and low-contrast text readably', async () => {
    const { context, page: tab } = await openPage(browser)
    await tab.setContent(page('<input type="text" name="q"><p style="color:#eee;background:#fff">faint</p>'))
    const failure = await expectNoSeriousViolations(tab, 'a bad page').then(
      () => undefined,
      (error: Error) => error.message,
    )
    expect(failure).toContain('[critical] label:')
    expect(failure).toContain('<input type="text" name="q">')
    expect(failure).toContain('[serious] color-contrast:')
    await context.close()
  }, 30_000)

  test('passes a clean page', async () => {
    const { context, page: tab } = await openPage(browser)
    await tab.setContent(page('<label for="q">Search</label><input id="q" type="text"><button>Go</button>'))
    await expectNoSeriousViolations(tab, 'a clean page')
    await context.close()
  }, 30_000)

  test('the focus check tells a removed outline from the default ring', async () => {
    const { context, page: tab } = await openPage(browser)
    await tab.setContent(page('<button id="a">A</button><button id="b" style="outline:none">B</button>'))
    expect(hasVisibleFocus(await focusStyleAfterTab(tab, tab.locator('#a')))).toBe(true)
    expect(hasVisibleFocus(await focusStyleAfterTab(tab, tab.locator('#b')))).toBe(false)
    await context.close()
  }, 30_000)
})
