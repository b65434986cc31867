import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { readOutbox } from "~/services/mail.server";
import { actorOf, requireAdmin } from "~/http/session.server";
import { Moment } from "~/components/dates";

export const meta: MetaFunction = () => [{ title: "Outbox · Settings · Kept" }];

const STATUS_TEXT: Record<string, string> = {
  queued: "waiting to be sent",
  sent: "sent",
  outbox: "kept here (SMTP not configured)",
  bounced: "bounced",
  failed: "cannot be sent",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireAdmin(request, context);
  const cursor = new URL(request.url).searchParams.get("cursor");
  const result = await readOutbox(context.db, actorOf(user), cursor);
  if (!result.ok) throw new Response(result.error.message, { status: 403 });
  return {
    smtpConfigured: Boolean(context.env.SMTP_URL),
    nextCursor: result.value.nextCursor,
    messages: result.value.items.map((m) => ({
      id: m.id,
      kind: m.kind,
      to: m.toAddress,
      subject: m.subject,
      text: m.textBody,
      status: m.status,
      statusText: STATUS_TEXT[m.status] ?? m.status,
      attempts: m.attempts,
      lastError: m.lastError,
      oneClickUnsubscribe: m.unsubscribeUrl !== null,
      createdAt: m.createdAt.toISOString(),
    })),
  };
}

export default function Outbox() {
  const { messages, smtpConfigured, nextCursor } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <a href="/settings">← Settings</a>
      </p>
      <h1>Outbox</h1>
      <p className="lead">
        {smtpConfigured
          ? "Every message Kept has written, newest first, and what became of it."
          : "SMTP is not configured (SMTP_URL), so Kept sends no mail: here is exactly what it would have sent, newest first."}
      </p>
      {messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <ol className="stack plain-list" aria-label="Messages">
          {messages.map((m) => (
            <li key={m.id} className="panel">
              <h2>{m.subject}</h2>
              <p>
                To <strong>{m.to}</strong> · {m.kind} · written <Moment value={m.createdAt} /> · <span data-status={m.status}>{m.statusText}</span>
                {m.attempts > 1 ? ` after ${m.attempts} attempts` : ""}
                {m.oneClickUnsubscribe ? " · one-click unsubscribe" : ""}
              </p>
              {m.lastError ? <p className="muted">Last error: {m.lastError}</p> : null}
              <details>
                <summary>
                  Message text<span className="visually-hidden"> of “{m.subject}” to {m.to}</span>
                </summary>
                <pre className="code mail-text">{m.text}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}
      {nextCursor ? (
        <p>
          <a href={`/settings/outbox?cursor=${nextCursor}`}>Older messages</a>
        </p>
      ) : null}
    </div>
  );
}
