package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which images a build pulls: the stages it reaches, their FROM, COPY --from and --mount from images. */
class DockerfileStagesTest {

    private static List<String> names(String dockerfile, Optional<String> target, Map<String, String> args,
            List<String> platforms) throws DockerfileArgs.DockerfileException {
        return DockerfileStages.imagesUsed(dockerfile, target, args, platforms).stream()
                .map(u -> u.instruction() + " " + u.name().orElse("?" + u.unknown()) + " @" + u.line()).toList();
    }

    private static List<String> names(String dockerfile) throws DockerfileArgs.DockerfileException {
        return names(dockerfile, Optional.empty(), Map.of(), List.of());
    }

    @Test
    void onlyTheStagesTheTargetNeedsCount() throws Exception {
        String dockerfile = """
                FROM golang:1.22 AS build
                RUN go build
                FROM node:20 AS docs
                RUN npm run docs
                FROM build AS test
                RUN go test
                FROM gcr.io/distroless/static AS runtime
                COPY --from=build /app /app
                COPY --from=docs /site /site
                FROM runtime AS debug
                COPY --from=busybox:1.36 /bin/sh /bin/sh
                """;
        // The last stage: debug, which needs runtime, which needs build and docs.
        assertThat(names(dockerfile)).containsExactly("FROM golang:1.22 @1", "FROM node:20 @3",
                "FROM gcr.io/distroless/static @7", "COPY --from busybox:1.36 @11");
        assertThat(names(dockerfile, Optional.of("RUNTIME"), Map.of(), List.of())).containsExactly(
                "FROM golang:1.22 @1", "FROM node:20 @3", "FROM gcr.io/distroless/static @7");
        assertThat(names(dockerfile, Optional.of("test"), Map.of(), List.of())).containsExactly("FROM golang:1.22 @1");
        // BuildKit refuses a target the Dockerfile does not name.
        assertThatThrownBy(() -> names(dockerfile, Optional.of("nope"), Map.of(), List.of()))
                .isInstanceOf(DockerfileArgs.DockerfileException.class)
                .hasMessage("target stage \"nope\" could not be found");
    }

    @Test
    void scratchStageIndexesMountsAndLaterStagesAreNoImages() throws Exception {
        String dockerfile = """
                FROM scratch AS files
                FROM alpine:3.19
                COPY --from=0 / /
                COPY --from=later /x /x
                RUN --mount=type=cache,target=/root/.cache \\
                    --mount=type=bind,from=python:3.12,source=/usr,target=/py true
                RUN --mount=from=files,target=/f true
                FROM debian:12 AS later
                """;
        // The unnamed second stage is not the last: target it through the last, which is 'later'.
        assertThat(names(dockerfile)).containsExactly("FROM debian:12 @8");
        String second = dockerfile.replace("FROM debian:12 AS later\n", "") .replace("COPY --from=later /x /x\n", "");
        assertThat(names(second)).containsExactly("FROM alpine:3.19 @2", "RUN --mount python:3.12 @4");
        assertThat(names(dockerfile.replace("FROM debian:12 AS later\n", "FROM debian:12 AS later\nFROM alpine:3.19\n"
                + "COPY --from=LATER /x /x\n"))).containsExactly("FROM debian:12 @8", "FROM alpine:3.19 @9");
    }

    @Test
    void fromLinesAreExpandedWithTheGlobalArgsAndTheBuildsArguments() throws Exception {
        String dockerfile = """
                ARG REGISTRY=ghcr.io/acme
                ARG VERSION=1.2
                ARG IMAGE=${REGISTRY}/base:${VERSION}
                ARG NONE
                FROM ${IMAGE} AS base
                FROM --platform=$BUILDPLATFORM $REGISTRY/tools:${VERSION:-0} AS tools
                FROM alpine${NONE}:${UNDECLARED:-3.19} AS plain
                FROM base-${TARGETARCH} AS arch
                FROM ${NONE:+x}scratch
                COPY --from=base / /
                COPY --from=tools / /
                COPY --from=plain / /
                COPY --from=arch / /
                """;
        assertThat(names(dockerfile)).containsExactly("FROM ghcr.io/acme/base:1.2 @5", "FROM ghcr.io/acme/tools:1.2 @6",
                "FROM alpine:3.19 @7", "FROM ?[TARGETARCH] @8");
        // A build argument overrides a declared ARG; with one platform, the TARGET* ARGs are known.
        assertThat(names(dockerfile, Optional.empty(), Map.of("VERSION", "2.0", "UNKNOWN", "x"),
                List.of("linux/arm64"))).containsExactly("FROM ghcr.io/acme/base:2.0 @5",
                        "FROM ghcr.io/acme/tools:2.0 @6", "FROM alpine:3.19 @7", "FROM base-arm64 @8");
        // Every parameter expansion is BuildKit's (its shell lexer): ${V%.*} drops the shortest ".*" suffix.
        assertThat(names("ARG V=1.2.3\nFROM node:${V%.*}\n")).containsExactly("FROM node:1.2 @2");
        assertThat(names("FROM img-$BUILDARCH\n")).containsExactly("FROM ?[BUILDARCH] @1");
        // An escaped dollar is a dollar.
        assertThat(names("FROM a\\$b\n")).containsExactly("FROM a$b @1");
    }

