/**
 * The pieces every pod of the chart shares: hardened security contexts, env from the ConfigMap and
 * Secret references, volumes, and the app container with its probes.
 */
import { k8s } from "cdk8s-plus-27";
import type { ChartConfig } from "./config";
import { APP_PORT, APP_UID, BACKUP_DIR, DATA_DIR, METRICS_PORT, image, names } from "./labels";

export const SERVER_COMMAND = ["node", "node_modules/@remix-run/serve/dist/cli.js", "build/index.js"];
export const MIGRATE_COMMAND = ["node", "build/cli/migrate.js"];
export const BACKUP_COMMAND = ["node", "build/cli/backup.js"];
export const TRASH_PURGE_COMMAND = ["node", "build/cli/trash-purge.js"];

export function podSecurityContext(): k8s.PodSecurityContext {
  return {
    runAsUser: APP_UID,
    runAsGroup: APP_UID,
    fsGroup: APP_UID,
    fsGroupChangePolicy: "OnRootMismatch",
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export function containerSecurityContext(): k8s.SecurityContext {
  return {
    runAsUser: APP_UID,
    runAsGroup: APP_UID,
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Settings from the ConfigMap; secrets only by reference (no secret value is ever in the YAML). */
export function envFrom(config: ChartConfig): k8s.EnvFromSource[] {
  return [{ configMapRef: { name: names(config).configMap } }];
}

export function secretEnv(config: ChartConfig): k8s.EnvVar[] {
  const env: k8s.EnvVar[] = [
    {
      name: "SESSION_SECRET",
      valueFrom: { secretKeyRef: { name: config.appSecretName, key: "SESSION_SECRET", optional: true } },
    },
    {
      name: "SENTRY_DSN",
      valueFrom: { secretKeyRef: { name: config.appSecretName, key: "SENTRY_DSN", optional: true } },
    },
    // Model providers (decisions 110, 111): keys from the environment, and the secret that
    // encrypts the keys admins store in the app.
    ...["PROVIDER_KEY_SECRET", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"].map((key) => ({
      name: key,
      valueFrom: { secretKeyRef: { name: config.appSecretName, key, optional: true } },
    })),
  ];
  if (config.oidc) {
    env.push({
      name: "OIDC_CLIENT_SECRET",
      valueFrom: { secretKeyRef: { name: config.appSecretName, key: "OIDC_CLIENT_SECRET" } },
    });
  }
  if (config.mode === "scaled") {
    env.push({
      name: "DATABASE_URL",
      valueFrom: { secretKeyRef: { name: config.postgres.secretName, key: config.postgres.secretKey } },
    });
  }
  return env;
}

export function configMapData(config: ChartConfig): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: String(APP_PORT),
    METRICS_PORT: String(METRICS_PORT),
    LOG_LEVEL: "info",
    BACKUP_DIR,
    BACKUP_RETENTION_DAYS: String(config.backup.retentionDays),
    // Prisma and npm write caches under HOME; the root filesystem is read-only.
    HOME: "/tmp",
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    // Memory under load (docs/decisions/087-memory-under-load.md): fewer glibc malloc arenas and a
    // 4 MB young-generation semi-space (V8's default grows to 16 MB, three of them committed).
    MALLOC_ARENA_MAX: "2",
    NODE_OPTIONS: "--max-semi-space-size=4",
    // The network policy lets only the ingress controller reach the app port, and the controller
    // appends the client's address to X-Forwarded-For: trust that one hop, so the rate limits key
    // on clients instead of putting every client behind the controller's address (decision 086).
    TRUST_PROXY: "1",
    ...(config.mode === "single" ? { DATABASE_URL: `file:${DATA_DIR}/app.db` } : {}),
    ...(config.oidc
      ? {
          ENABLE_AUTH: "true",
          OIDC_ISSUER: config.oidc.issuer,
          OIDC_CLIENT_ID: config.oidc.clientId,
          OIDC_ALLOWED_DOMAINS: config.oidc.allowedDomains,
          OIDC_DEFAULT_ROLE: config.oidc.defaultRole,
          ...(config.oidc.displayName ? { OIDC_DISPLAY_NAME: config.oidc.displayName } : {}),
        }
      : {}),
  };
}

export const tmpVolume: k8s.Volume = { name: "tmp", emptyDir: { sizeLimit: k8s.Quantity.fromString("64Mi") } };
export const tmpMount: k8s.VolumeMount = { name: "tmp", mountPath: "/tmp" };

export function backupVolume(config: ChartConfig): k8s.Volume {
  return { name: "backups", persistentVolumeClaim: { claimName: names(config).backupClaim } };
}

const httpGet = (path: string, port: string): k8s.HttpGetAction => ({
  path,
  port: k8s.IntOrString.fromString(port),
  scheme: "HTTP",
});

export function appContainer(config: ChartConfig): k8s.Container {
  // No backups volume: the freshness metric reads the BackupRun table.
  const mounts: k8s.VolumeMount[] = [tmpMount];
  if (config.mode === "single") mounts.unshift({ name: names(config).dataVolume, mountPath: DATA_DIR });
  return {
    name: "app",
    image: image(config),
    imagePullPolicy: "IfNotPresent",
    command: SERVER_COMMAND,
    ports: [
      { name: "http", containerPort: APP_PORT, protocol: "TCP" },
      { name: "metrics", containerPort: METRICS_PORT, protocol: "TCP" },
    ],
    envFrom: envFrom(config),
    env: secretEnv(config),
    // Startup: the process answers at all (up to 60 s). Readiness: the database answers.
    // Liveness: the process answers (no database check, so a slow database never restarts pods).
    startupProbe: { httpGet: httpGet("/healthz", "http"), periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30 },
    readinessProbe: {
      httpGet: httpGet("/api/health", "http"),
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
      successThreshold: 1,
    },
    livenessProbe: { httpGet: httpGet("/healthz", "http"), periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 3 },
    resources: {
      requests: { cpu: k8s.Quantity.fromString("250m"), memory: k8s.Quantity.fromString("256Mi") },
      limits: { memory: k8s.Quantity.fromString("512Mi") },
    },
    securityContext: containerSecurityContext(),
    // Lets the endpoints controller and the ingress stop sending traffic before SIGTERM arrives.
    lifecycle: { preStop: { exec: { command: ["sleep", "5"] } } },
    volumeMounts: mounts,
  };
}

export function migrateContainer(config: ChartConfig): k8s.Container {
  const mounts: k8s.VolumeMount[] = [tmpMount];
  if (config.mode === "single") mounts.unshift({ name: names(config).dataVolume, mountPath: DATA_DIR });
  return {
    name: "migrate",
    image: image(config),
    imagePullPolicy: "IfNotPresent",
    command: MIGRATE_COMMAND,
    envFrom: envFrom(config),
    env: secretEnv(config),
    resources: {
      requests: { cpu: k8s.Quantity.fromString("100m"), memory: k8s.Quantity.fromString("192Mi") },
      limits: { memory: k8s.Quantity.fromString("512Mi") },
    },
    securityContext: containerSecurityContext(),
    volumeMounts: mounts,
  };
}

export function prometheusAnnotations(): Record<string, string> {
  return {
    "prometheus.io/scrape": "true",
    "prometheus.io/port": String(METRICS_PORT),
    "prometheus.io/path": "/metrics",
  };
}
