// Used by `npm run test:container` only. Reads `docker-compose config` (compose.yaml resolved) on
// stdin and writes it back for the test's dockerd, which has no bridge (traffic must stay on the
// host's loopback): every service on the host network, no published ports (Compose refuses ports
// with host networking), the app on the free ports given as arguments. Nothing else changes.
import fs from "node:fs";
import YAML from "yaml";

const [port, metricsPort] = process.argv.slice(2);
if (!port || !metricsPort) throw new Error("usage: compose-host-network.mjs <port> <metrics port> < resolved.yaml");
const config = YAML.parse(fs.readFileSync(0, "utf8"));
for (const [name, service] of Object.entries(config.services)) {
  service.network_mode = "host";
  delete service.ports;
  delete service.networks;
  if (name === "app") service.environment = { ...service.environment, PORT: port, METRICS_PORT: metricsPort };
}
delete config.networks;
// YAML 1.1 quoting: docker-compose (PyYAML) reads a bare `no` as false.
process.stdout.write(YAML.stringify(config, { version: "1.1" }));