    @Test
    void heredocBodiesContinuationsAndTheEscapeDirectiveAreReadAsBuildKitDoes() throws Exception {
        String dockerfile = """
                # syntax=docker/dockerfile:1
                # escape=`
                FROM `
                  # a comment inside the continuation
                  alpine:3.19 AS base
                RUN <<EOF
                FROM evil:latest
                EOF
                FROM base
                COPY --from=nginx:1.25 /etc/nginx /etc/nginx
                COPY <<-"ONE" /one <<TWO /two
                \tFROM evil:two
                \tONE
                FROM evil:three
                TWO
                """;
        // Read as instructions, the heredoc bodies would make evil:three the last stage.
        assertThat(names(dockerfile)).containsExactly("FROM alpine:3.19 @3", "COPY --from nginx:1.25 @10");
    }

    @Test
    void triggersOfTheBaseStageAddTheirImagesAndStages() throws Exception {
        String dockerfile = """
                FROM alpine:3.19 AS base
                ONBUILD COPY --from=busybox:1.36 /bin/sh /sh
                ONBUILD RUN --mount=from=tools,target=/t true
                FROM debian:12 AS tools
                FROM base
                """;
        // BuildKit runs base's triggers in the last stage, placed at its FROM: busybox and the stage tools count.
        assertThat(names(dockerfile)).containsExactly("FROM alpine:3.19 @1", "FROM debian:12 @4",
                "COPY --from busybox:1.36 @5");
        // Built itself, base runs no trigger.
        assertThat(names(dockerfile, Optional.of("base"), Map.of(), List.of())).containsExactly("FROM alpine:3.19 @1");
    }

    @Test
    void aBaseStageIsAnEarlierStageNamedWithTheSameCase() throws Exception {
        // BuildKit looks the expanded FROM name up as it is: "Build" is no stage (and no valid image name).
        assertThat(names("FROM alpine AS build\nFROM Build\n")).containsExactly("FROM Build @2");
        assertThat(names("FROM alpine AS build\nFROM build\n")).containsExactly("FROM alpine @1");
        // A stage named further down is an image for FROM.
        assertThat(names("FROM later AS first\nFROM debian AS later\n", Optional.of("first"), Map.of(), List.of()))
                .containsExactly("FROM later @1");
    }

    @Test
    void platformArgsAreBuildKitsAndTheBuildArgumentsOverrideThem() throws Exception {
        String dockerfile = """
                ARG IMAGE=base-${TARGETARCH}
                FROM $IMAGE
                FROM tools-${TARGETSTAGE}
                """;
        // What a global ARG's default needs is what the FROM that uses it needs.
        assertThat(names(dockerfile, Optional.empty(), Map.of(), List.of("linux/amd64", "linux/arm64")))
                .containsExactly("FROM tools-default @3");
        assertThat(names("ARG IMAGE=base-${TARGETARCH}\nFROM $IMAGE\n")).containsExactly("FROM ?[TARGETARCH] @2");
        // BuildKit's platform ARGs take a build argument of their name, declared or not.
        assertThat(names("FROM img-$BUILDARCH\n", Optional.empty(), Map.of("BUILDARCH", "riscv64"), List.of()))
                .containsExactly("FROM img-riscv64 @1");
    }

    @Test
    void whatBuildKitRefusesIsRefusedWithTheLine() {
        assertRefused("FROM alpine\nCOPY --from=$IMAGE / /\n", 2, "variable expansion is not supported for --from");
        assertRefused("ARG X=a\nFROM alpine\nRUN --mount=from=$X,target=/t true\n", 3,
                "'from' doesn't support variable expansion");
        assertRefused("FROM alpine\nCOPY --from=3 / /\n", 2, "invalid stage index 3");
        assertRefused("FROM alpine AS a\nCOPY --from=b / /\nFROM alpine AS b\nCOPY --from=a / /\n", 4,
                "circular dependency detected on stage: a");
        assertRefused("ARG NONE\nFROM ${NONE}\n", 2, "base name (${NONE}) should not be blank");
        assertRefused("FROM ${X:?needed}\n", 1, "X: needed");
        assertRefused("FROM alpine\nRUN <<EOF\ntrue\n", 2, "unterminated heredoc");
        assertRefused("RUN true\n", 1, "no build stage in current context");
    }

    private static void assertRefused(String dockerfile, int line, String message) {
        assertThatThrownBy(() -> names(dockerfile)).isInstanceOfSatisfying(DockerfileArgs.DockerfileException.class,
                e -> {
                    assertThat(e.getMessage()).contains(message);
                    assertThat(e.line()).isEqualTo(line);
                });
    }
}
