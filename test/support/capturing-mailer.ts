import type { Email, Mailer } from '../../lib/accounts/mailer.js';

/** A mailer that keeps what it sends, so a test reads its links as the recipient would. */
export class CapturingMailer implements Mailer {
  readonly sent: Email[] = [];
  private waiters: { to: string; after: number; resolve: (e: Email) => void }[] = [];

  send(email: Email): Promise<void> {
    this.sent.push(email);
    const index = this.sent.length - 1;
    this.waiters = this.waiters.filter((w) => {
      if (w.to.toLowerCase() !== email.to.toLowerCase() || index < w.after) return true;
      w.resolve(email);
      return false;
    });
    return Promise.resolve();
  }

  /** The first email to `to` sent at or after position `after` in `sent` (default: any). */
  next(to: string, after = 0, timeoutMs = 10_000): Promise<Email> {
    const found = this.sent.find((e, i) => i >= after && e.to.toLowerCase() === to.toLowerCase());
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no email to ${to} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({
        to,
        after,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }
}
