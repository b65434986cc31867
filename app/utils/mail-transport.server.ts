// SMTP through nodemailer, or nothing: without SMTP_URL, Kept keeps mail in its outbox.
import nodemailer from "nodemailer";

export interface OutgoingMail {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/** Why a send failed, and whether trying again could help. */
export interface MailFailure {
  permanent: boolean;
  message: string;
}

export function createMailTransport(smtpUrl: string | undefined, options: { timeoutMs?: number } = {}): MailTransport | null {
  if (!smtpUrl) return null;
  const timeout = options.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(mail) {
      const info = await transporter.sendMail(mail);
      return { messageId: String(info.messageId) };
    },
    close() {
      transporter.close();
    },
  };
}

/**
 * A 5xx answer (mailbox unknown, address refused) will not change on retry: the message
 * bounced. Timeouts, refused connections and 4xx answers are worth another attempt.
 */
export function classifyMailError(error: unknown): MailFailure {
  const e = error as { responseCode?: number; code?: string; message?: string; response?: string };
  const message = e?.response || e?.message || String(error);
  if (typeof e?.responseCode === "number") return { permanent: e.responseCode >= 500 && e.responseCode < 600, message };
  // No recipient nodemailer could address: a malformed address, not a server's mood.
  if (e?.code === "EENVELOPE") return { permanent: true, message };
  return { permanent: false, message };
}
