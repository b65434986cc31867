import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CommitmentForm } from "~/components/commitment-form";
import { CommitmentFormSchema } from "~/schemas/commitments";
import { commitmentFormOptions } from "~/services/commitment-form.server";
import { createCommitment } from "~/services/commitments.server";
import { invalid, refused } from "~/utils/forms.server";
import { actorOf, forbidden, requireUser } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "New commitment · Kept" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  if (user.role === "viewer") throw forbidden("Viewers read commitments; they do not write them.");
  const options = await commitmentFormOptions(context.db, actorOf(user), new Date());
  const url = new URL(request.url);
  const teamId = url.searchParams.get("teamId") ?? options.teams[0]?.value ?? "";
  return { ...options, defaults: { teamId, ownerId: user.id, audience: "public" as const, measureKind: "metric" as const } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  if (user.role === "viewer") throw forbidden("Viewers read commitments; they do not write them.");
  const submission = parseWithZod(await request.formData(), { schema: CommitmentFormSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await createCommitment(context.db, actorOf(user), submission.value, new Date());
  if (!result.ok) return refused(submission, result.error);
  context.logger.info({ commitmentId: result.value.id }, "commitment created");
  return redirect(`/commitments/${result.value.id}?created=1`);
}

export default function NewCommitment() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page page--wide">
      <p className="breadcrumb">
        <Link to="/commitments">Commitments</Link>
      </p>
      <h1>New commitment</h1>
      {data.teams.length === 0 ? (
        <p>You are not an editor of any team. Ask an admin to make you one.</p>
      ) : (
        <CommitmentForm
          id="new-commitment"
          lastResult={actionData?.result}
          defaults={data.defaults}
          teams={data.teams}
          people={data.people}
          periods={data.periods}
          calendar={data.calendar}
          today={data.today}
          minimum={data.minimum}
          submitLabel="Commit"
        />
      )}
    </div>
  );
}
