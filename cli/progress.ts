/**
 * One status line on the terminal for long operator work. On a TTY the line is redrawn in place; in a log
 * (CI, kubectl logs) it is printed at most every few seconds so the output stays readable.
 */
export class Progress {
  private lastPrinted = 0;
  private lastText = '';
  private readonly tty: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 5000,
  ) {
    this.tty = out.isTTY;
  }

  update(text: string): void {
    if (text === this.lastText) return;
    this.lastText = text;
    const now = Date.now();
    if (this.tty) {
      const width = this.out.columns > 0 ? this.out.columns - 1 : 100;
      this.out.write(`\r${text.slice(0, width).padEnd(Math.min(width, this.lastWidth))}`);
      this.lastWidth = Math.min(width, text.length);
    } else if (now - this.lastPrinted >= this.intervalMs) {
      this.out.write(`${text}\n`);
      this.lastPrinted = now;
    }
  }

  done(text: string): void {
    if (this.tty) this.out.write(`\r${' '.repeat(this.lastWidth)}\r`);
    this.out.write(`${text}\n`);
    this.lastText = '';
    this.lastWidth = 0;
    this.lastPrinted = 0;
  }

  private lastWidth = 0;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
