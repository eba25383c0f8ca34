/** Saves a data: URL as a file (Electron shows its Save dialog; a browser downloads it). */
export function downloadDataUrl(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
}
