/**
 * The e2e run's inbox: a real SMTP server on loopback (smtp-server) that the app under test sends
 * through (SMTP_URL), and a JSON list of what it received at GET /messages, for the specs to read
 * as a person reads their inbox. Started by playwright.config.ts beside the app.
 */
import { createServer } from "node:http";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 3125);
const HTTP_PORT = Number(process.env.E2E_MAIL_PORT ?? 3126);
const received: { to: string[]; subject: string; text: string; at: string }[] = [];

new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), subject: mail.subject ?? "", text: mail.text ?? "", at: new Date().toISOString() });
        callback();
      })
      .catch(callback);
  },
}).listen(SMTP_PORT, "127.0.0.1");

createServer((request, response) => {
  if (request.url !== "/messages") return void response.writeHead(404).end();
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received));
}).listen(HTTP_PORT, "127.0.0.1");
