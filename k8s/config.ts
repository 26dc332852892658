/**
 * Typed configuration of the Kubernetes chart (zod): the single source of truth for what can be
 * changed per environment. `k8s/main.ts` reads overrides from K8S_* environment variables; the
 * committed k8s/dist is synthesised from the defaults.
 */
import { z } from "zod";
import pkg from "../package.json";

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: "must be a DNS label (lowercase letters, digits, '-')" });
const quantity = z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti)$/, { message: "must be a size such as 512Mi or 5Gi" });
const labelMap = z.record(z.string(), z.string());
const cronField = String.raw`(\*|\d+|\d+-\d+|\*\/\d+|\d+(-\d+)?\/\d+)(,(\d+|\d+-\d+))*`;
const cron = z
  .string()
  .trim()
  .regex(new RegExp(`^${cronField}( ${cronField}){4}$`), {
    message: "must be a five-field cron expression, e.g. 0 2 * * *",
  });

export const imageSchema = z.object({
  repository: z
    .string()
    .regex(/^[a-z0-9]+([._\-/:][a-z0-9]+)*$/, { message: "must be an image repository, e.g. ghcr.io/org/app" }),
  tag: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: "must be a valid image tag" })
    .refine((t) => t !== "latest", { message: "must be a fixed version or git sha, never latest" }),
});

export const configSchema = z.object({
  mode: z.enum(["single", "scaled"]).default("single"),
  name: dnsLabel.default("prompt-builder"),
  namespace: dnsLabel.default("prompt-builder"),
  image: imageSchema.default({ repository: "ghcr.io/prompt-builder/prompt-builder", tag: pkg.version }),
  host: z
    .string()
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, { message: "must be a fully qualified host name" })
    .default("prompt-builder.example.com"),
  tlsSecretName: dnsLabel.default("prompt-builder-tls"),
  /** Secret with optional app settings (SESSION_SECRET, SENTRY_DSN, OIDC_CLIENT_SECRET, PROVIDER_KEY_SECRET, OPENAI_API_KEY, ANTHROPIC_API_KEY); created outside the chart. */
  appSecretName: dnsLabel.default("prompt-builder-secrets"),
  storage: z
    .object({
      /** Unset = the cluster's default StorageClass. */
      className: dnsLabel.optional(),
      size: quantity.default("1Gi"),
    })
    .default({ size: "1Gi" }),
  backup: z
    .object({
      schedule: cron.default("0 2 * * *"),
      retentionDays: z.number().int().min(1).max(3650).default(30),
      className: dnsLabel.optional(),
      size: quantity.default("5Gi"),
    })
    .default({ schedule: "0 2 * * *", retentionDays: 30, size: "5Gi" }),
  trashPurge: z.object({ schedule: cron.default("30 3 * * *") }).default({ schedule: "30 3 * * *" }),
  ingress: z
    .object({
      className: z.string().default("nginx"),
      /** Namespace of the ingress controller pods: the only source allowed to reach the app port. */
      controllerNamespace: dnsLabel.default("ingress-nginx"),
      apiRateLimitRps: z.number().int().positive().default(10),
      apiBurst: z.number().int().positive().default(20),
      bodySize: z
        .string()
        .regex(/^\d+[kmg]?$/)
        .default("1m"),
    })
    .default({
      className: "nginx",
      controllerNamespace: "ingress-nginx",
      apiRateLimitRps: 10,
      apiBurst: 20,
      bodySize: "1m",
    }),
  monitoring: z
    .object({
      /** Namespace of Prometheus: the only source allowed to reach the metrics port. */
      namespace: dnsLabel.default("monitoring"),
      /** Labels the Prometheus operator selects ServiceMonitors and PrometheusRules by. */
      selectorLabels: labelMap.default({ release: "prometheus" }),
    })
    .default({ namespace: "monitoring", selectorLabels: { release: "prometheus" } }),
  postgres: z
    .object({
      /** Secret holding DATABASE_URL (postgresql://...) in scaled mode; created outside the chart. */
      secretName: dnsLabel.default("prompt-builder-database"),
      secretKey: z.string().default("DATABASE_URL"),
      port: z.number().int().min(1).max(65535).default(5432),
      /** Where the database runs, for the egress NetworkPolicy: a CIDR, or a namespace + pod labels. */
      cidr: z
        .string()
        .regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/)
        .optional(),
      namespace: dnsLabel.default("database"),
      podLabels: labelMap.default({ "app.kubernetes.io/name": "postgresql" }),
    })
    .default({
      secretName: "prompt-builder-database",
      secretKey: "DATABASE_URL",
      port: 5432,
      namespace: "database",
      podLabels: { "app.kubernetes.io/name": "postgresql" },
    }),
  /**
   * Single sign-on (docs/security.md): the settings go to the ConfigMap (with ENABLE_AUTH=true), the
   * client secret only by reference (OIDC_CLIENT_SECRET in appSecretName). The app pods may then
   * reach the provider over HTTPS: egressCidr narrows where (default anywhere, port 443).
   */
  oidc: z
    .object({
      issuer: z.url({ protocol: /^https$/, message: "must be an https URL" }),
      clientId: z.string().trim().min(1),
      allowedDomains: z.string().trim().min(1, { message: "is required (e-mail domains, comma-separated, or *)" }),
      defaultRole: z.enum(["viewer", "editor"]).default("viewer"),
      displayName: z.string().trim().max(60).optional(),
      egressCidr: z
        .string()
        .regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/)
        .default("0.0.0.0/0"),
    })
    .optional(),
  scaled: z
    .object({
      minReplicas: z.number().int().min(2).default(3),
      maxReplicas: z.number().int().min(2).default(10),
      cpuUtilization: z.number().int().min(10).max(100).default(70),
    })
    .refine((s) => s.maxReplicas >= s.minReplicas, { message: "maxReplicas must be at least minReplicas" })
    .default({ minReplicas: 3, maxReplicas: 10, cpuUtilization: 70 }),
});

