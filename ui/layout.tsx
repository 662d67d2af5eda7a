/** @jsxImportSource hono/jsx */
/**
 * The frame every server-rendered page shares. Pages work without JavaScript; the inline
 * style keeps them readable without any asset route.
 */
import type { Child } from 'hono/jsx'

export interface LayoutProps {
  title: string
  children?: Child
}

const css = `
body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:28rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}
.muted{color:#5b6475;font-size:.9rem}
`

export function Layout({ title, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · Portico`}</title>
        <style>{css}</style>
      </head>
      <body>
        <main>{children}</main>
      </body>
    </html>
  )
}
