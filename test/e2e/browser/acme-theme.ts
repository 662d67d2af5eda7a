/**
 * The team theme the browser tests and the docs' screenshots show (`ui.theme`, docs/theming.md):
 * a product name, a logo and a stylesheet on the team's CDN, and its colours through the pages'
 * CSS variables. The CDN is answered in the browser itself: tests reach no network.
 */
import type { Page } from 'playwright-core'

export const brandOrigin = 'https://brand.acme.example'

export const acmeTheme = {
  productName: 'Acme ID',
  logoUrl: `${brandOrigin}/logo.svg`,
  colors: {
    primary: '#0f766e',
    'primary-hover': '#115e59',
    focus: '#0d9488',
    link: '#0f766e',
    bg: '#eef5f4',
    radius: '6px',
    'card-radius': '12px',
  },
  stylesheetUrl: `${brandOrigin}/portico.css`,
}

/** A mark and the product name, as a team's logo file would draw them. */
export const acmeLogoSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 136 36"><rect width="36" height="36" rx="8" fill="#0f766e"/><path d="M10 27 18 9l8 18h-4l-4-9-4 9z" fill="#fff"/><text x="44" y="25" font-family="sans-serif" font-size="18" font-weight="700" fill="#134e4a">Acme ID</text></svg>'

/** The team's own sheet: a heavier heading, so a test can see it loaded after the built-in one. */
export const acmeCss = 'h1{font-weight:800}'

/** Answers the brand's CDN (logo and stylesheet) inside `page`. */
export async function serveBrand(page: Page): Promise<void> {
  await page.route(`${brandOrigin}/**`, (route) =>
    route.request().url().endsWith('.css')
      ? route.fulfill({ contentType: 'text/css', body: acmeCss })
      : route.fulfill({ contentType: 'image/svg+xml', body: acmeLogoSvg }),
  )
}
