# One image recipe for every app of the shop:
#   docker build --build-arg APP=product-catalog --build-arg PORT=3001 -t product-catalog:v1 .
# `npm run images` builds and tags them all (and the v2 variants).
# Every app shares the stages before `runtime`: one dependency install and one build of the whole
# workspace, cached by the engine, so the second and later images only copy their own app's files.
ARG NODE_IMAGE=node:24-bookworm-slim
# The base of the install and build stages only. `npm run images` points it at NODE_IMAGE plus the
# building machine's CA bundle (NODE_EXTRA_CA_CERTS, for TLS-inspecting proxies); the runtime stage
# starts again from NODE_IMAGE, so that bundle never reaches an app image.
ARG BUILD_IMAGE=${NODE_IMAGE}

# The manifests alone, so the installs below are reused until a dependency changes.
FROM ${BUILD_IMAGE} AS manifests
WORKDIR /repo
COPY package.json package-lock.json .npmrc ./
# Fixes to dependencies, applied by the install's postinstall (patch-package; patches/README.md).
COPY patches patches/
COPY apps/contact-support-team/package.json apps/contact-support-team/
COPY apps/ecommerce-ui/package.json apps/ecommerce-ui/
COPY apps/loadgen/package.json apps/loadgen/
COPY apps/order-management/package.json apps/order-management/
COPY apps/product-catalog/package.json apps/product-catalog/
COPY apps/product-inventory/package.json apps/product-inventory/
COPY apps/profile-management/package.json apps/profile-management/
COPY apps/shipping-and-handling/package.json apps/shipping-and-handling/
COPY packages/catalog-data/package.json packages/catalog-data/
COPY packages/contracts/package.json packages/contracts/
COPY packages/launcher/package.json packages/launcher/
COPY packages/local-runtime/package.json packages/local-runtime/
COPY packages/service-kit/package.json packages/service-kit/
COPY packages/test-support/package.json packages/test-support/
COPY packages/tracing/package.json packages/tracing/

# What the apps need at run time: the production dependencies of all of them, installed once.
FROM manifests AS production-dependencies
# The workspace root too: its one production dependency is patch-package, which the postinstall runs.
RUN npm ci --omit=dev --no-audit --no-fund --workspace=apps --include-workspace-root

# Every app and package built once, then only what runs kept: no sources, tests or dev dependencies.
FROM manifests AS build
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx turbo run build --filter='./apps/*' --concurrency=2 --output-logs=errors-only \
 && rm -rf node_modules apps/*/node_modules packages/*/node_modules \
      apps/*/src apps/*/test apps/*/scripts packages/*/src packages/*/test packages/*/scripts

FROM ${NODE_IMAGE} AS runtime
WORKDIR /repo
# Shared by every image (the same layers in the engine): dependencies, then the workspace packages.
COPY --from=production-dependencies --chown=root:root /repo ./
COPY --from=build --chown=root:root /repo/packages ./packages
ARG APP
COPY --from=build --chown=root:root /repo/apps/${APP} ./apps/${APP}
ARG PORT
ARG SERVICE_VERSION=v1
# V8's young generation in MiB, per app (youngGenerationMiB in packages/contracts/src/apps.ts).
ARG YOUNG_GENERATION_MIB=1
# Two malloc arenas, not one per thread that allocates (glibc's default): the BFF idled 2 MiB lower.
ENV NODE_ENV=production \
    PORT=${PORT} \
    SERVICE_VERSION=${SERVICE_VERSION} \
    NODE_OPTIONS=--max-semi-space-size=${YOUNG_GENERATION_MIB} \
    MALLOC_ARENA_MAX=2
WORKDIR /repo/apps/${APP}
# Files belong to root and the process runs as an unprivileged user: nothing in the image is writable
# by the app, so a read-only root filesystem changes nothing.
USER 10001:10001
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=2s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Tracing loads before the app, so http and fetch are instrumented from the first request. A young
# generation of 1 MiB per semi-space (NODE_OPTIONS above; Node's default grows to 16; 2 for the
# catalog, 4 for the BFF) and an old generation capped at 128 MiB (an app's live heap is 20-50 MiB)
# keep each app near 100 MiB idle and far below its limit after load (packages/bench, k8s/README.md).
# No allocation-site pretenuring: it tenured a traced request's objects under load, for mark-compacts
# to collect (heapFlags in packages/local-runtime/src/apps.ts, which test/images holds to this).
CMD ["node", "--max-old-space-size=128", "--no-allocation-site-pretenuring", "--import", "@shop/tracing/register", "dist/server.js"]
