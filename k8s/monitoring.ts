/**
 * Prometheus: a ServiceMonitor for the metrics port (Prometheus operator) and a PrometheusRule with
 * the alerts. `alertRules()` is also what tests feed to `promtool check rules`.
 */
import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";
import type { ChartConfig } from "./config";
import { labels, names, selectorLabels } from "./labels";

export type AlertRule = {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
};

export function alertRules(config: ChartConfig): { name: string; rules: AlertRule[] }[] {
  const job = `job="${names(config).app}"`;
  return [
    {
      name: "prompt-builder.rules",
      rules: [
        {
          alert: "PromptBuilderDown",
          expr: `absent(up{${job}} == 1)`,
          for: "5m",
          labels: { severity: "critical" },
          annotations: {
            summary: "Prompt Builder is down",
            description: "No Prompt Builder metrics target has been up for 5 minutes.",
            runbook_url: "docs/operations.md#troubleshooting",
          },
        },
        {
          alert: "PromptBuilderHighErrorRate",
          expr:
            `sum(rate(http_requests_total{${job},status_code=~"5.."}[5m]))` +
            ` / sum(rate(http_requests_total{${job}}[5m])) > 0.05`,
          for: "10m",
          labels: { severity: "warning" },
          annotations: {
            summary: "More than 5% of Prompt Builder responses are 5xx",
            description: "{{ $value | humanizePercentage }} of responses were server errors over the last 5 minutes.",
            runbook_url: "docs/operations.md#troubleshooting",
          },
        },
        {
          alert: "PromptBuilderSlowResponses",
          expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${job}}[5m]))) > 1`,
          for: "10m",
          labels: { severity: "warning" },
          annotations: {
            summary: "Prompt Builder p95 latency is over 1 s",
            description: "The 95th percentile response time is {{ $value | humanizeDuration }}.",
            runbook_url: "docs/operations.md#troubleshooting",
          },
        },
        {
          alert: "PromptBuilderBackupStale",
          expr: `time() - max(backup_last_success_timestamp_seconds{${job}}) > 26 * 3600`,
          for: "15m",
          labels: { severity: "critical" },
          annotations: {
            summary: "The last successful Prompt Builder backup is older than 26 hours",
            description:
              "The newest valid backup finished {{ $value | humanizeDuration }} ago (0 means there is none).",
            runbook_url: "docs/operations.md#backups",
          },
        },
      ],
    },
  ];
}

export function addMonitoring(scope: Construct, config: ChartConfig) {
  const n = names(config);
  const meta = (name: string) => ({
    name,
    namespace: config.namespace,
    labels: { ...labels(config, "app"), ...config.monitoring.selectorLabels },
  });
  new ApiObject(scope, "servicemonitor", {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: meta(n.app),
    spec: {
      selector: { matchLabels: selectorLabels(config, "app") },
      namespaceSelector: { matchNames: [config.namespace] },
      endpoints: [{ port: "metrics", path: "/metrics", interval: "30s", scrapeTimeout: "10s" }],
    },
  });
  new ApiObject(scope, "prometheusrule", {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: meta(n.app),
    spec: { groups: alertRules(config) },
  });
}
