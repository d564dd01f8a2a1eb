FROM alpine
ARG FIRST
RUN echo $FIRST > /f
FROM alpine
ARG SECOND
RUN echo $SECOND
FROM scratch
COPY --from=0 /f /f
