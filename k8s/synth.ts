/**
 * Builds the cdk8s app: for each mode, `<mode>-storage.k8s.yaml` (Namespace and volumes, applied once),
 * `<mode>.k8s.yaml` (workloads) and `<mode>-monitoring.k8s.yaml`.
 */
import { App, YamlOutputType } from "cdk8s";
import { MonitoringChart, PromptBuilderChart, StorageChart } from "./chart";
import { parseConfig, type ChartConfigInput } from "./config";

export const MODES = ["single", "scaled"] as const;

export function buildApp(outdir: string, input: ChartConfigInput = {}): App {
  const app = new App({ outdir, outputFileExtension: ".k8s.yaml", yamlOutputType: YamlOutputType.FILE_PER_CHART });
  for (const mode of MODES) {
    const config = parseConfig({ ...input, mode });
    new StorageChart(app, `${mode}-storage`, config);
    new PromptBuilderChart(app, mode, config);
    new MonitoringChart(app, `${mode}-monitoring`, config);
  }
  return app;
}

export function synthesize(outdir: string, input: ChartConfigInput = {}) {
  const app = buildApp(outdir, input);
  app.synth();
  return app;
}
