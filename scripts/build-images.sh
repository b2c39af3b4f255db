#!/usr/bin/env bash
# Builds and tags every image of the shop from the one Dockerfile: <app>:v1, plus product-catalog:v2 and
# order-management:v2 (same code, SERVICE_VERSION=v2 by default), and loadgen:v1.
# Usage: scripts/build-images.sh [REGISTRY_PREFIX]   e.g. scripts/build-images.sh ghcr.io/me/  (then push)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
prefix=${1:-}
build() { # app port version
  echo "== ${prefix}$1:$3"
  docker build --build-arg "APP=$1" --build-arg "PORT=$2" --build-arg "SERVICE_VERSION=$3" -t "${prefix}$1:$3" .
}
build ecommerce-ui 4000 v1
build product-catalog 3001 v1
build product-catalog 3001 v2
build product-inventory 3002 v1
build profile-management 3003 v1
build order-management 9090 v1
build order-management 9090 v2
build shipping-and-handling 8080 v1
build contact-support-team 8000 v1
build loadgen 8089 v1
