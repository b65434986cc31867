import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CommitmentForm } from "~/components/commitment-form";
import { pickerMatchesOf } from "~/components/person-picker";
import { FIELD_LABEL, isLocked, type CommitmentFields } from "~/domain/commitment";
import { getCommitment } from "~/models/commitment.server";
import { UuidSchema } from "~/schemas/common";
import { CommitmentFormSchema, EditCommitmentSchema } from "~/schemas/commitments";
import { commitmentFormOptions, ownerDefaults } from "~/pages/commitment-form.server";
import { mayOnTeam } from "~/services/authorize.server";
import { fieldsOf, updateCommitment } from "~/services/commitments.server";
import { invalid, refused } from "~/http/forms.server";
import { OWNER_PICKER, pickerReply, takeTypedPerson } from "~/http/person-picker.server";
import { notFound, requireParam, throwIfNotTheirs } from "~/http/route-errors.server";
import { actorOf, forbidden, requireUser } from "~/http/session.server";

export const meta: MetaFunction = () => [{ title: "Edit commitment · Kept" }];

const NOT_FOUND = "That commitment does not exist.";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = requireParam(params, "id", UuidSchema, NOT_FOUND);
  const commitment = await getCommitment(context.db, id);
  if (!commitment) throw notFound(NOT_FOUND);
  const actor = actorOf(user);
  if (!(await mayOnTeam(context.db, actor, "commitments.write", commitment.teamId))) throw forbidden("Only editors of this team and admins can change its commitments.");
  if (commitment.status !== "open") throw redirect(`/commitments/${commitment.id}`);
  const f = fieldsOf(commitment);
  const [options, owner] = await Promise.all([commitmentFormOptions(context.db, actor, new Date()), ownerDefaults(context.db, f.ownerId)]);
  return {
    ...options,
    id: commitment.id,
    version: commitment.version,
    locked: isLocked(commitment, options.today),
    defaults: {
      ...f,
      details: f.details,
      metricName: f.metricName ?? "",
      metricBaseline: f.metricBaseline === null ? "" : String(f.metricBaseline),
      metricComparator: f.metricComparator ?? undefined,
      metricTarget: f.metricTarget === null ? "" : String(f.metricTarget),
      metricUnit: f.metricUnit ?? "",
      deliverableEvent: f.deliverableEvent ?? "",
      ...owner,
      tags: f.tags.join(", "),
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const id = requireParam(params, "id", UuidSchema, NOT_FOUND);
  const current = await getCommitment(context.db, id);
  if (!current) throw notFound(NOT_FOUND);
  const formData = await request.formData();
  // The owner it has stays choosable if deactivated since: an edit that keeps them is not refused.
  const owner = await takeTypedPerson(context.db, actorOf(user), formData, OWNER_PICKER, { kind: "owner", current: current.ownerId }, false);
  const submission = parseWithZod(formData, { schema: CommitmentFormSchema.and(EditCommitmentSchema) });
  const unchanged = { conflictFields: [] as string[], currentVersion: undefined as number | undefined };
  if (owner) return pickerReply(submission, owner, unchanged);
  if (submission.status !== "success") return invalid(submission, { extra: unchanged });
  const { version, reason, ...input } = submission.value;
  const result = await updateCommitment(context.db, actorOf(user), id, input, version, reason, new Date(), context.logger);
  if (!result.ok) {
    throwIfNotTheirs(result.error, NOT_FOUND);
    const changed = (result.error.conflict?.changedFields ?? []).map((f) => FIELD_LABEL[f as keyof CommitmentFields] ?? f);
    return refused(submission, result.error, { extra: { conflictFields: changed, currentVersion: result.error.conflict?.currentVersion } });
  }
  return redirect(`/commitments/${id}?edited=${result.value.rescope ? "rescoped" : "edited"}`);
}

export default function EditCommitment() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page page--wide">
      <p className="breadcrumb">
        <Link to={`/commitments/${data.id}`}>Back to the commitment</Link>
      </p>
      <h1>{data.locked ? "Edit or re-scope commitment" : "Edit commitment"}</h1>
      {data.locked ? (
        <p className="notice">
          This commitment is locked. Changes to what was promised are re-scopes: they need a reason and are shown beside the
          original on the commitment page and in the letter.
        </p>
      ) : null}
      <CommitmentForm
        id="edit-commitment"
        lastResult={actionData?.result}
        defaults={data.defaults}
        teams={data.teams}
        ownerMatches={pickerMatchesOf(actionData)}
        periods={data.periods}
        calendar={data.calendar}
        today={data.today}
        minimum={data.minimum}
        submitLabel={data.locked ? "Save (re-scope if what was promised changed)" : "Save"}
        // After a conflict the next save is made knowingly on top of the other person's.
        version={actionData?.currentVersion ?? data.version}
        locked={data.locked}
        conflictFields={actionData?.conflictFields}
      />
    </div>
  );
}
