#!/usr/bin/env bash
# `npm start` with the machine's own npm and Node 20 or newer: provisions the Node of .nvmrc into the
# cache .ci/run uses (when the machine's is another), installs, builds, then becomes the launcher
# (exec), so that the signals npm forwards (SIGINT, SIGTERM) reach the launcher itself.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${SHOP_CI_CACHE:-$HOME/.cache/service-mesh-shop}
node_version=$(tr -d '[:space:]' < "$repo/.nvmrc")
if [ "$(node -p 'process.versions.node.split(".")[0]')" != "$node_version" ]; then
  node_dir="$cache/node$node_version"
  if [ ! -x "$node_dir/node_modules/.bin/node" ]; then
    echo "Node $(node --version) here; installing Node $node_version into $node_dir (once)"
    npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error "node@$node_version"
  fi
  export PATH="$node_dir/node_modules/.bin:$PATH"
fi
cd "$repo"
echo "Installing packages and building the apps"
npm install --no-audit --no-fund --loglevel=error
npm run build --silent -- --output-logs=errors-only
exec node packages/launcher/dist/start.js "$@"
