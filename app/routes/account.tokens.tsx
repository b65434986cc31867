import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormErrors, SelectField, TextField } from "~/components/ui/field";
import { isValidIsoDate } from "~/domain/period";
import { mayEverWrite } from "~/domain/permissions";
import { TokenWriteSchema } from "~/api/schemas/core";
import { UuidSchema } from "~/schemas/common";
import { createToken, listTokens, revokeToken } from "~/services/api-tokens.server";
import { invalid, refused } from "~/http/forms.server";
import { actorOf, requireUser } from "~/http/session.server";
import { Day, Moment } from "~/components/dates";

export const meta: MetaFunction = () => [{ title: "API tokens · Kept" }];

const CreateSchema = z.object({
  intent: z.literal("create"),
  name: TokenWriteSchema.shape.name,
  scope: TokenWriteSchema.shape.scope,
  expiresAt: z
    .string()
    .optional()
    .refine((v) => !v || isValidIsoDate(v), { error: "Enter a real date (YYYY-MM-DD)." })
    .transform((v) => v || null),
});
const RevokeSchema = z.object({ intent: z.literal("revoke"), tokenId: UuidSchema });
const ActionSchema = z.discriminatedUnion("intent", [CreateSchema, RevokeSchema]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const tokens = await listTokens(context.db, user.id);
  const now = new Date();
  return {
    canWrite: mayEverWrite(user),
    tokens: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      scope: t.scope,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      expiresAt: t.expiresAt?.toISOString().slice(0, 10) ?? null,
      state: t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt <= now ? "expired" : "active",
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: ActionSchema });
  if (submission.status !== "success") return invalid(submission, { extra: { created: null as string | null } });
  const v = submission.value;
  const now = new Date();
  if (v.intent === "revoke") {
    const result = await revokeToken(context.db, actorOf(user), v.tokenId, now, context.logger);
    if (!result.ok) return refused(submission, result.error, { extra: { created: null as string | null } });
    return { result: submission.reply({ resetForm: true }), created: null as string | null };
  }
  const expiresAt = v.expiresAt ? new Date(`${v.expiresAt}T23:59:59Z`) : null;
  const result = await createToken(context.db, actorOf(user), { name: v.name, scope: v.scope, expiresAt }, now, context.logger);
  if (!result.ok) return refused(submission, result.error, { extra: { created: null as string | null } });
  // Shown once, in this response only; only its hash is stored.
  return { result: submission.reply({ resetForm: true }), created: result.value.token };
}

export default function Tokens() {
  const { tokens, canWrite } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof CreateSchema>>({
    id: "create-token",
    lastResult: actionData?.result,
    constraint: getZodConstraint(CreateSchema),
    defaultValue: { scope: "read" },
    shouldValidate: "onBlur",
  });
  return (
    <div className="page">
      <h1>API tokens</h1>
      <p className="lead">
        Programs use Kept through its <a href="/api/docs">JSON API</a> with a personal access token. A token acts as you, with
        your permissions and no more.
      </p>
      {actionData?.created ? (
        <div className="notice" role="status">
          <p>
            <strong>Copy your new token now.</strong> It is shown only once; Kept stores only a hash of it.
          </p>
          <p>
            <code className="token-secret" data-testid="new-token">
              {actionData.created}
            </code>
          </p>
        </div>
      ) : null}
      <h2>Your tokens</h2>
      {tokens.length === 0 ? (
        <p>
          No tokens yet. Create one below for a program that uses <Link to="/api/docs">the API</Link>.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="stack-table">
            <caption className="visually-hidden">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td data-label="Name">
                    {t.name} <span className="muted">(kept_{t.prefix}_…)</span>
                  </td>
                  <td data-label="Scope">{t.scope === "write" ? "read and write" : "read"}</td>
                  <td data-label="Created">
                    <Moment value={t.createdAt} dayOnly />
                  </td>
                  <td data-label="Last used">{t.lastUsedAt ? <Moment value={t.lastUsedAt} /> : "never"}</td>
                  <td data-label="Expires">{t.expiresAt ? <Day value={t.expiresAt} /> : "never"}</td>
                  <td data-label="State">
                    {t.state}
                    {t.state === "active" ? (
                      <Form method="post" className="inline">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="tokenId" value={t.id} />
                        <button type="submit" className="button button--small button--danger">
                          Revoke<span className="visually-hidden"> {t.name}</span>
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="panel" aria-labelledby="create-token-heading">
        <h2 id="create-token-heading">Create a token</h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormErrors id={form.errorId} errors={form.errors} />
          <input type="hidden" name="intent" value="create" />
          <TextField meta={fields.name} label="Name (what will use it)" placeholder="Quarterly report script" />
          <SelectField
            meta={fields.scope}
            label="Scope"
            options={[{ value: "read", label: "Read only" }, ...(canWrite ? [{ value: "write", label: "Read and write" }] : [])]}
          />
          <TextField meta={fields.expiresAt} label="Expires on (optional)" type="date" />
          <button type="submit" className="button button--primary">
            Create token
          </button>
        </Form>
      </section>
    </div>
  );
}
