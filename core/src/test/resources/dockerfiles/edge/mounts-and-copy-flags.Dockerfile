FROM alpine AS deps
RUN true
FROM alpine
ARG CACHE_ID
ARG OWNER
ARG MODE
ARG CHECKSUM
ARG SECRET_ID
RUN --mount=type=cache,id=${CACHE_ID},target=/cache --mount=type=bind,from=deps,target=/deps true
RUN --mount=type=secret,id=$SECRET_ID,required ["cat", "/run/secrets/x"]
COPY --chown=$OWNER --chmod=$MODE a /a
ADD --checksum=sha256:$CHECKSUM https://example.com/a.tar.gz /b
