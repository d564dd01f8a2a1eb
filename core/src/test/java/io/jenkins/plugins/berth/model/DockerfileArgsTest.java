package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The ARG scan on the cases where Berth and BuildKit used to disagree (issue 22), each with the answer
 * BuildKit gives ({@code tools/buildkit-args}; {@code DockerfileArgsBuildKitTest} runs the same files
 * through it, under {@code dockerfiles/edge/}).
 */
class DockerfileArgsTest {

    private static List<String> required(String dockerfile) throws Exception {
        return required(dockerfile, Optional.empty());
    }

    private static List<String> required(String dockerfile, Optional<String> target) throws Exception {
        return DockerfileArgs.scan(dockerfile, target).requiredArgs().stream().map(a -> a.name() + "@" + a.line())
                .toList();
    }

    @Test
    void globalArgsUsedInFromAreRequiredWithoutADefault() throws Exception {
        List<DockerfileArgs.Arg> args = DockerfileArgs.scan("""
                ARG NODE_VERSION
                ARG DISTRO=bookworm
                ARG UNUSED
                FROM node:${NODE_VERSION}-$DISTRO-slim
                """).args();
        assertThat(args).containsExactly(
                new DockerfileArgs.Arg("NODE_VERSION", Optional.empty(), 1, Optional.empty(), true, true, true),
                new DockerfileArgs.Arg("DISTRO", Optional.of("bookworm"), 2, Optional.empty(), true, false, true),
                new DockerfileArgs.Arg("UNUSED", Optional.empty(), 3, Optional.empty(), false, false, true));
    }

    @Test
    void anArgUsedOnlyInTheDefaultOfAnotherIsRequired() throws Exception {
        // Passed validate, then the build copied "app-.txt".
        assertThat(required("""
                ARG VERSION
                ARG TARBALL=app-${VERSION}.txt
                FROM alpine
                ARG TARBALL
                COPY ${TARBALL} /app/
                """)).containsExactly("VERSION@1");
        assertThat(required("""
                FROM alpine
                ARG VERSION
                ARG NAME=app-$VERSION
                """)).containsExactly("VERSION@2");
    }

    @Test
    void parameterExpansionsAreUsesAndFallbacksAreNotRequirements() throws Exception {
        assertThat(required("""
                FROM alpine
                ARG PREFIX
                ARG SUFFIX
                ARG PATTERN
                ARG DEFAULTED
                ARG ALTERNATE
                ARG CHECKED
                ARG EMPTY_DEFAULT
                WORKDIR /${PREFIX#v}/${SUFFIX%.tar}/${PATTERN/-/_}
                ENV A=${DEFAULTED:-x} B=${ALTERNATE:+y} C=${CHECKED:?unset} D=${EMPTY_DEFAULT:-}
                """)).containsExactly("PREFIX@2", "SUFFIX@3", "PATTERN@4", "CHECKED@7", "EMPTY_DEFAULT@8");
        DockerfileArgs.Scan scan = DockerfileArgs.scan("""
                FROM alpine
                ARG DEFAULTED
                ARG ALTERNATE
                RUN echo ${DEFAULTED-x} ${ALTERNATE+y}
                """);
        assertThat(scan.used()).containsExactly("ALTERNATE", "DEFAULTED");
        assertThat(scan.required()).isEmpty();
    }

    @Test
    void aRedeclaredArgKeepsTheValueItHadAndEachDeclarationCounts() throws Exception {
        assertThat(required("""
                FROM alpine
                ARG MODE
                RUN echo $MODE
                ARG MODE=release
                RUN echo $MODE
                """)).containsExactly("MODE@2");
        assertThat(required("""
                FROM alpine
                ARG MODE=release
                ARG MODE
                RUN echo $MODE
                """)).isEmpty();
    }

    @Test
    void heredocBodiesAreNotInstructions() throws Exception {
        // The body's "ARG" and "FROM" lines are text of the file; only the body's $B is read by the shell.
        DockerfileArgs.Scan scan = DockerfileArgs.scan("""
                FROM alpine
                ARG A
                ARG B
                COPY <<'EOF' /notes.txt
                ARG HIDDEN
                FROM $A
                EOF
                RUN <<EOF
                echo $B
                EOF
                """);
        assertThat(scan.args()).extracting(DockerfileArgs.Arg::name).containsExactly("A", "B");
        assertThat(scan.requiredArgs()).extracting(DockerfileArgs.Arg::name).containsExactly("B");
        assertThat(scan.reached()).containsExactly("0");
    }

    @Test
    void execFormRunCmdAndEscapedDollarsReadNothing() throws Exception {
        assertThat(required("""
                FROM alpine
                ARG A
                ARG B
                ARG C
                ARG D
                RUN ["echo", "$A"]
                CMD echo $B
                ENTRYPOINT ["sh", "-c", "echo $C"]
                RUN echo \\$D '$D'
                """)).isEmpty();
    }

    @Test
    void anEnvOfTheSameNameShadowsTheArg() throws Exception {
        assertThat(required("""
                FROM alpine
                ARG PORT
                ENV PORT=8080
                EXPOSE $PORT
                """)).isEmpty();
        assertThat(required("""
                FROM alpine
                ARG PORT
                ENV PORT=${PORT}
                """)).containsExactly("PORT@2");
    }

