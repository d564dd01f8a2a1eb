# The from= of a --mount is never expanded: BuildKit refuses a variable in it.
ARG TOOLS=golang:1.22
FROM alpine:3.19
RUN --mount=from=$TOOLS,target=/t true
