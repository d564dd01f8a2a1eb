package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jenkins.plugins.berth.TestFiles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input never crashes: every malformed file gives problems with positions inside the file, each on one
 * line, no other exception, and no hang. Sources: hand-written files (this class's resource folder: also
 * NUL and half surrogates from escapes, CR-only line endings, line breaks in keys and values), generated
 * attacks (alias bombs, long scalars referenced thousands of times, deep nesting, huge scalars, wrong types
 * everywhere), repositories with symbolic links out of them, seeded random mutations of the examples, and
 * branch names that slug badly.
 */
class MalformedCorpusTest {
    /** A guard against a hang, not a speed test: generous, so a loaded machine does not fail it. */
    private static final Duration LIMIT = Duration.ofSeconds(30);
    static final int MUTATIONS = 600;

    @TestFactory
    Stream<DynamicTest> handWrittenFilesAllFail() throws IOException, URISyntaxException {
        Path folder = Path.of(getClass().getResource("MalformedCorpusTest").toURI());
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(30);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> assertFailsWithPositions(Files.readAllBytes(file))));
    }

    @TestFactory
    Stream<DynamicTest> generatedAttacksAllFail() {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("billion laughs", () -> assertFailsWithPositions(billionLaughs())));
        tests.add(DynamicTest.dynamicTest("flow nesting 10000 deep", () -> assertFailsWithPositions(
                ("version: 1\nvariables: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n").getBytes(StandardCharsets.UTF_8))));
        tests.add(DynamicTest.dynamicTest("block nesting 200 deep", () -> assertFailsWithPositions(blockNesting(200))));
        tests.add(DynamicTest.dynamicTest("scalar over the size limit", () -> assertFailsWithPositions(
                ("version: 1\nproject: " + "a".repeat(YamlLoader.MAX_BYTES) + "\n").getBytes(StandardCharsets.UTF_8))));
        tests.add(DynamicTest.dynamicTest("one long scalar referenced 60000 times", () -> {
            StringBuilder yaml = new StringBuilder("version: 1\nvariables:\n  A: &x \"" + "a".repeat(100_000) + "\"\n");
            for (int i = 0; i < 60_000; i++) {
                yaml.append("  V").append(i).append(": *x\n");
            }
            assertFailsWithPositions(yaml.toString().getBytes(StandardCharsets.UTF_8));
        }));
        tests.add(DynamicTest.dynamicTest("scalar aliases inside a list referenced 20 times", () -> {
            StringBuilder yaml = new StringBuilder("version: 1\nregistry: 127.0.0.1:5000/p\nimages:\n  web:\n"
                    + "    args: { A: &s \"" + "b".repeat(100_000) + "\" }\n    tags: &t [" + "*s, ".repeat(1000) + "x]\n");
            for (int i = 0; i < 20; i++) {
                yaml.append("  w").append(i).append(": { tags: *t }\n");
            }
            assertFailsWithPositions(yaml.toString().getBytes(StandardCharsets.UTF_8));
        }));
        tests.add(DynamicTest.dynamicTest("20000 unknown keys", () -> {
            StringBuilder yaml = new StringBuilder("version: 1\n");
            for (int i = 0; i < 20_000; i++) {
                yaml.append("k").append(i).append(": v\n");
            }
            assertFailsWithPositions(yaml.toString().getBytes(StandardCharsets.UTF_8));
        }));
        for (String example : exampleTexts()) {
            List<int[]> values = valueSpans(example);
            for (int i = 0; i < values.size(); i++) {
                int[] span = values.get(i);
                for (String replacement : List.of("[1, 2]", "{a: b}")) {
                    String broken = example.substring(0, span[0]) + replacement + example.substring(span[1]);
                    tests.add(DynamicTest.dynamicTest("wrong type " + replacement + " at value " + i,
                            () -> assertFailsWithPositions(broken.getBytes(StandardCharsets.UTF_8))));
                }
            }
        }
        return tests.stream();
    }

    /** Random edits of valid files: each result is either valid or fails cleanly with positions. */
    @TestFactory
    Stream<DynamicTest> randomMutationsNeverCrash() {
        Random random = new Random(20261122);
        List<String> examples = exampleTexts();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] mutated = mutate(examples.get(i % examples.size()).getBytes(StandardCharsets.UTF_8), random);
            tests.add(DynamicTest.dynamicTest("mutation " + i, () -> assertNoCrash(mutated)));
        }
        return tests.stream();
    }

    private static void assertFailsWithPositions(byte[] content) {
        Optional<DeployFileException> failure = parse(content);
        assertThat(failure).as("a malformed file must be rejected").isPresent();
        assertPositionsInside(failure.get(), content);
    }

    private static void assertNoCrash(byte[] content) {
        parse(content).ifPresent(failure -> assertPositionsInside(failure, content));
    }

    private static Optional<DeployFileException> parse(byte[] content) {
        return assertTimeoutPreemptively(LIMIT, () -> {
            try {
                DeployFiles.parse("bad.yml", content, Optional.empty());
                return Optional.empty();
            } catch (DeployFileException e) {
                return Optional.of(e);
            }
        });
    }

    /** Each problem is inside the file, counting lines as YAML does (CR alone, NEL, LS and PS end lines too), on one line. */
    private static void assertPositionsInside(DeployFileException failure, byte[] content) {
        long lines = new String(content, StandardCharsets.UTF_8).split("\r\n|[\n\r\u0085\u2028\u2029]", -1).length;
        assertThat(failure.problems()).isNotEmpty().allSatisfy(problem -> {
            assertThat(problem.position().file()).isEqualTo("bad.yml");
            assertThat(problem.position().line()).isBetween(1, (int) Math.max(lines, 1));
            assertThat(problem.message()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(problem.toString()).as("one line").matches("bad\\.yml:\\d+:\\d+: [^\r\n\u0085\u2028\u2029]+");
        });
        assertThat(failure.getMessage().split("\n")).hasSameSizeAs(failure.problems());
    }

    /**
     * Repositories whose files are symbolic links out of them, one per field and per copied folder: every one
     * is refused with a position, as berth validate and berth up see them.
     */
    @TestFactory
    Stream<DynamicTest> hostileRepositoriesFail(@TempDir Path temp) throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "FROM scratch\n");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("script", "init_stages: [{ name: a, script: link.sh }]\n");
        cases.put("teardown script", "teardown: [{ name: a, script: link.sh }]\n");
        cases.put("stack folder", "infrastructure: [{ name: app, dir: linkdir }]\n");
        cases.put("file in a stack folder", "infrastructure: [{ name: app, dir: infra }]\n");
        cases.put("build context", "registry: 127.0.0.1:5000/p\nimages: { web: { context: linkdir } }\n");
        cases.put("file in a build context", "registry: 127.0.0.1:5000/p\nimages: { web: { context: web } }\n");
        cases.put("dockerfile", "registry: 127.0.0.1:5000/p\nimages: { web: { context: web, dockerfile: link.sh } }\n");
        cases.put("link through a link", "init_stages: [{ name: a, script: hop/secret }]\n");
        cases.put("link loop", "init_stages: [{ name: a, script: loop/x.sh }]\n");
        List<DynamicTest> tests = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            Path repo = Files.createDirectories(temp.resolve("repo" + n++));
            Files.createDirectories(repo.resolve("infra"));
            Files.createDirectories(repo.resolve("web"));
            Files.writeString(repo.resolve("infra/main.tf"), "");
            Files.writeString(repo.resolve("web/Dockerfile"), "FROM scratch\n");
            Files.createSymbolicLink(repo.resolve("link.sh"), outside.resolve("secret"));
            Files.createSymbolicLink(repo.resolve("linkdir"), outside);
            Files.createSymbolicLink(repo.resolve("hop"), Path.of("linkdir"));
            Files.createSymbolicLink(repo.resolve("loop"), Path.of("loop"));
            Files.createSymbolicLink(repo.resolve("infra/creds.tf"), outside.resolve("secret"));
            Files.createSymbolicLink(repo.resolve("web/creds"), outside.resolve("secret"));
            byte[] content = ("version: 1\n" + entry.getValue()).getBytes(StandardCharsets.UTF_8);
            Path file = Files.write(repo.resolve("berth.yml"), content);
            tests.add(DynamicTest.dynamicTest(entry.getKey(), () -> {
                DeployFileException failure = assertTimeoutPreemptively(LIMIT, () -> {
                    try {
                        DeployFiles.load(file, "bad.yml");
                        return null;
                    } catch (DeployFileException e) {
                        return e;
                    }
                });
                assertThat(failure).as("a link out of the repository must be refused").isNotNull();
                assertPositionsInside(failure, content);
                assertThat(failure.getMessage()).doesNotContain("FROM scratch");
            }));
        }
        return tests.stream();
    }

    /** Branch names outside ASCII, or built to collide once slugged: every example names them apart, as DNS labels. */
    @TestFactory
    Stream<DynamicTest> hostileBranchesNeverShareAnEnvironment() {
        List<String> branches = List.of("фича/ünï", "задача/ünï", "фича/uni", "uni", "ünï", "日本", "中文", "🚀/x",
                "\u202Eevil", "a\u0000b", "feature/" + "ü".repeat(300), "feature/" + "ü".repeat(301), "ﬁx", "fix",
                "İstanbul", "istanbul");
        List<DynamicTest> tests = new ArrayList<>();
        for (String example : exampleTexts()) {
            DeployFile file = TestFiles.valid(example);
            tests.add(DynamicTest.dynamicTest(file.project().orElse("example") + " " + file.environment().name(), () -> {
                List<String> names = branches.stream().map(branch -> EnvironmentNames.environmentName(
                        file.environment().name(), file.project().orElse("shop"), branch)).toList();
                assertThat(names).doesNotHaveDuplicates().allSatisfy(name -> assertThat(EnvironmentNames.isLabel(name))
                        .as(name).isTrue());
            }));
        }
        return tests.stream();
    }

    private static byte[] billionLaughs() {
        StringBuilder yaml = new StringBuilder("version: 1\nvariables:\n  x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("  x").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        return yaml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] blockNesting(int depth) {
        StringBuilder yaml = new StringBuilder("version: 1\nvariables:\n");
        for (int i = 0; i < depth; i++) {
            yaml.append("  ".repeat(i + 1)).append("k").append(i).append(":\n");
        }
        yaml.append("  ".repeat(depth + 1)).append("v\n");
        return yaml.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Where each "key: value" line's plain value starts and ends. */
    private static List<int[]> valueSpans(String text) {
        List<int[]> spans = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*(?:- )?[a-z_]+: ([^\\s#{\\[|>][^#\\n]*)$")
                .matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(1), m.end(1)});
        }
        return spans;
    }

    private static byte[] mutate(byte[] original, Random random) {
        List<Byte> bytes = new ArrayList<>();
        for (byte b : original) {
            bytes.add(b);
        }
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && !bytes.isEmpty(); e++) {
            int at = random.nextInt(bytes.size());
            switch (random.nextInt(5)) {
                case 0 -> bytes.remove(at);
                case 1 -> bytes.add(at, (byte) random.nextInt(256));
                case 2 -> bytes.add(at, (byte) ":-[]{}&*!|>'\"%@`#,?\t\n ".charAt(random.nextInt(22)));
                case 3 -> bytes.set(at, (byte) random.nextInt(128));
                default -> {
                    int length = Math.min(bytes.size() - at, random.nextInt(40));
                    List<Byte> copy = new ArrayList<>(bytes.subList(at, at + length));
                    bytes.addAll(random.nextInt(bytes.size()), copy);
                }
            }
        }
        byte[] result = new byte[bytes.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = bytes.get(i);
        }
        return result;
    }

    private static List<String> exampleTexts() {
        Path examples = TestFiles.projectRoot().resolve("examples");
        try (Stream<Path> files = Files.walk(examples)) {
            List<String> texts = new ArrayList<>();
            for (Path file : files.filter(p -> p.getFileName().toString().matches("\\.?berth\\.yml")).sorted().toList()) {
                texts.add(Files.readString(file));
            }
            assertThat(texts).as("examples under " + examples).isNotEmpty();
            return texts;
        } catch (IOException e) {
            throw new AssertionError("cannot read the examples", e);
        }
    }
}
