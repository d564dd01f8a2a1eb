package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Berth's ARG scan against BuildKit's own reading of the same Dockerfiles: {@code tools/buildkit-args}, a
 * small Go program built from the {@code github.com/moby/buildkit} module by {@code scripts/install-tools},
 * runs BuildKit's parser, instruction parser and shell lexer. For every Dockerfile and every target (the
 * default, then each named stage) the stages reached, the ARG names read and the ARGs required (each with
 * the lines that declare it without a value) must be equal; a Dockerfile BuildKit refuses, Berth must refuse.
 *
 * <p>Two sets: the hand-written edge cases under {@code dockerfiles/edge/} (always), and the corpus of real
 * Dockerfiles from public projects that {@code dockerfiles/corpus/SOURCES.md} lists. Those files are other
 * projects' code, so they are not in this repository: the test reads them from the folder named by
 * {@code -Dberth.dockerfileCorpus} or {@code BERTH_DOCKERFILE_CORPUS} (default
 * {@code ~/.cache/berth/dockerfile-corpus}), and is skipped, saying so, where that folder is absent.
 */
class DockerfileArgsBuildKitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SUMMARY = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> handWrittenEdgeCases() throws IOException {
        Path edge = resources().resolve("dockerfiles/edge");
        List<Path> files = dockerfiles(edge);
        assertThat(files).hasSizeGreaterThanOrEqualTo(20);
        return compare("edge cases", files);
    }

    @TestFactory
    Stream<DynamicTest> realDockerfilesFromPublicProjects() throws IOException {
        Path corpus = corpusFolder();
        Assumptions.assumeTrue(Files.isDirectory(corpus), "no corpus of real Dockerfiles at " + corpus
                + ": collect the files SOURCES.md lists there (or set -Dberth.dockerfileCorpus) to compare them");
        List<Path> files = dockerfiles(corpus);
        assertThat(files).isNotEmpty();
        return compare("real Dockerfiles", files);
    }

    @AfterAll
    static void printSummary() {
        SUMMARY.forEach(System.out::println);
    }

    private static Path corpusFolder() {
        String configured = Optional.ofNullable(System.getProperty("berth.dockerfileCorpus"))
                .orElse(System.getenv("BERTH_DOCKERFILE_CORPUS"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String cache = Optional.ofNullable(System.getenv("XDG_CACHE_HOME"))
                .orElse(System.getProperty("user.home") + "/.cache");
        return Path.of(cache, "berth", "dockerfile-corpus");
    }

    private static Path resources() {
        return Path.of("src/test/resources").toAbsolutePath();
    }

    private static List<Path> dockerfiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md"))
                    .sorted().toList();
        }
    }

    private static Path tool() {
        Path dir = Path.of("").toAbsolutePath();
        for (; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".tools/bin/buildkit-args");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        fail("tools/buildkit-args is not built: run scripts/install-tools (it builds it from the BuildKit Go module"
                + " into .tools/bin/buildkit-args)");
        return null;
    }

    /** One comparison: a Dockerfile built for one target (empty: the default). */
    private record Build(Path file, Optional<String> target) {
        String label() {
            return file.getFileName() + target.map(t -> " --target " + t).orElse("");
        }
    }

    private record Seen(List<String> reached, SortedSet<String> used, Map<String, SortedSet<Integer>> required) {}

    private static Stream<DynamicTest> compare(String set, List<Path> files) throws IOException {
        List<Build> builds = new ArrayList<>();
        for (Path file : files) {
            builds.add(new Build(file, Optional.empty()));
            try {
                for (String stage : DockerfileArgs.stageNames(Files.readString(file))) {
                    builds.add(new Build(file, Optional.of(stage)));
                }
            } catch (DockerfileArgs.DockerfileException e) {
                // compared as a refusal on both sides below
            }
        }
        List<JsonNode> answers = runTool(builds);
        int[] agree = {0};
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < builds.size(); i++) {
            Build build = builds.get(i);
            JsonNode answer = answers.get(i);
            tests.add(DynamicTest.dynamicTest(build.label(), () -> {
                assertAgrees(build, answer);
                agree[0]++;
            }));
        }
        tests.add(DynamicTest.dynamicTest("summary", () -> SUMMARY.add("DockerfileArgsBuildKitTest " + set + ": "
                + files.size() + " Dockerfiles, " + builds.size() + " builds (Dockerfile x target) compared, "
                + agree[0] + " agree with BuildKit")));
        return tests.stream();
    }

    private static void assertAgrees(Build build, JsonNode answer) throws IOException {
        String text = Files.readString(build.file(), StandardCharsets.UTF_8);
        if (answer.has("error")) {
            try {
                DockerfileArgs.Scan scan = DockerfileArgs.scan(text, build.target());
                fail("BuildKit refuses " + build.label() + " (" + answer.get("error").asText() + ") but Berth reads it: "
                        + scan.required());
            } catch (DockerfileArgs.DockerfileException e) {
                return; // both refuse
            }
        }
        JsonNode result = answer.get("result");
        Seen buildkit = new Seen(strings(result.get("reached")), new TreeSet<>(strings(result.get("used"))),
                lines(result.get("required")));
        DockerfileArgs.Scan scan;
        try {
            scan = DockerfileArgs.scan(text, build.target());
        } catch (DockerfileArgs.DockerfileException e) {
            fail("BuildKit reads " + build.label() + " but Berth refuses it at line " + e.line() + ": " + e.getMessage());
            return;
        }
        Seen berth = new Seen(scan.reached(), scan.used(), scan.required());
        assertThat(berth).as("%s: Berth (left) against BuildKit (right)", build.label()).isEqualTo(buildkit);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static Map<String, SortedSet<Integer>> lines(JsonNode object) {
        Map<String, SortedSet<Integer>> out = new TreeMap<>();
        if (object != null) {
            object.fields().forEachRemaining(e -> {
                SortedSet<Integer> set = new TreeSet<>();
                e.getValue().forEach(n -> set.add(n.asInt()));
                out.put(e.getKey(), set);
            });
        }
        return out;
    }

    /** Runs the tool once for all builds (its batch mode), one answer a build. */
    private static List<JsonNode> runTool(List<Build> builds) throws IOException {
        Process process = new ProcessBuilder(tool().toString(), "--batch").redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Thread writer = new Thread(() -> {
            try (Writer in = process.outputWriter(StandardCharsets.UTF_8)) {
                for (Build build : builds) {
                    in.write(build.file() + "\t" + build.target().orElse("") + "\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        writer.start();
        List<JsonNode> answers = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null;) {
                answers.add(JSON.readTree(line));
            }
        }
        try {
            writer.join();
            if (process.waitFor() != 0) {
                fail("buildkit-args --batch exited " + process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        assertThat(answers).hasSize(builds.size());
        return answers;
    }
}
