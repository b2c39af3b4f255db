# FerretDB (a MongoDB wire-protocol server on SQLite) for the compose CI run, on the same Debian base.
# Configured by FerretDB's own FERRETDB_* variables; data in /data/db, owned by an unprivileged user.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY ferretdb /usr/local/bin/ferretdb
RUN mkdir -p /data/db && chown 10001:10001 /data/db
ENV FERRETDB_HANDLER=sqlite \
    FERRETDB_SQLITE_URL=file:/data/db/ \
    FERRETDB_STATE_DIR=/data/db \
    FERRETDB_LISTEN_ADDR=:27017 \
    FERRETDB_DEBUG_ADDR=127.0.0.1:0 \
    FERRETDB_TELEMETRY=disable \
    FERRETDB_LOG_LEVEL=warn
USER 10001:10001
EXPOSE 27017
ENTRYPOINT ["/usr/local/bin/ferretdb"]
