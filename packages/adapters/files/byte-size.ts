const KB = 1024;
const MB = 1024 * KB;

/** Sizes in messages and limits: `256 kB`, `50 MB`, `1.5 MB` (1 kB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < KB) return `${bytes} bytes`;
  if (bytes < MB) return `${+(bytes / KB).toFixed(1)} kB`;
  return `${+(bytes / MB).toFixed(1)} MB`;
}

export const kilobytes = (n: number): number => n * KB;
export const megabytes = (n: number): number => n * MB;
