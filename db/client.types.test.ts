// What the three handle types promise, held by the compiler (`npm run typecheck` checks this
// file; each `@ts-expect-error` fails the typecheck the day its line compiles):
// - `Database` (the root handle) may open transactions of its own, so a transaction is refused;
// - `Transaction` runs inside the caller's transaction, so the root handle is refused;
// - `DbOrTx` takes either, and cannot open a transaction at all;
// - `savepointsIn(tx)` is the one way to hand a transaction to a function that opens its own.
import { describe, expectTypeOf, it } from "vitest";
import { savepointsIn, type Database, type DbOrTx, type Transaction } from "./client";

/** Stand-ins for the three kinds of function. Never called: only their types matter. */
declare function opensItsOwn(db: Database): Promise<void>;
declare function insideTheCallers(tx: Transaction): Promise<void>;
declare function wherever(db: DbOrTx): Promise<void>;

describe("handle types", () => {
  it("refuse a transaction where the root handle is asked for, and the root handle where a transaction is", () => {
    expectTypeOf<Transaction>().not.toExtend<Database>();
    expectTypeOf<Database>().not.toExtend<Transaction>();
    expectTypeOf<Database>().toExtend<DbOrTx>();
    expectTypeOf<Transaction>().toExtend<DbOrTx>();
    expectTypeOf<DbOrTx>().not.toExtend<Database>();
    expectTypeOf<DbOrTx>().not.toExtend<Transaction>();
  });

  it("let drizzle's transaction callback hand only a Transaction on, and savepointsIn make it a Database on purpose", () => {
    // Type-checked, never run: the bodies below are the compile-time cases.
    const cases = (db: Database, tx: Transaction, either: DbOrTx) => {
      void db.transaction(async (inner) => {
        expectTypeOf(inner).toExtend<Transaction>();
        await insideTheCallers(inner);
        // @ts-expect-error a function that opens its own transaction is refused the caller's
        await opensItsOwn(inner);
        await opensItsOwn(savepointsIn(inner));
      });
      // @ts-expect-error a function that must run inside the caller's transaction is refused the root handle
      void insideTheCallers(db);
      // @ts-expect-error nor can it be handed "either"
      void insideTheCallers(either);
      // @ts-expect-error "either" might be a transaction, so it is not the root handle
      void opensItsOwn(either);
      // @ts-expect-error a function that takes "either" cannot open a transaction
      void either.transaction(async () => {});
      void wherever(db);
      void wherever(tx);
      void opensItsOwn(db);
    };
    expectTypeOf(cases).toBeFunction();
  });
});
