# syntax=docker/dockerfile:1
# wirewatch: a static binary on a distroless base, running as non-root, with
# the sample articles and the default rules inside. docs/operations.md has
# more; the variables set below are listed in docs/configuration.md.
#   docker build -t wirewatch .
#   docker run --rm -p 8080:8080 --env-file .env -v wirewatch-data:/data wirewatch

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# modernc.org/sqlite is pure Go: no cgo, a fully static binary.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/bot ./cmd/bot \
 && mkdir -p /out/data /out/corpus \
 && cp -r examples/corpus/. /out/corpus/ \
 && cp rules.yaml /out/rules.yaml

# distroless/static has CA certificates, time zone data and a nonroot user.
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/bot /app/bot
COPY --from=build /out/rules.yaml /app/rules.yaml
COPY --from=build /out/corpus /app/corpus
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV BOT_RULES=/app/rules.yaml \
    BOT_CORPUS_DIR=/app/corpus \
    BOT_DB=/data/wirewatch.db \
    BOT_HTTP_ADDR=:8080 \
    LOG_FORMAT=json
USER nonroot:nonroot
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/app/bot", "healthcheck"]
ENTRYPOINT ["/app/bot"]
CMD ["run"]
