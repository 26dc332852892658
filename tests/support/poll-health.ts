/** A client polling /healthz back to back while a test loads the server, to see whether it stays responsive. */
import { setTimeout as delay } from "node:timers/promises";
import { expect } from "vitest";

export function pollHealth(baseUrl: string) {
  const latencies: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const t0 = performance.now();
      const res = await fetch(`${baseUrl}/healthz`);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`/healthz answered ${res.status}`);
      latencies.push(performance.now() - t0);
      // A breath between requests, so the poller is a steady client rather than a flood.
      await delay(5);
    }
  })();
  return {
    /** Resolves once `n` answers have come back: the baseline before the load starts. */
    answered: (n: number) => expect.poll(() => latencies.length, { interval: 5 }).toBeGreaterThanOrEqual(n),
    /** Stops polling; every answer's latency in ms (fails if /healthz ever answered other than 2xx). */
    stop: async () => {
      running = false;
      await done;
      return latencies;
    },
  };
}
