import type { LoaderFunctionArgs } from "@remix-run/node";
import { letterLedgerFile } from "~/http/letter-route.server";

export function loader(args: LoaderFunctionArgs) {
  return letterLedgerFile(args, "public", "json");
}
