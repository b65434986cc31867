import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logout } from "~/services/auth.server";
import { clearSessionCookie, forgetSessionUser, readSessionToken } from "~/http/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = await readSessionToken(request, context.env);
  if (token) await logout(context.db, token);
  forgetSessionUser(context);
  return redirect("/login", { headers: { "Set-Cookie": await clearSessionCookie(context.env) } });
}
