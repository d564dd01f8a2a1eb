FROM alpine AS build-linux
ARG LINUX_ONLY
RUN echo $LINUX_ONLY
FROM alpine AS build-windows
ARG WINDOWS_ONLY
RUN echo $WINDOWS_ONLY
FROM build-${TARGETOS} AS build
FROM scratch
COPY --from=build / /
