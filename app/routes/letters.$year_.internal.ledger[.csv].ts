import type { LoaderFunctionArgs } from "@remix-run/node";
import { letterLedgerFile } from "~/utils/letter-route.server";

export function loader(args: LoaderFunctionArgs) {
  return letterLedgerFile(args, "internal", "csv");
}
