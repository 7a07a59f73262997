/** Hands a file to the browser as a download named `name`. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  // The click has started the download by now; the URL is not needed after.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A file name from a title: what file systems refuse becomes "_". */
export function fileName(title: string, extension: string): string {
  const clean = title.replace(/[\\/:*?"<>|]/g, '_').trim() || 'export'
  return `${clean}.${extension}`
}

/** A run's param values as short texts for a file name: a period as from..to; empty ones left out. */
export function paramNames(params: Readonly<Record<string, unknown>>): string[] {
  return Object.values(params).flatMap((value) => {
    if (value === null || value === undefined || value === '') return []
    if (typeof value === 'object' && 'from' in value && 'to' in value) return [`${String(value.from)}..${String(value.to)}`]
    return typeof value === 'object' ? [] : [String(value)]
  })
}
