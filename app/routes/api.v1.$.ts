import { notFoundProblem } from "~/api/handler.server";

// Anything under /api/v1 that is not an endpoint answers in the API's own error format.
const notFound = () => notFoundProblem("There is no such endpoint. See /api/v1/openapi.json.");

export const loader = notFound;
export const action = notFound;
