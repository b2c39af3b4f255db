# A stand-in for node:24-bookworm-slim when no registry is reachable: Debian bookworm (debootstrap
# minbase + ca-certificates, imported as BASE_IMAGE), Node from the npm `node@24` package, and npm.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
ARG NPM_TARBALL
COPY node /usr/local/bin/node
COPY ${NPM_TARBALL} /tmp/npm.tgz
RUN mkdir -p /usr/local/lib/node_modules/npm \
 && tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
 && rm /tmp/npm.tgz \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
CMD ["node"]
