/**
 * GitHub workflows validated offline with @action-validator (the WASM core and the CLI), and
 * checked to do what they are for; skaffold.yaml checked against the synthesised manifests.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import pkg from "../../package.json";
import { ROOT, find, loadMode } from "../k8s/manifests";

/* eslint-disable @typescript-eslint/no-explicit-any */
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const files = fs
  .readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const read = (f: string) => fs.readFileSync(path.join(WORKFLOWS, f), "utf8");
const workflow = (f: string) => YAML.parse(read(f)) as any;
const runs = (wf: any) =>
  Object.values(wf.jobs)
    .flatMap((job: any) => job.steps)
    .map((s: any) => s.run ?? "")
    .join("\n");
const uses = (wf: any) =>
  Object.values(wf.jobs)
    .flatMap((job: any) => job.steps)
    .map((s: any) => s.uses)
    .filter(Boolean) as string[];

describe("GitHub workflows", () => {
  it("are ci, image and e2e", () => {
    expect(files).toEqual(["ci.yml", "e2e.yml", "image.yml"]);
  });

  it.each(files)("%s validates against the workflow schema (@action-validator/core)", (file) => {
    const result = validateWorkflow(read(file));
    expect(result.errors).toEqual([]);
  });

  it("the validator rejects a broken workflow (sanity check)", () => {
    const result = validateWorkflow(
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        runs: nope\n",
    );
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it.each(files)("%s passes the action-validator CLI", (file) => {
    const cli = path.join(ROOT, "node_modules", ".bin", "action-validator");
    const result = spawnSync(cli, [path.join(WORKFLOWS, file)], { encoding: "utf8", timeout: 60_000 });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it("pins every action to a major version, never a branch", () => {
    for (const f of files)
      for (const u of uses(workflow(f))) expect(u, `${f}: ${u}`).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w.-]+)?@v\d+$/);
  });

  it("ci: typecheck, lint, tests with a PostgreSQL service, build and the synth drift check", () => {
    const ci = workflow("ci.yml");
    const job = ci.jobs.test;
    expect(job.services.postgres.image).toMatch(/^postgres:\d+/);
    expect(job.env.TEST_DATABASE_URL_POSTGRES).toMatch(/^postgresql:\/\/.*@localhost:5432\//);
    const script = runs(ci);
    for (const command of [
      "npm ci",
      "npm run typecheck",
      "npm run lint",
      "npm test",
      "npm run build",
      "npm run k8s:synth",
      "git diff --exit-code -- k8s/dist",
    ]) {
      expect(script).toContain(command);
    }
    expect(script).toMatch(/apt-get install .*prometheus/);
    expect(script).toMatch(/apt-get install .*postgresql-client/);
    for (const name of ["typecheck", "lint", "test", "build"]) expect(pkg.scripts).toHaveProperty(name);
    expect(pkg.scripts).toHaveProperty("k8s:synth");
  });

  it("image: buildx, sha and semver tags, GHCR push, registry cache", () => {
    const image = workflow("image.yml");
    const used = uses(image);
    for (const action of [
      "docker/setup-buildx-action",
      "docker/login-action",
      "docker/metadata-action",
      "docker/build-push-action",
    ]) {
      expect(
        used.some((u) => u.startsWith(`${action}@`)),
        action,
      ).toBe(true);
    }
    const steps = image.jobs.build.steps;
    const meta = steps.find((s: any) => s.uses?.startsWith("docker/metadata-action@"));
    expect(meta.with.tags).toContain("type=sha");
    expect(meta.with.tags).toContain("type=semver,pattern={{version}}");
    const login = steps.find((s: any) => s.uses?.startsWith("docker/login-action@"));
    expect(login.with.registry).toBe("ghcr.io");
    const build = steps.find((s: any) => s.uses?.startsWith("docker/build-push-action@"));
    expect(build.with["cache-from"]).toContain("type=registry");
    expect(build.with["cache-to"]).toContain("type=registry");
    expect(image.jobs.build.permissions.packages).toBe("write");
    expect(image.env.IMAGE).toMatch(/ghcr\.io\//);
  });

  it("image: never pushes latest, lowercases the name before cache refs, defaults to the manifests' repository", () => {
    const image = workflow("image.yml");
    const steps = image.jobs.build.steps;
    const meta = steps.find((s: any) => s.uses?.startsWith("docker/metadata-action@"));
    // metadata-action adds `latest` on semver tags unless told not to.
    expect(meta.with.flavor).toMatch(/^latest=false$/m);
    expect(meta.with.tags).not.toMatch(/latest/);
    const manifestsRepository = find(
      loadMode("single", false),
      "StatefulSet",
    ).spec.template.spec.containers[0].image.split(":")[0];
    expect(image.env.IMAGE).toBe(`\${{ vars.IMAGE_REPOSITORY || '${manifestsRepository}' }}`);
    const lower = steps.findIndex(
      (s: any) => /IMAGE=\$\{IMAGE,,\}|"IMAGE=\$image"/.test(s.run ?? "") && (s.run as string).includes("${IMAGE,,}"),
    );
    const build = steps.findIndex((s: any) => s.uses?.startsWith("docker/build-push-action@"));
    expect(lower, "a step lowercases IMAGE into GITHUB_ENV").toBeGreaterThanOrEqual(0);
    expect(lower).toBeLessThan(build);
    // The base is resolved to a digest and passed to the build.
    expect(steps[lower].run).toContain("imagetools inspect");
    expect(steps[build].with["build-args"]).toContain("NODE_IMAGE=${{ env.NODE_IMAGE }}");
  });

  it("ci: tests against the PostgreSQL major the image's pg_dump is pinned to", () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
    const client = /postgresql-client-(\d+)/.exec(dockerfile)?.[1];
    expect(client).toBeDefined();
    expect(workflow("ci.yml").jobs.test.services.postgres.image).toMatch(new RegExp(`^postgres:${client}(-|$)`));
    expect(fs.readFileSync(path.join(ROOT, "docs", "deploy.md"), "utf8")).toContain(`PostgreSQL ${client}`);
  });

  it("e2e: kind, load the image, apply single mode, wait for rollout, health via port-forward, backup Job from the CronJob", () => {
    const e2e = workflow("e2e.yml");
    const script = runs(e2e);
    const single = loadMode("single", false);
    const sts = find(single, "StatefulSet");
    const cron = find(single, "CronJob");
    const service = find(single, "Service", "prompt-builder");
    expect(uses(e2e).some((u) => u.startsWith("helm/kind-action@"))).toBe(true);
    expect(script).toContain("kind load docker-image");
    expect(script).toContain("single.k8s.yaml");
    // The Namespace and volumes first, in their own file; deleting the workloads keeps the claims.
    expect(script.indexOf("single-storage.k8s.yaml")).toBeGreaterThanOrEqual(0);
    expect(script.indexOf("single-storage.k8s.yaml")).toBeLessThan(
      script.indexOf('apply -f "$RUNNER_TEMP/k8s/single.k8s.yaml"'),
    );
    expect(script).toMatch(/kubectl delete -f "\$RUNNER_TEMP\/k8s\/single\.k8s\.yaml"/);
    expect(script).not.toMatch(/kubectl delete -f "\$RUNNER_TEMP\/k8s\/single-storage/);
    expect(script).toContain(`rollout status statefulset/${sts.metadata.name}`);
    expect(script).toContain(`port-forward svc/${service.metadata.name} 8080:${service.spec.ports[0].port}`);
    expect(script).toContain("/api/health");
    expect(script).toContain(`--from=cronjob/${cron.metadata.name}`);
    expect(script).toMatch(/kubectl .*wait --for=condition=complete job\/backup-e2e/);
    expect(e2e.env.NAMESPACE).toBe(sts.metadata.namespace);
    expect(e2e.env.IMAGE_REPOSITORY).toBe(sts.spec.template.spec.containers[0].image.split(":")[0]);
  });
});

describe("skaffold.yaml", () => {
  const config = YAML.parse(fs.readFileSync(path.join(ROOT, "skaffold.yaml"), "utf8")) as any;

  it("is skaffold/v4beta13 with a Docker build of the runtime stage", () => {
    expect(config.apiVersion).toBe("skaffold/v4beta13");
    expect(config.kind).toBe("Config");
    const [artifact] = config.build.artifacts;
    expect(artifact.docker).toEqual({ dockerfile: "Dockerfile", target: "runtime" });
    // Skaffold swaps the manifests' image for its build only when the repository matches.
    const image = find(loadMode("single", false), "StatefulSet").spec.template.spec.containers[0].image as string;
    expect(image.split(":")[0]).toBe(artifact.image);
  });

  it("renders the cdk8s output after re-synthesising it, and deploys with kubectl", () => {
    expect(config.manifests.hooks.before[0].host.command).toEqual(["npm", "run", "--silent", "k8s:synth"]);
    expect(config.manifests.rawYaml).toEqual(["k8s/dist/single.k8s.yaml"]);
    expect(config.deploy.kubectl).toBeDefined();
    for (const p of config.profiles) {
      for (const f of p.manifests?.rawYaml ?? []) expect(fs.existsSync(path.join(ROOT, f)), f).toBe(true);
      for (const patch of p.patches ?? []) expect(fs.existsSync(path.join(ROOT, patch.value)), patch.value).toBe(true);
    }
  });

  it("has single (default) and scaled profiles", () => {
    const profiles = Object.fromEntries(config.profiles.map((p: any) => [p.name, p]));
    expect(profiles.single.manifests.rawYaml).toEqual(config.manifests.rawYaml);
    expect(profiles.scaled.manifests.rawYaml).toEqual(["k8s/dist/scaled.k8s.yaml"]);
  });

  it("port-forwards to the Service's app and metrics ports", () => {
    const service = find(loadMode("single", false), "Service", "prompt-builder");
    const ports = service.spec.ports.map((p: any) => p.port);
    for (const pf of config.portForward) {
      expect(pf).toMatchObject({
        resourceType: "service",
        resourceName: service.metadata.name,
        namespace: service.metadata.namespace,
      });
      expect(ports).toContain(pf.port);
    }
  });
});
