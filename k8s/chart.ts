/**
 * The Prompt Builder charts, one file each:
 * - `StorageChart` (`<mode>-storage.k8s.yaml`): the Namespace and the backups PersistentVolumeClaim.
 *   Applied once and never part of a delete: `kubectl delete -f <mode>.k8s.yaml` or `skaffold delete`
 *   of the workloads keeps every volume (tests/k8s/delete-semantics.test.ts).
 * - `PromptBuilderChart` (`<mode>.k8s.yaml`): the workloads and everything safe to delete and re-apply.
 * - `MonitoringChart` (`<mode>-monitoring.k8s.yaml`): the Prometheus-operator objects, kept apart
 *   because `kubectl apply` fails on clusters without those CRDs.
 */
import { Chart, type App } from "cdk8s";
import { k8s } from "cdk8s-plus-27";
import type { ChartConfig } from "./config";
import { addBackupClaim, addBackupJob, addTrashPurgeJob } from "./backup";
import { labels, names } from "./labels";
import { addMonitoring } from "./monitoring";
import { addIngress, addNetworkPolicies, addServices } from "./network";
import { configMapData } from "./pod";
import { addWorkload } from "./workload";

export class StorageChart extends Chart {
  constructor(scope: App, id: string, config: ChartConfig) {
    super(scope, id, { disableResourceNameHashes: true });
    new k8s.KubeNamespace(this, "namespace", {
      metadata: {
        name: config.namespace,
        labels: {
          ...labels(config),
          // The restricted Pod Security Standard: the API server rejects any pod of this chart that
          // would run as root or with extra privileges.
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
        },
      },
    });
    addBackupClaim(this, config);
  }
}

export class PromptBuilderChart extends Chart {
  constructor(scope: App, id: string, config: ChartConfig) {
    super(scope, id, { disableResourceNameHashes: true });
    const n = names(config);
    new k8s.KubeServiceAccount(this, "serviceaccount", {
      metadata: { name: n.serviceAccount, namespace: config.namespace, labels: labels(config) },
      automountServiceAccountToken: false,
    });
    const data = configMapData(config);
    new k8s.KubeConfigMap(this, "configmap", {
      metadata: { name: n.configMap, namespace: config.namespace, labels: labels(config) },
      data,
    });
    addWorkload(this, config, data);
    addServices(this, config);
    addIngress(this, config);
    addNetworkPolicies(this, config);
    addBackupJob(this, config);
    addTrashPurgeJob(this, config);
  }
}

export class MonitoringChart extends Chart {
  constructor(scope: App, id: string, config: ChartConfig) {
    super(scope, id, { disableResourceNameHashes: true });
    addMonitoring(this, config);
  }
}
