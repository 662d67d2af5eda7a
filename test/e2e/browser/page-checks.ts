/**
 * What every page test asks of a Portico page, at a desktop and the narrowest phone width
 * (WCAG 2.1 SC 1.4.10 Reflow: 320 CSS px without scrolling in two dimensions): no serious axe
 * violation, no horizontal scroll, and a PNG of each width in test-artifacts/screenshots/ for
 * review (`.ci/run` prints the folder).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { expectNoSeriousViolations } from './axe.ts'

export const artifacts = join(import.meta.dir, '../../../test-artifacts/screenshots')
export const widths = [
  { width: 1280, height: 800 },
  { width: 320, height: 640 },
] as const

/**
 * Checks the page at 1280 and 320 px and saves `<name>-<width>.png`; leaves the viewport at
 * 1280 px. Throws with the axe findings or the overflowing width.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true })
  for (const size of widths) {
    await page.setViewportSize(size)
    await expectNoSeriousViolations(page, `${name} at ${size.width} px`)
    const scrollWidth = await page.evaluate<number>('document.scrollingElement.scrollWidth')
    if (scrollWidth > size.width) {
      throw new Error(`${name} at ${size.width} px scrolls sideways: ${scrollWidth} px of content`)
    }
    await page.screenshot({ path: join(artifacts, `${name}-${size.width}.png`), fullPage: true })
  }
  await page.setViewportSize(widths[0])
}

/** The computed focus indicator of the focused element: outline and box shadow. */
interface FocusStyle {
  focusVisible: boolean
  outline: string
  outlineWidth: number
  boxShadow: string
}

/**
 * Presses Tab (from the top of the page, as a keyboard user arrives) until `target` has focus,
 * then reads its computed indicator under :focus-visible (WCAG 2.4.7 Focus Visible).
 */
export async function focusStyleAfterTab(page: Page, target: Locator): Promise<FocusStyle> {
  await page.evaluate('document.activeElement && document.activeElement.blur()')
  for (let presses = 0; presses < 20; presses++) {
    await page.keyboard.press('Tab')
    if (await target.evaluate((element) => element === element.ownerDocument.activeElement)) {
      return target.evaluate((element) => {
        const style = element.ownerDocument.defaultView!.getComputedStyle(element)
        return {
          focusVisible: element.matches(':focus-visible'),
          outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
          outlineWidth: Number.parseFloat(style.outlineWidth),
          boxShadow: style.boxShadow,
        }
      })
    }
  }
  throw new Error(`Tab never reached ${target}`)
}

/** A visible ring: a real outline, or a box shadow, drawn while the element is :focus-visible. */
export function hasVisibleFocus(style: FocusStyle): boolean {
  const outline = !style.outline.startsWith('none') && style.outlineWidth >= 1
  return style.focusVisible && (outline || style.boxShadow !== 'none')
}
