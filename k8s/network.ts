/**
 * Services, Ingress and NetworkPolicies. Only the ingress controller reaches the app port, only
 * Prometheus reaches the metrics port (never routed through the Ingress); egress is DNS plus the
 * database in scaled mode, plus the single sign-on provider (HTTPS) for the app pods when configured.
 */
import { k8s } from "cdk8s-plus-27";
import type { Construct } from "constructs";
import type { ChartConfig } from "./config";
import { APP_PORT, METRICS_PORT, SERVICE_PORT, labels, names, selectorLabels } from "./labels";
import { prometheusAnnotations } from "./pod";

export function addServices(scope: Construct, config: ChartConfig) {
  const n = names(config);
  new k8s.KubeService(scope, "service", {
    metadata: {
      name: n.app,
      namespace: config.namespace,
      labels: labels(config, "app"),
      annotations: prometheusAnnotations(),
    },
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(config, "app"),
      ports: [
        { name: "http", port: SERVICE_PORT, targetPort: k8s.IntOrString.fromString("http"), protocol: "TCP" },
        { name: "metrics", port: METRICS_PORT, targetPort: k8s.IntOrString.fromString("metrics"), protocol: "TCP" },
      ],
    },
  });
  if (config.mode === "single") {
    // The StatefulSet's governing service: stable DNS for pod 0.
    new k8s.KubeService(scope, "headless", {
      metadata: { name: n.headless, namespace: config.namespace, labels: labels(config, "app") },
      spec: {
        clusterIp: "None",
        publishNotReadyAddresses: false,
        selector: selectorLabels(config, "app"),
        ports: [{ name: "http", port: APP_PORT, targetPort: k8s.IntOrString.fromString("http"), protocol: "TCP" }],
      },
    });
  }
}

export function ingressAnnotations(config: ChartConfig, api: boolean): Record<string, string> {
  const a: Record<string, string> = {
    // HTTPS only; ingress-nginx adds Strict-Transport-Security to TLS hosts (its ConfigMap's
    // `hsts`, on by default); see docs/decisions/011-ingress-hsts-and-rate-limits.md.
    "nginx.ingress.kubernetes.io/ssl-redirect": "true",
    "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
    "nginx.ingress.kubernetes.io/proxy-body-size": config.ingress.bodySize,
    "nginx.ingress.kubernetes.io/proxy-read-timeout": "60",
  };
  if (api) {
    // 10 requests/s per client IP, bursts up to 20 (ingress-nginx: burst = rps × multiplier).
    a["nginx.ingress.kubernetes.io/limit-rps"] = String(config.ingress.apiRateLimitRps);
    a["nginx.ingress.kubernetes.io/limit-burst-multiplier"] = String(
      Math.max(1, Math.round(config.ingress.apiBurst / config.ingress.apiRateLimitRps)),
    );
    a["nginx.ingress.kubernetes.io/limit-connections"] = "20";
  }
  return a;
}

export function addIngress(scope: Construct, config: ChartConfig) {
  const n = names(config);
  const make = (id: string, name: string, path: string, api: boolean) =>
    new k8s.KubeIngress(scope, id, {
      metadata: {
        name,
        namespace: config.namespace,
        labels: labels(config, "app"),
        annotations: ingressAnnotations(config, api),
      },
      spec: {
        ingressClassName: config.ingress.className,
        tls: [{ hosts: [config.host], secretName: config.tlsSecretName }],
        rules: [
          {
            host: config.host,
            http: {
              paths: [{ path, pathType: "Prefix", backend: { service: { name: n.app, port: { name: "http" } } } }],
            },
          },
        ],
      },
    });
  // Two Ingresses for one host: ingress-nginx applies annotations per Ingress, so the rate limit
  // covers /api only.
  make("ingress", n.ingress, "/", false);
  make("ingress-api", n.apiIngress, "/api", true);
}

const dnsEgress = (): k8s.NetworkPolicyEgressRule => ({
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: k8s.IntOrString.fromNumber(53) },
    { protocol: "TCP", port: k8s.IntOrString.fromNumber(53) },
  ],
});

function databaseEgress(config: ChartConfig): k8s.NetworkPolicyEgressRule[] {
  if (config.mode !== "scaled") return [];
  const pg = config.postgres;
  return [
    {
      to: pg.cidr
        ? [{ ipBlock: { cidr: pg.cidr } }]
        : [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": pg.namespace } },
              podSelector: { matchLabels: pg.podLabels },
            },
          ],
      ports: [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(pg.port) }],
    },
  ];
}

/** The app pods reach the OpenID provider (discovery, token, userinfo, keys) when single sign-on is on. */
function oidcEgress(config: ChartConfig): k8s.NetworkPolicyEgressRule[] {
  if (!config.oidc) return [];
  const port = Number(new URL(config.oidc.issuer).port || 443);
  return [
    {
      to: [{ ipBlock: { cidr: config.oidc.egressCidr } }],
      ports: [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(port) }],
    },
  ];
}

export function addNetworkPolicies(scope: Construct, config: ChartConfig) {
  const n = names(config);
  const fromNamespace = (ns: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
  new k8s.KubeNetworkPolicy(scope, "netpol-app", {
    metadata: { name: n.app, namespace: config.namespace, labels: labels(config, "app") },
    spec: {
      podSelector: { matchLabels: selectorLabels(config, "app") },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [fromNamespace(config.ingress.controllerNamespace)],
          ports: [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(APP_PORT) }],
        },
        {
          from: [fromNamespace(config.monitoring.namespace)],
          ports: [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(METRICS_PORT) }],
        },
      ],
      egress: [dnsEgress(), ...databaseEgress(config), ...oidcEgress(config)],
    },
  });
  // Scheduled jobs (backup, trash purge) take no traffic and reach only DNS and the database.
  for (const [id, name, component] of [
    ["netpol-backup", n.backupJob, "backup"],
    ["netpol-maintenance", n.trashPurgeJob, "maintenance"],
  ] as const) {
    new k8s.KubeNetworkPolicy(scope, id, {
      metadata: { name, namespace: config.namespace, labels: labels(config, component) },
      spec: {
        podSelector: { matchLabels: selectorLabels(config, component) },
        policyTypes: ["Ingress", "Egress"],
        ingress: [],
        egress: [dnsEgress(), ...databaseEgress(config)],
      },
    });
  }
}
