const COLORS = [36, 33, 35, 32, 34, 91, 96, 93, 95]
const LEVEL_COLORS: Record<string, number> = { warn: 33, error: 31, fatal: 31 }

/**
 * One readable line per log line: `12:01:02 product-catalog  info  GET /api/products 200 3.1ms`.
 * JSON lines are condensed; anything else is printed as it came.
 */
export function formatLine(app: string, index: number, width: number, line: string, color: boolean): string {
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text)
  const label = paint(COLORS[index % COLORS.length]!, app.padEnd(width))
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return `${' '.repeat(8)} ${label} ${line}`
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : ' '.repeat(8)
  const level = String(entry.level ?? 'info')
  const request =
    entry.method && entry.url
      ? ` ${entry.method} ${entry.url} ${entry.statusCode ?? ''} ${entry.responseTimeMs ?? ''}ms`
      : ''
  const error =
    entry.err && typeof entry.err === 'object' ? ` (${(entry.err as { message?: string }).message})` : ''
  return `${time} ${label} ${paint(LEVEL_COLORS[level] ?? 90, level.padEnd(5))} ${String(entry.msg ?? '')}${request}${error}`
}
