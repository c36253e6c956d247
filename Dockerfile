# chitragupt: multi-stage image on Debian 12 (bookworm).
#   build:   the Debian -dev packages of scripts/install-deps.sh, cmake, the `chitragupt` target
#   runtime: debian:bookworm-slim with only the shared libraries the binary needs, run as the
#            unprivileged user `chitragupt`; /app/data (SQLite databases and their backups)
#            belongs to it.
# docker compose up --build (see docker-compose.yaml and docs/quickstart.md).

FROM debian:12 AS build
WORKDIR /src
# The build dependencies come from one list, the same one a developer machine uses.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /src/build-image -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCHITRAGUPT_BUILD_TESTS=OFF \
 && cmake --build /src/build-image --target chitragupt kafka-metrics-gen -j"$(nproc)" \
 && strip --strip-debug /src/build-image/chitragupt /src/build-image/kafka-metrics-gen

FROM debian:bookworm-slim AS runtime
# Runtime libraries only (no compiler, no headers); curl is the health check's probe.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libcaf-core0.17 libcpp-httplib0.11 libyaml-cpp0.7 libsqlite3-0 libpq5 libssl3 \
        libspdlog1.10 libfmt9 libdate-tz3 librdkafka1 libstdc++6 libgcc-s1 zlib1g tzdata ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 chitragupt \
 && useradd --system --uid 10001 --gid chitragupt --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin chitragupt \
 && mkdir -p /app/config /app/data \
 && chown chitragupt:chitragupt /app/data \
 && chmod 0750 /app/data
COPY --from=build /src/build-image/chitragupt /usr/local/bin/chitragupt
# The demo's metric generator (deploy/self-managed/): a month of a Kafka cluster's metrics.
COPY --from=build /src/build-image/kafka-metrics-gen /usr/local/bin/kafka-metrics-gen
WORKDIR /app
USER chitragupt
VOLUME ["/app/data"]
EXPOSE 8080
# sqlite:///data/x.db in the config is relative to /app, i.e. /app/data/x.db on the volume.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["/usr/local/bin/chitragupt"]
CMD ["--config-file", "/app/config/config.yaml", "--mode", "both"]
