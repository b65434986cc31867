import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { LetterDocument } from "~/components/letter-document";
import { forwardHeaders } from "~/utils/headers.server";
import { correctLetter, loadLetterPage } from "~/utils/letter-route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.letter.title} (internal) · ${data.letter.organisationName}` },
        { name: "robots", content: "noindex" },
        { name: "description", content: `${data.letter.organisationName}: what we said we would do in FY${data.letter.fiscalYear}, what we did, and what we did not do and why.` },
      ]
    : [{ title: "Letter not found" }];

export const headers = forwardHeaders(["ETag", "Cache-Control", "Last-Modified", "Vary"]);

export function loader(args: LoaderFunctionArgs) {
  return loadLetterPage(args, "internal");
}

export function action(args: ActionFunctionArgs) {
  return correctLetter(args, "internal");
}

export default function InternalLetter() {
  const { letter, canCorrect } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="page page--letter">
      {actionData && "appended" in actionData ? (
        <p role="status" className="notice no-print">
          Erratum appended. It is on this page and in the feed, and cannot be changed.
        </p>
      ) : null}
      <LetterDocument letter={letter} canCorrect={canCorrect} erratumResult={actionData?.result} />
    </div>
  );
}
