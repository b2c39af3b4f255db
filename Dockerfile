# syntax=docker/dockerfile:1
# One image recipe for every app of the shop:
#   docker build --build-arg APP=product-catalog --build-arg PORT=3001 -t product-catalog:v1 .
# `npm run images` builds and tags them all (and the v2 variants).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG APP
WORKDIR /repo
COPY . .
# Build the app and the workspace packages it uses, then keep only its production dependencies.
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --filter="@shop/${APP}..." \
 && npm ci --omit=dev --no-audit --no-fund --workspace="@shop/${APP}" \
 && rm -rf packages/*/src apps/*/src apps/*/test packages/*/test

FROM ${NODE_IMAGE} AS runtime
ARG APP
ARG PORT
ARG SERVICE_VERSION=v1
ENV NODE_ENV=production \
    PORT=${PORT} \
    SERVICE_VERSION=${SERVICE_VERSION}
WORKDIR /repo
COPY --from=build --chown=root:root /repo/package.json /repo/package-lock.json ./
COPY --from=build --chown=root:root /repo/node_modules ./node_modules
COPY --from=build --chown=root:root /repo/packages ./packages
COPY --from=build --chown=root:root /repo/apps/${APP} ./apps/${APP}
WORKDIR /repo/apps/${APP}
# Files belong to root and the process runs as an unprivileged user: nothing in the image is writable
# by the app, so a read-only root filesystem changes nothing.
USER 10001:10001
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=2s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Tracing loads before the app, so http and fetch are instrumented from the first request.
CMD ["node", "--import", "@shop/tracing/register", "dist/server.js"]
