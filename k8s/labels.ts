/** Names, ports and `app.kubernetes.io/*` labels shared by every object of the chart. */
import type { ChartConfig } from "./config";

export const APP_PORT = 3000;
export const METRICS_PORT = 9464;
export const SERVICE_PORT = 80;
export const APP_UID = 1001;
export const DATA_DIR = "/app/data";
export const BACKUP_DIR = "/app/backups";

export type Component = "app" | "backup" | "maintenance";

/** Selector labels: stable for the life of a release (never the version). */
export function selectorLabels(config: ChartConfig, component: Component): Record<string, string> {
  return {
    "app.kubernetes.io/name": "prompt-builder",
    "app.kubernetes.io/instance": config.name,
    "app.kubernetes.io/component": component,
  };
}

export function labels(config: ChartConfig, component?: Component): Record<string, string> {
  return {
    "app.kubernetes.io/name": "prompt-builder",
    "app.kubernetes.io/instance": config.name,
    "app.kubernetes.io/version": config.image.tag,
    ...(component ? { "app.kubernetes.io/component": component } : {}),
    "app.kubernetes.io/part-of": "prompt-builder",
    "app.kubernetes.io/managed-by": "cdk8s",
  };
}

export function names(config: ChartConfig) {
  const n = config.name;
  return {
    app: n,
    headless: `${n}-headless`,
    serviceAccount: n,
    configMap: `${n}-config`,
    dataVolume: "data",
    /** The PVC the StatefulSet's volumeClaimTemplate creates for pod 0. */
    dataClaim: `data-${n}-0`,
    backupClaim: `${n}-backups`,
    backupJob: `${n}-backup`,
    trashPurgeJob: `${n}-trash-purge`,
    ingress: n,
    apiIngress: `${n}-api`,
  };
}

export const image = (config: ChartConfig) => `${config.image.repository}:${config.image.tag}`;
