/**
 * How the app sends email: one interface, so the transport is a deployment
 * choice. A message carries an idempotency key that stays the same when a
 * delivery is retried, so a transport that honours it sends each message once.
 */
export interface MailMessage {
  orgId: string;
  to: string;
  subject: string;
  text: string;
  idempotencyKey: string;
}

export interface Mailer {
  /** Resolves once the transport has accepted the message; throws if it did not. */
  send(message: MailMessage): Promise<void>;
}
