FROM alpine AS base
ARG TOKEN
ARG SOURCE
ONBUILD RUN echo $TOKEN
ONBUILD COPY --from=assets /a /a
RUN true
FROM alpine AS assets
ARG ASSET_URL
ADD $ASSET_URL /a
FROM base AS child
RUN true
FROM alpine AS other
COPY --from=base / /
