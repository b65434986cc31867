import type { LoaderFunctionArgs } from "@remix-run/node";
import { letterSource } from "~/http/letter-route.server";

export function loader(args: LoaderFunctionArgs) {
  return letterSource(args, "public");
}
