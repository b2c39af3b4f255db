#!/usr/bin/env bash
# Builds and tags every image of the shop from the one Dockerfile: <app>:v1, plus product-catalog:v2 and
# order-management:v2 (same code, SERVICE_VERSION=v2 by default), and loadgen:v1, as the app registry
# lists them (scripts/list-images.ts).
# The images share the Dockerfile's install and build stages: the first image builds them, the other nine
# reuse them from the engine's cache and only add their own app's files.
# Usage: scripts/build-images.sh [REGISTRY_PREFIX]   e.g. scripts/build-images.sh ghcr.io/me/  (then push)
# Environment:
#   NODE_IMAGE       the Node base image (default node:24-bookworm-slim)
#   BUILD_CA_BUNDLE  a CA bundle the install trusts, as behind a TLS-inspecting proxy (default: this
#                    machine's /etc/ssl/certs/ca-certificates.crt when present; empty to trust only the
#                    image's own). It goes into the build stages' base only, never into an app image.
#   DOCKER           the docker client (default: docker)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
prefix=${1:-}
docker=${DOCKER:-docker}
node_image=${NODE_IMAGE:-node:24-bookworm-slim}
ca_bundle=${BUILD_CA_BUNDLE-/etc/ssl/certs/ca-certificates.crt}
# The classic builder keeps traffic on the host network (CI engines run without a bridge).
build_flags=(--network host --build-arg "NODE_IMAGE=$node_image")

if [ -n "$ca_bundle" ] && [ -f "$ca_bundle" ]; then
  context=$(mktemp -d)
  cp "$ca_bundle" "$context/build-ca-certificates.crt"
  cat >"$context/Dockerfile" <<'EOF'
ARG NODE_IMAGE
FROM ${NODE_IMAGE}
COPY build-ca-certificates.crt /usr/local/share/build-ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/build-ca-certificates.crt
EOF
  "$docker" build -q "${build_flags[@]}" -t shop-build-base:latest "$context" >/dev/null
  build_flags+=(--build-arg BUILD_IMAGE=shop-build-base:latest)
  echo "== the build stages trust $ca_bundle (image shop-build-base:latest)"
fi

log=$(mktemp)
trap 'rm -rf "$log" "${context:-}"' EXIT
build() { # app port version young-generation-MiB
  local started=$SECONDS
  "$docker" build "${build_flags[@]}" --build-arg "APP=$1" --build-arg "PORT=$2" \
    --build-arg "SERVICE_VERSION=$3" --build-arg "YOUNG_GENERATION_MIB=$4" \
    -t "${prefix}$1:$3" . >"$log" 2>&1 || { tail -n 40 "$log"; exit 1; }
  echo "== ${prefix}$1:$3 ($((SECONDS - started)) s)"
}
# The list comes from the app registry (packages/contracts/src/apps.ts), read by scripts/list-images.ts.
images=$(node scripts/list-images.ts)
while read -r app port version young_generation; do
  build "$app" "$port" "$version" "$young_generation"
done <<<"$images"
