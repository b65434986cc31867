import { beforeEach } from "vitest";
import { resetDatabase, testDatabase } from "./db";

// Every test starts from empty tables.
beforeEach(async () => {
  await resetDatabase(await testDatabase());
});
