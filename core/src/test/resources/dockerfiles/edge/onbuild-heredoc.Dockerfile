FROM alpine AS base
ARG CONF
ONBUILD COPY <<EOF /conf
$CONF
EOF
FROM base
RUN true
