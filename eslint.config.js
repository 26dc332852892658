import js from "@eslint/js";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import globals from "globals";
import tseslint from "typescript-eslint";

// What a browser page has and Node has not (document, window, localStorage, HTMLElement…): the
// domain runs in the browser, the render worker and the server, so it may use none of it.
const DOM_ONLY = Object.keys(globals.browser).filter((name) => !(name in globals.node));

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "public/build/**",
      "app/generated/**",
      "node_modules/**",
      "k8s/dist/**",
      "coverage/**",
      "tests/.artifacts/**",
      ".cache/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["**/*.tsx"],
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "18.3" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
      "react/prop-types": "off",
    },
  },
  {
    // No import cycles in the app: a cycle hides which module owns a concern (issue 8).
    files: ["app/**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })],
      // Without these, import-x reads only .js files and never sees a cycle through .ts/.tsx.
      "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Repositories hold database code: they may use the domain and server infrastructure, never the UI or routes.
    files: ["app/models/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "~/components/*",
            "~/routes/*",
            "../components/*",
            "../routes/*",
            "react",
            "react-dom",
            "@remix-run/react",
          ],
        },
      ],
    },
  },
  {
    // Server infrastructure knows nothing of pages, components or repositories (runtime.server.ts,
    // the start-up that wires them together, is the one exception).
    files: ["app/server/**/*.ts"],
    ignores: ["app/server/runtime.server.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "~/components/*",
            "~/routes/*",
            "~/models/*",
            "../../models/*",
            "../models/*",
            "react",
            "react-dom",
            "@remix-run/react",
          ],
        },
      ],
    },
  },
  {
    // Hooks in their own .ts files get the same checks as those in components.
    files: ["app/**/use*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The domain (and the library's rules) is shared by browser and server: nothing from Remix, Prisma or server code.
    files: ["app/prompt/**/*.ts", "app/library/**/*.ts", "app/transfer/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "@remix-run/*",
            "@prisma/*",
            "~/generated/*",
            "**/generated/*",
            "*.server",
            "node:*",
            "react",
            "react-dom",
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        ...DOM_ONLY.map((name) => ({
          name,
          message: "The domain is pure: no DOM (it also runs in the worker and on the server).",
        })),
      ],
    },
  },
);
