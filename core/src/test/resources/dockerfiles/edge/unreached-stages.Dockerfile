FROM alpine AS build
ARG BUILD_TOKEN
RUN fetch $BUILD_TOKEN
FROM alpine AS test
ARG TEST_DB
RUN test $TEST_DB
FROM alpine AS docs
ARG DOCS_URL
COPY --from=test /r /r
RUN curl $DOCS_URL
FROM alpine AS runtime
COPY --from=build /out /out