    @Test
    void onbuildIsEvaluatedOnlyByTheStagesBuiltOnIt() throws Exception {
        String dockerfile = """
                FROM alpine AS base
                ARG TOKEN
                ONBUILD RUN echo $TOKEN
                FROM base AS child
                RUN true
                FROM alpine AS other
                COPY --from=base / /
                """;
        assertThat(required(dockerfile, Optional.of("base"))).isEmpty();
        assertThat(required(dockerfile, Optional.of("other"))).isEmpty();
        assertThat(required(dockerfile, Optional.of("child"))).containsExactly("TOKEN@2");
    }

    @Test
    void builtInArgsAreNeverRequired() throws Exception {
        assertThat(required("""
                FROM alpine
                ARG TARGETPLATFORM
                ARG TARGETOS
                ARG TARGETARCH
                ARG TARGETVARIANT
                ARG BUILDPLATFORM
                ARG TARGETSTAGE
                ARG BUILDKIT_MULTI_PLATFORM
                ARG BUILDKIT_INLINE_CACHE
                ARG HTTP_PROXY
                ARG no_proxy
                ARG SOURCE_DATE_EPOCH
                RUN echo $TARGETPLATFORM $TARGETOS $TARGETARCH $TARGETVARIANT $BUILDPLATFORM $TARGETSTAGE \\
                    $BUILDKIT_MULTI_PLATFORM $BUILDKIT_INLINE_CACHE $HTTP_PROXY $no_proxy $SOURCE_DATE_EPOCH
                """)).isEmpty();
    }

    @Test
    void argsOfStagesTheTargetNeverReachesAreNotDemanded() throws Exception {
        String dockerfile = """
                FROM alpine AS build
                ARG BUILD_TOKEN
                RUN fetch $BUILD_TOKEN
                FROM alpine AS test
                ARG TEST_DB
                RUN test $TEST_DB
                FROM alpine AS runtime
                COPY --from=build /out /out
                """;
        assertThat(required(dockerfile)).containsExactly("BUILD_TOKEN@2");
        assertThat(required(dockerfile, Optional.of("test"))).containsExactly("TEST_DB@5");
        DockerfileArgs.Scan scan = DockerfileArgs.scan(dockerfile);
        assertThat(scan.reached()).containsExactly("build", "runtime");
        assertThat(scan.args()).filteredOn(a -> a.name().equals("TEST_DB")).extracting(DockerfileArgs.Arg::built)
                .containsExactly(false);
    }

    @Test
    void everyFromLineIsEvaluatedEvenOfStagesNotBuilt() throws Exception {
        // BuildKit expands each stage's base name and fails on a blank or malformed one, built or not.
        assertThat(required("""
                ARG BUILDER
                FROM ${BUILDER} AS tools
                FROM alpine
                """)).containsExactly("BUILDER@1");
    }

    @Test
    void aStageBuiltOnAnotherSeesItsArgsAndEnv() throws Exception {
        assertThat(required("""
                FROM alpine AS base
                ARG VERSION
                ARG SET=1
                FROM base
                RUN echo $VERSION $SET
                """)).containsExactly("VERSION@2");
    }

    @Test
    void continuationsCommentsSeveralArgsPerLineAndQuotes() throws Exception {
        assertThat(required("""
                # syntax=docker/dockerfile:1
                FROM debian
                ARG A="x y" B \\
                    C='z'
                # a comment between continued lines
                RUN echo $A \\
                # comment inside the instruction

                    $B ${C}
                """)).containsExactly("B@3");
    }

    @Test
    void theEscapeDirectiveChangesTheContinuationCharacter() throws Exception {
        assertThat(required("""
                # escape=`
                FROM mcr.microsoft.com/windows/servercore
                ARG DIR
                RUN dir `
                    %DIR% $DIR
                """)).containsExactly("DIR@3");
    }

    @Test
    void mountsAndCopyFlagsAreExpanded() throws Exception {
        assertThat(required("""
                FROM alpine
                ARG CACHE_ID
                ARG OWNER
                RUN --mount=type=cache,id=${CACHE_ID},target=/cache true
                COPY --chown=$OWNER a /a
                """)).containsExactly("CACHE_ID@2", "OWNER@3");
    }

    @Test
    void theSameArgInSeveralStagesIsReportedOnceAtItsFirstDeclaration() throws Exception {
        DockerfileArgs.Scan scan = DockerfileArgs.scan("""
                FROM a AS one
                ARG KEY
                RUN use $KEY
                FROM b
                ARG KEY
                COPY --from=one /x /x
                RUN use $KEY
                """);
        assertThat(scan.required()).containsOnlyKeys("KEY");
        assertThat(scan.required().get("KEY")).containsExactly(2, 5);
        assertThat(scan.requiredArgs()).extracting(a -> a.name() + "@" + a.line()).containsExactly("KEY@2");
    }

    @Test
    void aDockerfileBuildKitRefusesIsAnErrorWithItsLine() {
        assertThatThrownBy(() -> DockerfileArgs.scan("""
                FROM alpine
                RUN <<EOF
                echo never ends
                """)).isInstanceOf(DockerfileArgs.DockerfileException.class).hasMessageContaining("unterminated heredoc")
                .extracting(e -> ((DockerfileArgs.DockerfileException) e).line()).isEqualTo(2);
        assertThatThrownBy(() -> DockerfileArgs.scan("FROM alpine\nFROBNICATE x\n"))
                .hasMessageContaining("unknown instruction: FROBNICATE");
        assertThatThrownBy(() -> DockerfileArgs.scan("FROM alpine AS a\n", Optional.of("b")))
                .hasMessageContaining("target stage \"b\" could not be found");
    }
}
