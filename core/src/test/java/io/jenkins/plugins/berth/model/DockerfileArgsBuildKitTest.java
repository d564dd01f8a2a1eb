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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Berth's ARG scan against BuildKit's own reading of the same Dockerfiles: {@code tools/buildkit-args}, a
 * small Go program built from the {@code github.com/moby/buildkit} module by {@code scripts/install-tools},
 * runs BuildKit's parser, instruction parser and shell lexer. For every Dockerfile and every target (the
 * default, then each named stage) the stages reached, the ARG names read and the ARGs required (each with
 * the lines that declare it without a value) must be equal; a Dockerfile BuildKit refuses, Berth must refuse.
 *
 * <p>Three sets: the hand-written edge cases under {@code dockerfiles/edge/}, and the two parts of the corpus
 * of real Dockerfiles from public projects that {@code dockerfiles/corpus/SOURCES.md} lists with each file's
 * SHA-256 and where a fresh machine gets it. Those files are other projects' code, so they are not in this
 * repository: the test reads them from the folder named by {@code -Dberth.dockerfileCorpus} or {@code
 * BERTH_DOCKERFILE_CORPUS} (default {@code ~/.cache/berth/dockerfile-corpus}). The files Go modules hold are
 * required: {@code scripts/install-tools} fetches them from the Go module proxy, and the test fails if one is
 * missing or differs. The files collected by hand are compared where present; the summary says how many were.
 */
class DockerfileArgsBuildKitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SUMMARY = new ArrayList<>();
    /** A row of SOURCES.md: file name, repository, path, commit, SHA-256, then a Go module version or "by hand". */
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| [^|]+ \\| `[^`]+` \\| `[0-9a-f]+` \\|"
            + " `([0-9a-f]{64})` \\| (?:Go module `([^`]+)`|by hand) \\|$");

    @TestFactory
    Stream<DynamicTest> handWrittenEdgeCases() throws IOException {
        Path edge = resources().resolve("dockerfiles/edge");
        List<Path> files = dockerfiles(edge);
        assertThat(files).hasSizeGreaterThanOrEqualTo(20);
        return compare("edge cases", files, files.size() + " Dockerfiles");
    }

    @TestFactory
    Stream<DynamicTest> realDockerfilesFromGoModules() throws IOException {
        List<Source> required = sources().stream().filter(s -> s.goModule().isPresent()).toList();
        assertThat(required).as("the rows of SOURCES.md a Go module serves").isNotEmpty();
        Path corpus = corpusFolder();
        List<String> problems = new ArrayList<>();
        for (Source source : required) {
            source.problem(corpus).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " of the " + required.size() + " corpus Dockerfiles that Go modules hold are missing"
                    + " or differ in " + corpus + ": run scripts/install-tools (it fetches them from the Go module"
                    + " proxy)\n  " + String.join("\n  ", problems));
        }
        List<Path> files = required.stream().map(s -> corpus.resolve(s.fileName())).toList();
        return compare("real Dockerfiles, required (from Go modules)", files, required.size() + " of "
                + required.size() + " listed Dockerfiles present");
    }

    @TestFactory
    Stream<DynamicTest> realDockerfilesCollectedByHand() throws IOException {
        List<Source> byHand = sources().stream().filter(s -> s.goModule().isEmpty()).toList();
        Path corpus = corpusFolder();
        List<Path> present = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Source source : byHand) {
            Path file = corpus.resolve(source.fileName());
            if (Files.isRegularFile(file)) {
                source.problem(corpus).ifPresentOrElse(problems::add, () -> present.add(file));
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " corpus Dockerfiles collected by hand differ in " + corpus + " from what SOURCES.md"
                    + " lists: take each again from its repository at the commit listed\n  "
                    + String.join("\n  ", problems));
        }
        return compare("real Dockerfiles, by hand", present, present.size() + " of " + byHand.size()
                + " listed Dockerfiles present");
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

    /** A row of SOURCES.md: a corpus file, its SHA-256, and the Go module version a fresh machine gets it from. */
    private record Source(String fileName, String sha256, Optional<String> goModule) {
        /** What is wrong with this file in the corpus folder, if anything. */
        Optional<String> problem(Path corpus) throws IOException {
            Path file = corpus.resolve(fileName);
            if (!Files.isRegularFile(file)) {
                return Optional.of(fileName + ": missing");
            }
            String actual = sha256Of(file);
            return actual.equals(sha256) ? Optional.empty()
                    : Optional.of(fileName + ": SHA-256 " + actual + ", SOURCES.md lists " + sha256);
        }
    }

    private static List<Source> sources() throws IOException {
        Path list = resources().resolve("dockerfiles/corpus/SOURCES.md");
        List<Source> sources = new ArrayList<>();
        List<String> rows = Files.readAllLines(list).stream().filter(l -> l.startsWith("| `")).toList();
        for (String row : rows) {
            Matcher m = ROW.matcher(row);
            if (!m.matches()) {
                fail(list + ": a table row without file name, repository, path, commit, SHA-256 and where it comes from"
                        + " (a Go module or by hand): " + row);
            }
            sources.add(new Source(m.group(1), m.group(2), Optional.ofNullable(m.group(3))));
        }
        assertThat(sources).as("the rows of %s", list).isNotEmpty();
        return sources;
    }

    private static String sha256Of(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    private static Stream<DynamicTest> compare(String set, List<Path> files, String count) throws IOException {
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
                + count + ", " + builds.size() + " builds (Dockerfile x target) compared, "
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
