package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.run.RunnerEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the command line keeps records when not given --state: the repository's folder in the user's state home. */
class StateHomeTest {

    private static final String DEPLOY_FILE = """
            version: 1
            project: demo
            stages:
              - { name: hello, run: echo hello }
            """;

    @TempDir
    Path temp;

    /** This process's environment with only {@code variables} saying where the state home is. */
    private static RunnerEnvironment environment(Map<String, String> variables) {
        Map<String, String> all = new HashMap<>(System.getenv());
        all.remove(StateHome.VARIABLE);
        all.remove("XDG_STATE_HOME");
        all.remove("HOME");
        all.putAll(variables);
        return new RunnerEnvironment(all);
    }

    private Path repository(String relative) throws Exception {
        Path repo = Files.createDirectories(temp.resolve(relative));
        Files.writeString(repo.resolve("berth.yml"), DEPLOY_FILE);
        return repo;
    }

    private static String mode(Path folder) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(folder));
    }

    @Test
    void theStateHomeIsBerthStateHomeElseXdgStateHomeElseTheHomeFolders() {
        Path home = Path.of("/home/someone");
        assertThat(StateHome.of(environment(Map.of(StateHome.VARIABLE, "/states", "XDG_STATE_HOME", "/xdg",
                "HOME", home.toString())))).contains(new StateHome(Path.of("/states")));
        assertThat(StateHome.of(environment(Map.of("XDG_STATE_HOME", "/xdg", "HOME", home.toString()))))
                .contains(new StateHome(Path.of("/xdg/berth")));
        // The XDG specification: a relative XDG_STATE_HOME is invalid and ignored; an empty value counts as none.
        assertThat(StateHome.of(environment(Map.of("XDG_STATE_HOME", "xdg", StateHome.VARIABLE, "",
                "HOME", home.toString())))).contains(new StateHome(home.resolve(".local/state/berth")));
        assertThat(StateHome.of(environment(Map.of()))).isEmpty();
    }

    @Test
    void aRepositorysKeyIsItsNameAndAHashOfItsRealPath() throws Exception {
        Path repo = repository("one/app");
        Path link = Files.createSymbolicLink(temp.resolve("link"), repo);
        assertThat(StateHome.key(repo)).matches("app-[0-9a-f]{12}")
                .isEqualTo(StateHome.key(link))
                .isEqualTo(StateHome.key(repo.resolve("../app")))
                .isNotEqualTo(StateHome.key(repository("two/app")));
        // berth up with no FILE and berth envs with no FOLDER both mean the current folder.
        assertThat(StateHome.key(Path.of(""))).isEqualTo(StateHome.key(Path.of(".")))
                .isEqualTo(StateHome.key(Path.of("").toAbsolutePath()));
        assertThat(StateHome.key(temp.resolve("a folder: with/ünïcode"))).matches("_n_code-[0-9a-f]{12}");
    }

    @Test
    void upKeepsRecordsOutsideTheRepositoryInPrivateFoldersThatEnvsFindsWithoutFlags() throws Exception {
        Path repo = repository("checkout");
        Path home = Files.createDirectories(temp.resolve("home"));
        RunnerEnvironment environment = environment(Map.of("HOME", home.toString()));

        Cli.Result up = Cli.runIn(environment, "up", repo.toString(), "--branch", "main");
        assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        Path stateHome = home.resolve(".local/state/berth");
        Path folder = stateHome.resolve(StateHome.key(repo));
        assertThat(folder.resolve("demo-main.json")).isRegularFile();
        assertThat(repo.resolve(".berth")).doesNotExist();
        for (Path created : new Path[] {home.resolve(".local"), home.resolve(".local/state"), stateHome, folder}) {
            assertThat(mode(created)).as(created.toString()).isEqualTo("rwx------");
        }

        Cli.Result envs = Cli.runIn(environment, "envs", repo.toString());
        assertThat(envs.exitCode()).as(envs.err()).isZero();
        assertThat(envs.out()).containsPattern("demo-main +branch +ready ");
        assertThat(envs.err()).isEmpty();
        // The deploy file for FOLDER, or a symbolic link to the checkout: the same records.
        assertThat(Cli.runIn(environment, "envs", repo.resolve("berth.yml").toString()).out()).contains("demo-main");
        Path link = Files.createSymbolicLink(temp.resolve("link"), repo);
        assertThat(Cli.runIn(environment, "envs", link.toString()).out()).contains("demo-main");
        assertThat(Cli.runIn(environment, "pin", repo.toString(), "--env", "demo-main").exitCode()).isZero();
    }

    @Test
    void twoCheckoutsOfTheSameNameAndProjectKeepTheirOwnRecords() throws Exception {
        Path first = repository("first/shop");
        Path second = repository("second/shop");
        assertThat(Cli.run("up", first.toString(), "--branch", "main").exitCode()).isZero();
        assertThat(Cli.run("up", second.toString(), "--branch", "other").exitCode()).isZero();
        assertThat(Cli.run("envs", first.toString()).out()).contains("demo-main").doesNotContain("demo-other");
        assertThat(Cli.run("envs", second.toString()).out()).contains("demo-other").doesNotContain("demo-main");
    }

    @Test
    void stateStillChoosesTheFolder() throws Exception {
        Path repo = repository("checkout");
        Path chosen = temp.resolve("chosen");
        Cli.Result up = Cli.run("up", repo.toString(), "--branch", "main", "--state", chosen.toString());
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(chosen.resolve("demo-main.json")).isRegularFile();
        assertThat(Cli.stateOf(repo)).doesNotExist();
        assertThat(Cli.run("envs", repo.toString(), "--state", chosen.toString()).out()).contains("demo-main");
        assertThat(Cli.run("envs", repo.toString()).out()).startsWith("no environments in " + Cli.stateOf(repo));
    }

    @Test
    void aRepositoryWithTheOldStateFolderGetsANoteNamingBothAndNothingMoves() throws Exception {
        Path repo = repository("checkout");
        Path old = repo.resolve(".berth/state");
        // What an older Berth left: records in the repository.
        assertThat(Cli.run("up", repo.toString(), "--branch", "old", "--state", old.toString()).exitCode()).isZero();
        String oldRecord = Files.readString(old.resolve("demo-old.json"));
        String note = "berth: note: " + old + " holds records of an older Berth, which kept them in the repository;"
                + " they now live in " + Cli.stateOf(repo) + " and nothing was moved: pass --state " + old
                + " to keep using the old folder";

        Cli.Result envs = Cli.run("envs", repo.toString());
        assertThat(envs.err().lines()).containsExactly(note);
        assertThat(Cli.stateOf(repo)).doesNotExist();

        Cli.Result up = Cli.run("up", repo.toString(), "--branch", "main");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.err().lines()).containsExactly(note);
        assertThat(Files.readString(old.resolve("demo-old.json"))).isEqualTo(oldRecord);
        assertThat(old.resolve("demo-main.json")).doesNotExist();
        // Once the new folder exists, the old one was a choice.
        assertThat(Cli.run("envs", repo.toString()).err()).isEmpty();
        Cli.Result kept = Cli.run("envs", repo.toString(), "--state", old.toString());
        assertThat(kept.err()).isEmpty();
        assertThat(kept.out()).contains("demo-old").doesNotContain("demo-main");
    }

    @Test
    void withoutAnyStateHomeTheCommandAsksForState() throws Exception {
        Path repo = repository("checkout");
        Cli.Result up = Cli.runIn(environment(Map.of()), "up", repo.toString(), "--branch", "main");
        assertThat(up.exitCode()).isEqualTo(2);
        assertThat(up.err()).contains("berth: there is no state home: set BERTH_STATE_HOME (or HOME), or give the"
                + " state folder with --state DIR");
        Cli.Result envs = Cli.runIn(environment(Map.of()), "envs", repo.toString());
        assertThat(envs.exitCode()).isEqualTo(2);
        Cli.Result given = Cli.runIn(environment(Map.of()), "envs", repo.toString(), "--state",
                temp.resolve("s").toString());
        assertThat(given.exitCode()).isZero();
    }
}
