import { Link } from "@remix-run/react";
import { FORECAST_LABEL, OUTCOME_LABEL, type Forecast } from "~/domain/types";

/** What a commitment line needs; the shape of app/models/home.server.ts's HomeCommitment. */
export interface CommitmentLine {
  id: string;
  statement: string;
  teamName: string;
  periodLabel: string;
  dueDate: string;
  status: "open" | "delivered" | "partial" | "missed" | "withdrawn";
  forecast: string | null;
  probability: number | null;
}

/** Open commitments with their team, due date and latest forecast. */
export function CommitmentLines({ items, today, showTeam = true }: { items: CommitmentLine[]; today: string; showTeam?: boolean }) {
  return (
    <ul className="dash-list">
      {items.map((i) => (
        <li key={i.id}>
          <Link to={`/commitments/${i.id}`}>{i.statement}</Link>
          <span className="muted">
            {" "}
            {showTeam ? <>· {i.teamName} </> : null}· {i.periodLabel} · due {i.dueDate}
            {i.status !== "open" ? ` · ${OUTCOME_LABEL[i.status]}` : null}
            {i.status === "open" && i.forecast ? ` · ${FORECAST_LABEL[i.forecast as Forecast]}, ${i.probability}% likely` : null}
          </span>
          {i.status === "open" && i.dueDate < today ? <strong className="danger-text"> past due</strong> : null}
        </li>
      ))}
    </ul>
  );
}

