package io.jenkins.plugins.berth.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the hpi needs that the Java compiler cannot see, checked on the plugin's resources (the real Jenkins
 * shows the same: JenkinsRule tests of the pages in jenkins-plugin/).
 */
class PluginResourcesTest {

    private static final Path RESOURCES = Path.of("src/main/resources");
    private static final Pattern INCLUDE = Pattern.compile("<st:include\\b[^>]*>");

    @Test
    void thePluginHasTheDescriptionMavenHpiPluginPackages() throws IOException {
        // maven-hpi-plugin refuses to package a plugin without src/main/resources/index.jelly.
        assertThat(RESOURCES.resolve("index.jelly")).isRegularFile();
        assertThat(Files.readString(RESOURCES.resolve("index.jelly"))).contains("<div>").contains("deploy file");
    }

    /**
     * Stapler turns an include's {@code class=} into a class with Jenkins' own class loader, which cannot see
     * the plugin's classes (ClassNotFoundException, HTTP 500); views are included through an object.
     */
    @Test
    void everyIncludeFindsItsViewThroughAnObjectAndTheViewExists() throws IOException {
        List<String> wrong = new ArrayList<>();
        List<Path> jellies;
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            jellies = files.filter(f -> f.toString().endsWith(".jelly")).toList();
        }
        for (Path jelly : jellies) {
            Matcher include = INCLUDE.matcher(Files.readString(jelly));
            while (include.find()) {
                if (include.group().matches("(?s).*\\sclass=.*")) {
                    wrong.add(RESOURCES.relativize(jelly) + ": " + include.group());
                }
            }
        }
        assertThat(wrong).isEmpty();
        Path entryViews = RESOURCES.resolve(io.jenkins.plugins.berth.jenkins.pages.EnvironmentEntries.Entry.class
                .getName().replace('.', '/').replace('$', '/'));
        assertThat(entryViews.resolve("cells.jelly")).isRegularFile();
        assertThat(entryViews.resolve("cells-header.jelly")).isRegularFile();
    }
}
