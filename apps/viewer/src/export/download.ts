/** Hands a file to the browser's download (the investigator's Downloads folder). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by now; the URL can go once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `chaintrail-demo-20260125-131500.graphml`: case and local time, safe on every file system. */
export function exportFileName(caseName: string, extension: string, now = new Date()): string {
  const safe = caseName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'case';
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `chaintrail-${safe}-${stamp}.${extension}`;
}
