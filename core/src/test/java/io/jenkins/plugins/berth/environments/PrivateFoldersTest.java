package io.jenkins.plugins.berth.environments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State folders, and the folders above them that Berth makes, are their owner's alone. */
class PrivateFoldersTest {

    @TempDir
    Path temp;

    private static String mode(Path folder) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(folder));
    }

    @Test
    void missingFoldersAreMade0700AndExistingOnesKeepTheirMode() throws Exception {
        Path existing = Files.createDirectories(temp.resolve("home"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path folder = existing.resolve(".local/state/berth");
        PrivateFolders.create(folder);
        assertThat(mode(existing.resolve(".local"))).isEqualTo("rwx------");
        assertThat(mode(existing.resolve(".local/state"))).isEqualTo("rwx------");
        assertThat(mode(folder)).isEqualTo("rwx------");
        assertThat(mode(existing)).isEqualTo("rwxr-xr-x");
        PrivateFolders.create(folder); // again: nothing to do
        Files.writeString(temp.resolve("file"), "");
        assertThatThrownBy(() -> PrivateFolders.create(temp.resolve("file")))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void theStoreMakesItsFolderPrivateWhenItFirstWritesAndNotBefore() throws Exception {
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        DirectoryStateStore records = new DirectoryStateStore(temp.resolve("home/state/shop"));
        assertThat(records.all()).isEmpty();
        assertThat(records.read("shop-main")).isEmpty();
        assertThat(temp.resolve("home")).doesNotExist();
        records.write(EnvironmentRecord.create("shop-main", "shop", "main", EnvironmentKind.BRANCH, false, at));
        assertThat(mode(temp.resolve("home"))).isEqualTo("rwx------");
        assertThat(mode(temp.resolve("home/state/shop"))).isEqualTo("rwx------");

        DirectoryStateStore locked = new DirectoryStateStore(temp.resolve("locked"));
        locked.lock("shop-main", "a test", waiting -> { }).close();
        assertThat(mode(temp.resolve("locked"))).isEqualTo("rwx------");
        DirectoryStateStore kept = new DirectoryStateStore(temp.resolve("kept"));
        kept.keep("shop-main", Map.of("berth.yml", "version: 1\n".getBytes()));
        assertThat(mode(temp.resolve("kept"))).isEqualTo("rwx------");
    }
}
