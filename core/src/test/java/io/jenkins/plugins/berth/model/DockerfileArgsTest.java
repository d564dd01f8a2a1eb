package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerfileArgsTest {

    private static List<String> required(String dockerfile) {
        return DockerfileArgs.required(DockerfileArgs.scan(dockerfile)).stream()
                .map(a -> a.name() + "@" + a.line()).toList();
    }

    @Test
    void globalArgsUsedInFromAreRequiredWithoutADefault() {
        List<DockerfileArgs.Arg> args = DockerfileArgs.scan("""
                ARG NODE_VERSION
                ARG DISTRO=bookworm
                ARG UNUSED
                FROM node:${NODE_VERSION}-$DISTRO-slim
                """);
        assertThat(args).containsExactly(
                new DockerfileArgs.Arg("NODE_VERSION", Optional.empty(), 1, Optional.empty(), true, true),
                new DockerfileArgs.Arg("DISTRO", Optional.of("bookworm"), 2, Optional.empty(), true, false),
                new DockerfileArgs.Arg("UNUSED", Optional.empty(), 3, Optional.empty(), false, false));
    }

    @Test
    void stageArgsAreScopedToTheirStageAndInheritTheGlobalDefault() {
        List<DockerfileArgs.Arg> args = DockerfileArgs.scan("""
                ARG VERSION=1.2
                FROM alpine AS build
                ARG VERSION
                ARG TOKEN
                RUN echo $VERSION && fetch --token "${TOKEN}"
                FROM build AS final
                ARG TOKEN
                RUN echo done
                """);
        assertThat(args).extracting(a -> a.name() + "@" + a.line() + " " + a.stage().orElse("global") + " default="
                + a.defaultValue().orElse("-") + " required=" + a.required()).containsExactly(
                "VERSION@1 global default=1.2 required=false",
                "VERSION@3 build default=1.2 required=false",
                "TOKEN@4 build default=- required=true",
                "TOKEN@7 final default=- required=false");
    }

    @Test
    void continuationsCommentsSeveralArgsPerLineAndQuotes() {
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
    void fallbacksPredefinedArgsAndCaseInsensitiveInstructions() {
        assertThat(required("""
                from alpine
                arg MODE
                arg TARGETARCH
                arg OPTIONAL
                run echo ${MODE:-dev} ${OPTIONAL:+set} $TARGETARCH $HOME
                """)).isEmpty();
    }

    @Test
    void theEscapeDirectiveChangesTheContinuationCharacter() {
        assertThat(required("""
                # escape=`
                FROM mcr.microsoft.com/windows/servercore
                ARG DIR
                RUN dir `
                    %DIR% $DIR
                """)).containsExactly("DIR@3");
    }

    @Test
    void theSameArgInSeveralStagesIsReportedOnceAtItsFirstDeclaration() {
        assertThat(required("""
                FROM a AS one
                ARG KEY
                RUN use $KEY
                FROM b
                ARG KEY
                RUN use $KEY
                """)).containsExactly("KEY@2");
    }
}
