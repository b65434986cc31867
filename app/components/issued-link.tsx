// A freshly issued one-time sign-in link, shown once to the admin who issued it: Kept keeps
// only its hash, so this answer is the only place the whole link ever appears on screen.

export interface IssuedLinkView {
  purpose: "invitation" | "reset";
  url: string;
  /** Already formatted in the organisation's time zone. */
  expires: string;
  emailed: boolean;
}

export function IssuedLinkNotice({ name, email, link }: { name: string; email: string; link: IssuedLinkView }) {
  const what = link.purpose === "invitation" ? "invitation link" : "password reset link";
  return (
    <div className="notice" role="status" data-testid="issued-link">
      <p>
        <strong>
          {link.purpose === "invitation" ? `${name} is invited.` : `A reset link for ${name} is ready.`} Pass this {what} on to them
          now:
        </strong>{" "}
        it is shown only once, because Kept stores only a hash of it.
      </p>
      <p>
        <code className="token-secret" data-testid="issued-link-url">
          {link.url}
        </code>
      </p>
      <p>
        It works once, until {link.expires}.{" "}
        {link.emailed ? `Kept has also mailed it to ${email}.` : "Mail is not set up on this server, so nothing was mailed: send it yourself."}
      </p>
    </div>
  );
}
