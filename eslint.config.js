// Lint keeps the walls of the house standing (STYLE.md, ADR 0021): pure domain code imports no
// framework, database or node: module; each folder of app/ imports only the folders below it
// (routes → api/http → pages → services → models → domain; utils are leaves); routes never
// reach the database directly; no cycles.
import js from "@eslint/js";
import importX from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const frameworkAndData = [
  { group: ["@remix-run/*", "react", "react-dom", "react/*"], message: "app/domain is pure: no Remix or React." },
  { group: ["drizzle-orm", "drizzle-orm/*", "postgres", "@electric-sql/*"], message: "app/domain is pure: no database." },
  { group: ["**/db/*", "**/db", "~/models/*", "~/services/*", "**/models/*", "**/services/*"], message: "app/domain must not depend on data access." },
  { regex: "^~/(?!domain/)", message: "app/domain imports nothing of the app but itself." },
  { group: ["node:*"], message: "app/domain runs in the browser too: no node: modules." },
];

/** An import restriction naming the app folders a layer must not reach (by alias or relative path). */
function above(layer, folders) {
  return {
    group: folders.flatMap((f) => [`~/${f}/*`, `**/${f}/*`]),
    message: `${layer} must not import ${folders.join(", ")}: those sit above it (DEVELOPERS.md, "Where things live").`,
  };
}
const notTests = ["app/**/*.test.ts", "app/**/*.test.tsx"];
const ROLE_WALL = "Routes do not compare roles: ask can(actor, action) from ~/domain/permissions, or let the use case's guard decide (ADR 0039).";

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", "data/**", "test-results/**", "playwright-report/**", ".cache/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks, "import-x": importX },
    settings: { "import-x/resolver-next": [importX.createNodeResolver({ extensions: [".ts", ".tsx", ".js"] })] },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Pass time in; Date.now() hides it." },
      ],
    },
  },
  {
    files: ["app/domain/**/*.ts"],
    ignores: ["app/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: frameworkAndData }],
      "no-restricted-globals": ["error", { name: "process", message: "app/domain takes configuration as arguments." }],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Pure code gets 'now' as an argument." },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Pure code gets 'now' as an argument." },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: "Pure code is deterministic." },
      ],
    },
  },
  {
    // The sample organisation's records are data: as pure as the domain, and importing only it.
    files: ["app/sample/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: frameworkAndData }] },
  },
  {
    files: ["app/utils/**/*.{ts,tsx}"],
    ignores: notTests,
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["~/*", "../*", "**/db", "**/db/*"], message: "app/utils holds leaves: it imports nothing of the app (move the helper to app/http or app/services)." }] },
      ],
    },
  },
  {
    files: ["app/models/**/*.ts"],
    ignores: notTests,
    rules: { "no-restricted-imports": ["error", { patterns: [above("app/models", ["services", "schemas", "pages", "api", "http", "routes", "components", "sample"])] }] },
  },
  {
    files: ["app/schemas/**/*.ts"],
    ignores: notTests,
    rules: { "no-restricted-imports": ["error", { patterns: [above("app/schemas", ["models", "services", "pages", "api", "http", "routes", "components"])] }] },
  },
  {
    files: ["app/services/**/*.ts"],
    ignores: notTests,
    rules: { "no-restricted-imports": ["error", { patterns: [above("app/services", ["pages", "api", "http", "routes", "components"])] }] },
  },
  {
    files: ["app/pages/**/*.ts"],
    ignores: notTests,
    rules: { "no-restricted-imports": ["error", { patterns: [above("app/pages", ["api", "http", "routes", "components"])] }] },
  },
  {
    files: ["app/api/**/*.ts"],
    ignores: notTests,
    rules: { "no-restricted-imports": ["error", { patterns: [above("app/api", ["http", "pages", "routes", "components"])] }] },
  },
  {
    files: ["app/http/**/*.ts"],
    ignores: notTests,
    rules: { "no-restricted-imports": ["error", { patterns: [above("app/http", ["api", "pages", "routes", "components"])] }] },
  },
  {
    files: ["app/routes/**/*.{ts,tsx}", "app/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/db/*", "**/db", "drizzle-orm", "drizzle-orm/*"], message: "Routes call services and models; they never query the database directly." },
          ],
        },
      ],
    },
  },
  {
    // Routes never decide permissions (ADR 0039): they ask `can(actor, action)` or call a use
    // case that checks through the one guard. Comparing a role to a role's name, or switching
    // on a role, is deciding; so is reaching for the list of roles. Proven by
    // app/routes/lint-walls.test.ts.
    files: ["app/routes/**/*.{ts,tsx}"],
    ignores: notTests,
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Pass time in; Date.now() hides it." },
        ...["left", "right"].flatMap((side) => {
          const other = side === "left" ? "right" : "left";
          return [
            `BinaryExpression[operator=/^[!=]==?$/][${side}.property.name=/^(role|teamRole)$/][${other}.type='Literal']`,
            `BinaryExpression[operator=/^[!=]==?$/][${side}.name=/^(role|teamRole)$/][${other}.type='Literal']`,
          ];
        }).map((selector) => ({ selector, message: ROLE_WALL })),
        { selector: "SwitchStatement[discriminant.property.name=/^(role|teamRole)$/]", message: ROLE_WALL },
        { selector: "SwitchStatement[discriminant.name=/^(role|teamRole)$/]", message: ROLE_WALL },
      ],
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "~/domain/types", importNames: ["ROLES", "TEAM_ROLES"], message: ROLE_WALL }],
          patterns: [
            { group: ["**/db/*", "**/db", "drizzle-orm", "drizzle-orm/*"], message: "Routes call services and models; they never query the database directly." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: { "import-x/no-cycle": ["error", { maxDepth: 10, ignoreExternal: true }] },
  },
  {
    files: ["**/*.test.ts", "tests/**/*.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
);
