import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logout } from "~/services/auth.server";
import { clearSessionCookie, readSessionToken } from "~/http/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = await readSessionToken(request, context.env);
  if (token) await logout(context.db, token);
  return redirect("/login", { headers: { "Set-Cookie": await clearSessionCookie(context.env) } });
}
