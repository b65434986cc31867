export * from "./organisation";
export * from "./people";
export * from "./teams";
export * from "./commitments";
export * from "./retrospectives";
export * from "./api";
export * from "./letters";
export * from "./reach";
