/**
 * Backups: a ReadWriteOnce PVC for the backup files (in the storage chart, never deleted with the
 * workloads) and a CronJob running the image's backup command, the only pod that mounts it.
 * single: colocated with the app pod (required pod affinity, because the data volume is
 * ReadWriteOnce) and mounting the data volume; SQLite online backup. scaled: pg_dump over the
 * network, so no affinity. Each run is recorded in the database (BackupRun), which is where the
 * app reads the freshness metric from: no app pod needs the backups volume, so no RWX storage.
 */
import { k8s } from "cdk8s-plus-27";
import type { Construct } from "constructs";
import type { ChartConfig } from "./config";
import { BACKUP_DIR, type Component, DATA_DIR, image, labels, names, selectorLabels } from "./labels";
import {
  BACKUP_COMMAND,
  TRASH_PURGE_COMMAND,
  backupVolume,
  containerSecurityContext,
  envFrom,
  podSecurityContext,
  secretEnv,
  tmpMount,
  tmpVolume,
} from "./pod";

export const BACKUP_JOB_LIMITS = {
  startingDeadlineSeconds: 900,
  activeDeadlineSeconds: 1800,
  backoffLimit: 2,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 5,
};

/** The backups volume. Lives in the storage chart: deleting the workload file never deletes it. */
export function addBackupClaim(scope: Construct, config: ChartConfig) {
  new k8s.KubePersistentVolumeClaim(scope, "backups-pvc", {
    metadata: { name: names(config).backupClaim, namespace: config.namespace, labels: labels(config, "backup") },
    spec: {
      accessModes: ["ReadWriteOnce"],
      ...(config.backup.className ? { storageClassName: config.backup.className } : {}),
      resources: { requests: { storage: k8s.Quantity.fromString(config.backup.size) } },
    },
  });
}

export function addBackupJob(scope: Construct, config: ChartConfig) {
  addScheduledJob(scope, config, {
    id: "backup-cronjob",
    name: names(config).backupJob,
    component: "backup",
    container: "backup",
    schedule: config.backup.schedule,
    command: BACKUP_COMMAND,
    volumes: [backupVolume(config)],
    mounts: [{ name: "backups", mountPath: BACKUP_DIR }],
  });
}

/** Deletes trashed prompts past their 30 days (`build/cli/trash-purge.js`, safe on overlapping runs). */
export function addTrashPurgeJob(scope: Construct, config: ChartConfig) {
  addScheduledJob(scope, config, {
    id: "trash-purge-cronjob",
    name: names(config).trashPurgeJob,
    component: "maintenance",
    container: "trash-purge",
    schedule: config.trashPurge.schedule,
    command: TRASH_PURGE_COMMAND,
    volumes: [],
    mounts: [],
  });
}

type ScheduledJob = {
  id: string;
  name: string;
  component: Component;
  container: string;
  schedule: string;
  command: string[];
  volumes: k8s.Volume[];
  mounts: k8s.VolumeMount[];
};

/**
 * A CronJob running one of the image's commands. single: colocated with the app pod (required pod
 * affinity, the data volume is ReadWriteOnce) and mounting the data volume; scaled: neither.
 */
function addScheduledJob(scope: Construct, config: ChartConfig, job: ScheduledJob) {
  const n = names(config);
  const volumes: k8s.Volume[] = [tmpVolume, ...job.volumes];
  const mounts: k8s.VolumeMount[] = [tmpMount, ...job.mounts];
  if (config.mode === "single") {
    volumes.push({ name: n.dataVolume, persistentVolumeClaim: { claimName: n.dataClaim } });
    mounts.push({ name: n.dataVolume, mountPath: DATA_DIR });
  }

  new k8s.KubeCronJob(scope, job.id, {
    metadata: { name: job.name, namespace: config.namespace, labels: labels(config, job.component) },
    spec: {
      schedule: job.schedule,
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: BACKUP_JOB_LIMITS.startingDeadlineSeconds,
      successfulJobsHistoryLimit: BACKUP_JOB_LIMITS.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: BACKUP_JOB_LIMITS.failedJobsHistoryLimit,
      jobTemplate: {
        metadata: { labels: labels(config, job.component) },
        spec: {
          backoffLimit: BACKUP_JOB_LIMITS.backoffLimit,
          activeDeadlineSeconds: BACKUP_JOB_LIMITS.activeDeadlineSeconds,
          template: {
            metadata: { labels: labels(config, job.component) },
            spec: {
              restartPolicy: "Never",
              serviceAccountName: n.serviceAccount,
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: podSecurityContext(),
              ...(config.mode === "single"
                ? {
                    affinity: {
                      podAffinity: {
                        requiredDuringSchedulingIgnoredDuringExecution: [
                          {
                            labelSelector: { matchLabels: selectorLabels(config, "app") },
                            topologyKey: "kubernetes.io/hostname",
                          },
                        ],
                      },
                    },
                  }
                : {}),
              containers: [
                {
                  name: job.container,
                  image: image(config),
                  imagePullPolicy: "IfNotPresent",
                  command: job.command,
                  envFrom: envFrom(config),
                  env: secretEnv(config),
                  resources: {
                    requests: { cpu: k8s.Quantity.fromString("100m"), memory: k8s.Quantity.fromString("128Mi") },
                    limits: { memory: k8s.Quantity.fromString("512Mi") },
                  },
                  securityContext: containerSecurityContext(),
                  volumeMounts: mounts,
                },
              ],
              volumes,
            },
          },
        },
      },
    },
  });
}
