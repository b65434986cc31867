import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { LetterPage, letterMeta } from "~/components/letter-document";
import { forwardHeaders } from "~/http/headers.server";
import { correctLetter, loadLetterPage } from "~/http/letter-route.server";

export const handle = { staticForAnonymous: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => letterMeta(data && "letter" in data ? data.letter : undefined);

export const headers = forwardHeaders(["ETag", "Cache-Control", "Last-Modified", "Vary"]);

export function loader(args: LoaderFunctionArgs) {
  return loadLetterPage(args, "public");
}

export function action(args: ActionFunctionArgs) {
  return correctLetter(args, "public");
}

export default function PublicLetter() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // A matching If-None-Match is answered 304 before anything renders (entry.server).
  if (!("letter" in loaded)) return null;
  const { letter, canCorrect } = loaded;
  return <LetterPage letter={letter} canCorrect={canCorrect} appended={Boolean(actionData && "appended" in actionData)} erratumResult={actionData?.result} />;
}
