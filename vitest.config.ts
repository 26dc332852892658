import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

const alias = { "~": path.resolve(import.meta.dirname, "app") };
const serverTests = {
  // Builds once per run (or not at all with SKIP_BUILD=1), however many projects use it.
  globalSetup: ["tests/support/global-setup.ts"],
  testTimeout: 60_000,
  hookTimeout: 180_000,
  // A browser or a server on a loaded 2-core CI machine can take seconds to show a change; the
  // default of 1 s made waits for debounced work (the builder's local draft) fail at random.
  expect: { poll: { timeout: 10_000 } },
};
// Checks of files and manifests that start no server and touch no database: no build needed.
const pureTests = [
  "tests/k8s/**/*.test.ts",
  "tests/exactness/**/*.test.ts",
  "tests/deploy/dockerfile.test.ts",
  "tests/deploy/workflows.test.ts",
];

export default defineConfig({
  resolve: { alias },
  test: {
    // Two cores: each integration/e2e file starts servers of its own.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}", "scripts/**/*.test.ts", "k8s/**/*.test.ts", ...pureTests],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts", "tests/deploy/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...pureTests],
          ...serverTests,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          ...serverTests,
          testTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
