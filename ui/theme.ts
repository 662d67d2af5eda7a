/**
 * The one stylesheet every page inlines (no asset route, no external fonts). Colours, radii and
 * the font are custom properties (`themeVariables`) so a theme restyles by overriding them; both schemes meet WCAG AA
 * (text 4.5:1, controls and focus rings 3:1 against their background).
 *
 * hono/jsx escapes the text of a <style> element, so this sheet must not contain
 * quotes, `<`, `>` or `&`: unquoted font names, no child combinators.
 */
export const themeCss = `
:root{
  color-scheme:light dark;
  --bg:#f1f3f6;--card:#fff;--text:#111827;--muted:#4b5563;--border:#e2e5ea;--control:#6b7280;
  --field:#fff;--subtle:#f6f7f9;--primary:#1d4ed8;--primary-hover:#1e40af;--on-primary:#fff;
  --link:#1d4ed8;--focus:#2563eb;--warn:#b45309;
  --alert-bg:#fef2f2;--alert-border:#f3a5a5;--alert-text:#991b1b;
  --shadow:0 1px 2px rgb(16 24 40/.06),0 12px 32px rgb(16 24 40/.08);
  --radius:8px;--card-radius:14px;
  --font:system-ui,-apple-system,Segoe UI,Roboto,Helvetica Neue,Arial,Noto Sans,sans-serif;
}
@media (prefers-color-scheme:dark){:root{
  --bg:#0b1020;--card:#151b2b;--text:#eef1f6;--muted:#a6afbf;--border:#2a3346;--control:#7d889b;
  --field:#0f1524;--subtle:#1b2335;--primary:#2563eb;--primary-hover:#1d4ed8;--on-primary:#fff;
  --link:#93c5fd;--focus:#93c5fd;--warn:#fbbf24;
  --alert-bg:#2a1217;--alert-border:#7f1d1d;--alert-text:#fecaca;
  --shadow:0 1px 2px rgb(0 0 0/.4),0 12px 32px rgb(0 0 0/.35);
}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{
  margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;
  padding:3rem 1rem 2rem;background:var(--bg);color:var(--text);
  font:1rem/1.5 var(--font);
}
.brand{display:flex;align-items:center;gap:.5rem;margin:0 0 1.5rem;font-size:1.25rem;font-weight:700;letter-spacing:-.01em}
.brand-logo{display:block;height:2.25rem;width:auto;max-width:14rem}
.brand-mark{display:inline-grid;place-items:center;width:2rem;height:2rem;border-radius:.5rem;background:var(--primary);color:var(--on-primary);font-size:1.0625rem}
main{width:100%;max-width:26rem;padding:2rem;background:var(--card);border:1px solid var(--border);border-radius:var(--card-radius);box-shadow:var(--shadow)}
main.wide{max-width:32rem}
footer{margin-top:1.5rem;max-width:32rem;color:var(--muted);font-size:.875rem;text-align:center}
h1{margin:0 0 .5rem;font-size:1.5rem;line-height:1.3;letter-spacing:-.015em;overflow-wrap:anywhere}
p{margin:0 0 1rem}
a{color:var(--link);text-underline-offset:2px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875em;overflow-wrap:anywhere}
.lead{color:var(--muted);margin-bottom:1.5rem;overflow-wrap:anywhere}
.muted{color:var(--muted);font-size:.9375rem}
.code-input{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:1.375rem;letter-spacing:.15em;text-transform:uppercase;text-align:center}
.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.1em;white-space:nowrap}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.field{margin-bottom:1.25rem}
label{display:block;margin-bottom:.375rem;font-weight:600}
.input{
  display:block;width:100%;min-height:2.875rem;padding:.625rem .75rem;font:inherit;color:var(--text);
  background:var(--field);border:1px solid var(--control);border-radius:var(--radius);
}
.input:focus{outline:3px solid var(--focus);outline-offset:1px;border-color:var(--focus)}
.input[aria-invalid=true]{border-color:var(--alert-text)}
.alert{margin:0 0 1.25rem;padding:.75rem 1rem;border:1px solid var(--alert-border);border-radius:var(--radius);background:var(--alert-bg);color:var(--alert-text);overflow-wrap:anywhere}
.alert-info{border-color:var(--border);background:var(--subtle);color:var(--text)}
.button{
  display:inline-flex;align-items:center;justify-content:center;width:100%;min-height:2.875rem;
  padding:.625rem 1.25rem;font:inherit;font-weight:600;border:1px solid transparent;border-radius:var(--radius);cursor:pointer;
}
.button-primary{background:var(--primary);color:var(--on-primary)}
.button-primary:hover{background:var(--primary-hover)}
.button-secondary{background:var(--card);color:var(--text);border-color:var(--control)}
.button-secondary:hover{background:var(--subtle)}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}
.actions .button{flex:1 1 8rem;width:auto}
.client{display:flex;align-items:center;gap:.875rem;margin-bottom:1.5rem}
.client-logo,.client-initial{flex:none;width:3rem;height:3rem;border-radius:10px;border:1px solid var(--border);background:var(--subtle)}
.client-logo{object-fit:contain}
.client-initial{display:grid;place-items:center;font-size:1.25rem;font-weight:700;color:var(--primary)}
.client-text{min-width:0}
.client-text h1{margin:0;font-size:1.25rem}
.client-text p{margin:0;font-size:.875rem;overflow-wrap:anywhere}
fieldset{min-width:0;margin:0 0 1.25rem;padding:0;border:0}
legend{margin-bottom:.5rem;padding:0;font-size:.8125rem;font-weight:700;letter-spacing:.05em;text-transform:uppercase;color:var(--muted)}
.scopes{margin:0;padding:0;list-style:none;border:1px solid var(--border);border-radius:10px}
.scope + .scope{border-top:1px solid var(--border)}
.scope label{display:flex;gap:.75rem;align-items:flex-start;min-height:2.875rem;margin:0;padding:.75rem .875rem;font-weight:400;cursor:pointer}
.scope input{flex:none;width:1.25rem;height:1.25rem;margin:.125rem 0 0;accent-color:var(--primary)}
.scope input:disabled{cursor:default}
.scope-emphasize{box-shadow:inset 3px 0 0 var(--warn)}
.scope-name{display:block;font-weight:600;overflow-wrap:anywhere}
.scope-desc{display:block;color:var(--muted);font-size:.875rem;overflow-wrap:anywhere}
.badge{display:inline-block;margin-left:.375rem;padding:0 .5rem;border:1px solid var(--border);border-radius:999px;background:var(--subtle);color:var(--muted);font-size:.75rem;font-weight:600;vertical-align:1px}
.check{display:flex;gap:.625rem;align-items:center;min-height:2.875rem;margin:0;font-weight:400;cursor:pointer}
.check input{width:1.25rem;height:1.25rem;margin:0;accent-color:var(--primary)}
.center{text-align:center}
.spinner{width:2.25rem;height:2.25rem;margin:0 auto 1.25rem;border:3px solid var(--border);border-top-color:var(--primary);border-radius:50%;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(1turn)}}
@media (prefers-reduced-motion:reduce){.spinner{animation:none}}
.error-mark{display:grid;place-items:center;width:3rem;height:3rem;margin-bottom:1rem;border-radius:50%;background:var(--alert-bg);border:1px solid var(--alert-border);color:var(--alert-text);font-size:1.5rem;font-weight:700}
.details{margin:1.5rem 0 0;padding:.75rem 1rem;border-radius:var(--radius);background:var(--subtle);color:var(--muted);font-size:.875rem}
.details div{display:grid;grid-template-columns:6rem minmax(0,1fr);gap:.5rem;padding:.125rem 0}
.details dt{font-weight:600}
.details dd{margin:0}
@media (max-width:480px){
  body{padding:1.25rem .75rem}
  .brand{margin-bottom:1rem}
  main{padding:1.5rem 1.25rem}
  .client{align-items:flex-start;gap:.75rem}
  .client-logo,.client-initial{width:2.5rem;height:2.5rem;border-radius:8px}
  .client-text h1{font-size:1.125rem}
  .details div{grid-template-columns:minmax(0,1fr);gap:0;padding:.25rem 0}
}
`

/** The custom properties a theme may set (`ui.theme.colors`), without their `--`. */
export const themeVariables = [
  'bg',
  'card',
  'text',
  'muted',
  'border',
  'control',
  'field',
  'subtle',
  'primary',
  'primary-hover',
  'on-primary',
  'link',
  'focus',
  'warn',
  'alert-bg',
  'alert-border',
  'alert-text',
  'shadow',
  'radius',
  'card-radius',
  'font',
] as const

export type ThemeVariable = (typeof themeVariables)[number]