export type ChartConfig = z.infer<typeof configSchema>;
export type ChartConfigInput = z.input<typeof configSchema>;

export function parseConfig(input: ChartConfigInput = {}): ChartConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`);
    throw new Error(`Invalid chart configuration: ${lines.join("; ")}`);
  }
  return result.data;
}

/** Overrides from K8S_* environment variables (unset ones keep the defaults). */
export function configInputFromEnv(env: Record<string, string | undefined>): ChartConfigInput {
  const pick = (key: string) => (env[key]?.trim() ? env[key]!.trim() : undefined);
  const num = (key: string) => (pick(key) === undefined ? undefined : Number(pick(key)));
  const drop = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const image = drop({ repository: pick("K8S_IMAGE_REPOSITORY"), tag: pick("K8S_IMAGE_TAG") });
  const defaults = configSchema.parse({});
  return drop({
    namespace: pick("K8S_NAMESPACE"),
    host: pick("K8S_HOST"),
    tlsSecretName: pick("K8S_TLS_SECRET"),
    image: Object.keys(image).length ? { ...defaults.image, ...image } : undefined,
    storage: { ...defaults.storage, ...drop({ className: pick("K8S_STORAGE_CLASS"), size: pick("K8S_STORAGE_SIZE") }) },
    backup: {
      ...defaults.backup,
      ...drop({
        schedule: pick("K8S_BACKUP_SCHEDULE"),
        retentionDays: num("K8S_BACKUP_RETENTION_DAYS"),
        className: pick("K8S_BACKUP_STORAGE_CLASS"),
        size: pick("K8S_BACKUP_SIZE"),
      }),
    },
    trashPurge: { ...defaults.trashPurge, ...drop({ schedule: pick("K8S_TRASH_PURGE_SCHEDULE") }) },
    oidc: pick("K8S_OIDC_ISSUER")
      ? drop({
          issuer: pick("K8S_OIDC_ISSUER"),
          clientId: pick("K8S_OIDC_CLIENT_ID"),
          allowedDomains: pick("K8S_OIDC_ALLOWED_DOMAINS"),
          defaultRole: pick("K8S_OIDC_DEFAULT_ROLE"),
          displayName: pick("K8S_OIDC_DISPLAY_NAME"),
          egressCidr: pick("K8S_OIDC_EGRESS_CIDR"),
        })
      : undefined,
  }) as ChartConfigInput;
}
