package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.run.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * A registry password as a leak shows it: as is, base64-encoded alone, and base64-encoded as {@code user:password} (a
 * docker {@code config.json} auth); and the checks that it is in none of what a run leaves or hands on.
 */
record SecretForms(List<String> forms) {

    static SecretForms of(String user, String password) {
        return new SecretForms(List.of(password, base64(password), base64(user + ":" + password)));
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** In no argument and no variable Berth gave a process. */
    void assertNotIn(List<Command> commands) {
        assertThat(commands).isNotEmpty();
        for (Command command : commands) {
            for (String form : forms) {
                assertThat(command.arguments()).as("arguments").noneMatch(a -> a.contains(form));
                assertThat(command.environment().values()).as("environment").noneMatch(v -> v.contains(form));
            }
        }
    }

    /** In no line of the log and no file under {@code folder} (the repository: the record, the run's files). */
    void assertNotInLogOrFiles(List<String> log, Path folder) throws IOException {
        assertThat(log).isNotEmpty();
        for (String form : forms) {
            assertThat(log).noneMatch(l -> l.contains(form));
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String form : forms) {
                    assertThat(text).as(file.toString()).doesNotContain(form);
                }
            }
        }
    }
}
