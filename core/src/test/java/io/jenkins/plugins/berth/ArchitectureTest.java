package io.jenkins.plugins.berth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/development.md, checked on the sources of every module: the Jenkins line (only
 * {@code io.jenkins.plugins.berth.jenkins.*}, in plugin/, imports Jenkins) and the layering (a package
 * imports only packages before it in {@link #ORDER}, so there is no import cycle).
 */
class ArchitectureTest {

    private static final String BERTH = "io.jenkins.plugins.berth";

    /** Each side's packages, lowest first: a package may import the ones before it. */
    private static final List<String> ORDER = List.of("", "model", "environments", "plan", "run", "images.registry",
            "images.kaniko", "images", "terraform", "builds", "bluegreen", "teardown", "deploy", "pipeline", "cli", "jenkins.config",
            "jenkins.hosting", "jenkins.jobs", "jenkins.folder", "jenkins.pages", "jenkins.links", "jenkins.checks",
            "jenkins.trust", "jenkins.steps",
            "jenkins.dsl");

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.[A-Za-z_]\\w*(?:\\.\\*)?;",
            Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])io\\.jenkins\\.plugins\\.berth((?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Set<String> JENKINS = Set.of("hudson.", "jenkins.", "org.jenkinsci.", "org.kohsuke.stapler.",
            "com.cloudbees.", "io.jenkins.plugins.berth.jenkins.");

    @Test
    void onlyThePluginsJenkinsPackagesImportJenkins() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Source source : sources()) {
            boolean jenkinsSide = source.pkg().startsWith(BERTH + ".jenkins");
            assertThat(jenkinsSide).as(source.path() + " is in plugin/ exactly when it is under jenkins.")
                    .isEqualTo(source.path().startsWith(root().resolve("plugin")));
            if (!jenkinsSide) {
                source.imports().stream().filter(i -> JENKINS.stream().anyMatch((i + ".")::startsWith))
                        .forEach(i -> wrong.add(source.path() + " imports " + i));
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyPackageImportsOnlyPackagesBelowIt() throws IOException {
        Map<String, Set<String>> upward = new TreeMap<>();
        for (Source source : sources()) {
            String from = relative(source.pkg());
            assertThat(ORDER).as("the package map lists " + source.pkg()).contains(from);
            for (String imported : source.imports()) {
                if (!imported.equals(BERTH) && !imported.startsWith(BERTH + ".")) {
                    continue;
                }
                String to = relative(imported);
                if (!to.equals(from) && ORDER.indexOf(to) > ORDER.indexOf(from)) {
                    upward.computeIfAbsent(from + " -> " + to, k -> new TreeSet<>()).add(source.path().getFileName()
                            .toString());
                }
            }
        }
        assertThat(upward).isEmpty();
    }

    private static String relative(String pkg) {
        return pkg.equals(BERTH) ? "" : pkg.substring(BERTH.length() + 1);
    }

    private record Source(Path path, String pkg, Set<String> imports) {}

    private static List<Source> sources() throws IOException {
        List<Source> sources = new ArrayList<>();
        for (String module : List.of("core", "cli", "plugin")) {
            Path folder = root().resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(folder)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> sources.add(read(f)));
            }
        }
        assertThat(sources).as("sources found").hasSizeGreaterThan(100);
        return sources;
    }

    private static Source read(Path file) {
        try {
            String text = Files.readString(file);
            Matcher pkg = PACKAGE.matcher(text);
            assertThat(pkg.find()).as(file + " has a package").isTrue();
            Set<String> imports = new TreeSet<>();
            Matcher imported = IMPORT.matcher(text);
            while (imported.find()) {
                imports.add(packageOf(imported.group(1)));
            }
            // Fully qualified names in code count as imports too.
            Matcher qualified = QUALIFIED.matcher(text.replaceAll("(?m)^(package|import) .*$", ""));
            while (qualified.find()) {
                imports.add(BERTH + qualified.group(1));
            }
            return new Source(file, pkg.group(1), imports);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code a.b.Outer} (a static import's class, or a nested type's outer class) gives {@code a.b}. */
    private static String packageOf(String name) {
        String[] parts = name.split("\\.");
        int end = parts.length;
        while (end > 0 && Character.isUpperCase(parts[end - 1].charAt(0))) {
            end--;
        }
        return String.join(".", java.util.Arrays.copyOf(parts, end));
    }

    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("core")) ? here : here.getParent();
    }
}
