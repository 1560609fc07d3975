import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface SmtpReceiver {
  /** SMTP_URL for the app's mailer. */
  url: string;
  messages: ParsedMail[];
  /** Envelope recipients of each accepted message, in order. */
  recipients: string[][];
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback (smtp-server), keeping every message it
 * accepts, parsed. `refuse(n)` says whether to refuse the n-th message (from
 * 0) with a temporary failure, as a busy server does. `port` 0 takes a free one.
 */
export async function startSmtpReceiver(refuse: (n: number) => boolean = () => false, port = 0): Promise<SmtpReceiver> {
  const messages: ParsedMail[] = [];
  const recipients: string[][] = [];
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const n = received++;
      simpleParser(stream)
        .then((parsed) => {
          if (refuse(n)) return callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
          messages.push(parsed);
          recipients.push(session.envelope.rcptTo.map((r) => r.address));
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const listening = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${listening}`,
    messages,
    recipients,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
