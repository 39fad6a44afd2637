import nodemailer from 'nodemailer';

export interface Email {
  to: string;
  subject: string;
  text: string;
}

/** Sends account emails (confirmation and reset links). */
export interface Mailer {
  send(email: Email): Promise<void>;
}

/**
 * SMTP when a URL is configured; otherwise each email is written to the log as a JSON line, which is
 * how a developer (or a test) follows the links without a mail server.
 */
export function createMailer(
  options: { smtpUrl: string | undefined; from: string },
  log: (entry: object) => void,
): Mailer {
  if (!options.smtpUrl) {
    return {
      send: (email) => {
        log({ event: 'email', ...email });
        return Promise.resolve();
      },
    };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(email) {
      await transport.sendMail({ from: options.from, ...email });
    },
  };
}
