import { z } from "zod";
import { COMMITMENT_SORTS } from "~/domain/commitment";
import { FORECAST_FILTERS, OUTCOME_STATUSES } from "~/domain/types";
import { UuidSchema } from "~/schemas/common";
import { ListSinceSchema } from "~/schemas/commitments";


// Query parameters of GET /api/v1/commitments: the same filters as the list page.
export const ListQuerySchema = z.object({
  team: z.string().regex(/^[a-z0-9-]{1,60}$/, { error: "Use a team slug." }).optional(),
  period: z.string().regex(/^FY\d{4}(-(H[12]|Q[1-4]))?$/, { error: "Use a period such as FY2026-Q3." }).optional(),
  audience: z.enum(["public", "internal"]).optional(),
  status: z.enum(["open", ...OUTCOME_STATUSES]).optional(),
  tag: z.string().max(40).optional(),
  owner: UuidSchema.optional(),
  q: z.string().trim().max(200).optional(),
  forecast: z
    .enum(FORECAST_FILTERS)
    .optional()
    .meta({ description: "By the latest check-in's forecast; `not_on_track` is at risk, off track or stalled (the dashboard's list)." }),
  outcomeSince: ListSinceSchema.optional().meta({
    description:
      "Only commitments whose outcome was recorded on or after this day (YYYY-MM-DD, from its first instant in the organisation's time zone) or this instant (ISO 8601 with an offset).",
  }),
  sort: z.enum(COMMITMENT_SORTS).default("due").meta({ description: "`outcome_desc`: newest outcome first, listing only commitments that have an outcome." }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).optional(),
});
