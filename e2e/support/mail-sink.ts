/**
 * The e2e run's inbox: a real SMTP server on loopback (the tests' own receiver, on a fixed port)
 * that the app under test sends through (SMTP_URL), and a JSON list of what it received at
 * GET /messages, for the specs to read as a person reads their inbox. Started by
 * playwright.config.ts beside the app.
 */
import { createServer } from "node:http";
import { startSmtpReceiver } from "../../tests/support/smtp-receiver";

const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 3125);
const HTTP_PORT = Number(process.env.E2E_MAIL_PORT ?? 3126);
const inbox = await startSmtpReceiver(() => false, SMTP_PORT);

createServer((request, response) => {
  if (request.url !== "/messages") return void response.writeHead(404).end();
  const received = inbox.messages.map((mail, i) => ({
    to: inbox.recipients[i].map((address) => address.toLowerCase()),
    subject: mail.subject ?? "",
    text: mail.text ?? "",
  }));
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received));
}).listen(HTTP_PORT, "127.0.0.1");
