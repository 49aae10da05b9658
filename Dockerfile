# Haven's image. Node 24 runs the TypeScript sources directly (type stripping, docs/decisions/0003): no build step.
# Used by docker-compose.yml; not built on the development machines (they have no Docker engine): a unit test checks
# that every source folder the Haven process imports is copied.

# Stage 1: production dependencies. better-sqlite3 compiles from source when no prebuilt binary fits, so the
# toolchain is here and stays out of the final image.
FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Stage 2: the web chat's static files, built by Vite (dev dependencies stay in this stage).
FROM dependencies AS webchat
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY core ./core
COPY webchat ./webchat
RUN npm run build:webchat

# Stage 3: the runtime: sources and production node_modules, run as an unprivileged user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HAVEN_CONFIG=/etc/haven/haven.yaml \
    HAVEN_DATA_DIR=/var/lib/haven
RUN groupadd --system --gid 10001 haven \
 && useradd --system --uid 10001 --gid haven --home-dir /var/lib/haven --shell /usr/sbin/nologin haven \
 && mkdir -p /var/lib/haven /etc/haven \
 && chown haven:haven /var/lib/haven \
 && chmod 0700 /var/lib/haven
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY admin ./admin
COPY bin ./bin
COPY bots ./bots
COPY bridge ./bridge
COPY config ./config
COPY core ./core
COPY webchat/server ./webchat/server
COPY webchat/shared ./webchat/shared
COPY --from=webchat /app/webchat/dist ./webchat/dist
USER haven
# Haven's state (SQLite database, the bots' sealed crypto stores): mount a volume here.
VOLUME ["/var/lib/haven"]
ENTRYPOINT ["node", "bin/haven.ts"]
CMD ["start"]
