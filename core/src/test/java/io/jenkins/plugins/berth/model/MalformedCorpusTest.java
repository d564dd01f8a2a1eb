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
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad input never crashes: every malformed file gives problems with positions inside the file, no
 * other exception, and no hang. Three sources: hand-written files (this class's resource folder),
 * generated attacks (alias bombs, deep nesting, huge scalars, wrong types everywhere) and seeded
 * random mutations of the examples.
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

    private static void assertPositionsInside(DeployFileException failure, byte[] content) {
        long lines = new String(content, StandardCharsets.UTF_8).lines().count() + 1;
        assertThat(failure.problems()).isNotEmpty().allSatisfy(problem -> {
            assertThat(problem.position().file()).isEqualTo("bad.yml");
            assertThat(problem.position().line()).isBetween(1, (int) Math.max(lines, 1));
            assertThat(problem.message()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        });
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
