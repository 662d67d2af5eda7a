/**
 * The one order of text every store's ordered list uses: Unicode code point order. It is what
 * SQLite's BINARY and Postgres's "C" collation give on UTF-8 text, and differs from
 * JavaScript's `<` (UTF-16 code units) only where an astral character (an emoji) meets one
 * from U+E000 to U+FFFF: `<` puts the emoji first, code point order puts it last.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    // A surrogate stands for a code point above U+FFFF, so it outranks any unit from U+E000.
    if (isSurrogate(x) && !isSurrogate(y) && y >= 0xe000) return 1
    if (isSurrogate(y) && !isSurrogate(x) && x >= 0xe000) return -1
    return x < y ? -1 : 1
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff
}
