# syntax=docker/dockerfile:1.7
#
# AutoVoice images. One Dockerfile, two runtime targets:
#   docker build --target runtime-cpu -t autovoice:cpu .
#   docker build --target runtime-gpu -t autovoice:gpu .
# The builder stage has the full toolchain (better-sqlite3 compiles there); runtime stages carry
# only node, the compiled JavaScript and production node_modules — no compilers, no dev deps.

ARG NODE_IMAGE=node:20.20.2-bookworm
ARG NODE_SLIM_IMAGE=node:20.20.2-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04

# ── builder ───────────────────────────────────────────────────────────────────
FROM ${NODE_IMAGE} AS builder
WORKDIR /app
# Manifests first so the dependency layer is cached until they change.
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# GPU builder: same tree, plus onnxruntime-node's CUDA 12 execution provider. Its install
# script downloads the CUDA binaries; the committed .npmrc skips that for CPU/offline installs,
# and the environment variable below overrides it here (ONNXRUNTIME_NODE_INSTALL wins over .npmrc).
FROM builder AS builder-gpu
RUN ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js

# ── shared runtime layout ─────────────────────────────────────────────────────
FROM ${NODE_SLIM_IMAGE} AS runtime-cpu
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="AutoVoice" \
      org.opencontainers.image.description="Self-hosted voice cloning, conversion, song conversion and TTS (CPU)" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="https://github.com/autovoice/autovoice"
ENV NODE_ENV=production \
    AUTOVOICE_HOST=0.0.0.0 \
    AUTOVOICE_PORT=5000 \
    AUTOVOICE_DATA_DIR=/data
RUN groupadd --system --gid 10001 autovoice \
 && useradd --system --uid 10001 --gid autovoice --home-dir /app --shell /usr/sbin/nologin autovoice \
 && mkdir -p /data && chown autovoice:autovoice /data
WORKDIR /app
COPY --from=builder --chown=root:root /app/package.json /app/.npmrc ./
COPY --from=builder --chown=root:root /app/node_modules ./node_modules
COPY --from=builder --chown=root:root /app/dist ./dist
COPY --chown=root:root bin ./bin
USER autovoice
VOLUME ["/data"]
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/bin/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/bin/autovoice.mjs"]
CMD ["serve"]

# ── GPU runtime ───────────────────────────────────────────────────────────────
FROM ${NODE_SLIM_IMAGE} AS node-binary
FROM ${CUDA_IMAGE} AS runtime-gpu
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="AutoVoice" \
      org.opencontainers.image.description="Self-hosted voice cloning, conversion, song conversion and TTS (CUDA)" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="https://github.com/autovoice/autovoice"
ENV NODE_ENV=production \
    AUTOVOICE_HOST=0.0.0.0 \
    AUTOVOICE_PORT=5000 \
    AUTOVOICE_DATA_DIR=/data \
    AUTOVOICE_EXECUTION_PROVIDER=cuda \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
COPY --from=node-binary /usr/local/bin/node /usr/local/bin/node
RUN groupadd --system --gid 10001 autovoice \
 && useradd --system --uid 10001 --gid autovoice --home-dir /app --shell /usr/sbin/nologin autovoice \
 && mkdir -p /data && chown autovoice:autovoice /data
WORKDIR /app
COPY --from=builder-gpu --chown=root:root /app/package.json /app/.npmrc ./
COPY --from=builder-gpu --chown=root:root /app/node_modules ./node_modules
COPY --from=builder-gpu --chown=root:root /app/dist ./dist
COPY --chown=root:root bin ./bin
USER autovoice
VOLUME ["/data"]
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/bin/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/bin/autovoice.mjs"]
CMD ["serve"]
