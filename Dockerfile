# syntax=docker/dockerfile:1
# One image for every EnergyLive service: the arguments pick what a container runs, as on a workstation
# (`start --services gateway`, `start --services importer,query`, `migrate`, `status` …).

ARG NODE_IMAGE=node:20-bookworm-slim

# Every dependency, the dev ones included, because Vite builds the dashboard. `npm ci` refuses this lock
# file: chdb names prebuilt engines for other platforms that the registry does not serve.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund

FROM deps AS dashboard
COPY . .
RUN npm run build:dashboard

# The production dependencies. chdb and its native engine (@chdb/lib-*, over 500 MB) serve only installs
# with no ClickHouse server; in a container CLICKHOUSE_URL always names one, so the engine stays out. They
# are removed here rather than left out of package.json, so `npm install && npm start` keeps working.
FROM deps AS production-deps
RUN npm prune --omit=dev --no-audit --no-fund && rm -rf node_modules/chdb node_modules/@chdb

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    ENERGYLIVE_DATA_DIR=/data
WORKDIR /app
COPY --from=production-deps /app/node_modules ./node_modules
# tsx runs the TypeScript sources and reads tsconfig.json, as in development.
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY cli ./cli
COPY actors ./actors
COPY gateway ./gateway
COPY lib ./lib
COPY nats ./nats
COPY --from=dashboard /app/dashboard/dist ./dashboard/dist
# Temporary files and the generated secret live in the data directory; Kubernetes mounts an emptyDir here.
RUN mkdir /data && chown 1000:1000 /data
# The image's `node` user; numeric, so Kubernetes can check runAsNonRoot.
USER 1000:1000
# 8080: the gateway's HTTP API and web app; 9464: /healthz, /readyz and /metrics of every service.
EXPOSE 8080 9464
# Docker and Compose use this; Kubernetes uses the chart's probes instead. It needs ENERGYLIVE_HEALTH_PORT on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.ENERGYLIVE_HEALTH_PORT || 9464}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/energylive.js"]
CMD ["start"]
