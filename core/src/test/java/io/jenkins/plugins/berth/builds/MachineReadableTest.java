package io.jenkins.plugins.berth.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.environments.BuildRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Packer's machine-readable lines, as Packer 1.9.4 writes them (packer/ui.go, command/build.go). */
class MachineReadableTest {

    @Test
    void uiLinesAreShownUnescapedAndDataLinesAreNot() {
        MachineReadable output = new MachineReadable();
        assertThat(output.shown("1700000000,,ui,say,==> file.a: Running%!(PACKER_COMMA) then\\n  done"))
                .containsExactly("==> file.a: Running, then", "  done");
        assertThat(output.shown("1700000000,file.a,artifact-count,1")).isEmpty();
        assertThat(output.shown("not machine readable")).containsExactly("not machine readable");
    }

    @Test
    void artifactLinesBecomeArtifactsWithAbsoluteFilesKeyedBySource() {
        MachineReadable output = new MachineReadable();
        for (String line : List.of(
                "1,named.file.a,artifact,0,builder-id,packer.file",
                "1,named.file.a,artifact,0,id,File",
                "1,named.file.a,artifact,0,string,Stored file: out/a.txt",
                "1,named.file.a,artifact,0,files-count,2",
                "1,named.file.a,artifact,0,file,0,out/a.txt",
                "1,named.file.a,artifact,0,file,1,/abs/b.txt",
                "1,named.file.a,artifact,0,end",
                "1,null.b,artifact,0,nil",
                "1,null.b,artifact,0,end")) {
            output.shown(line);
        }
        assertThat(output.artifacts(Path.of("/work/t"))).containsExactly(
                new BuildRecord.BuildArtifact("file.a", 0, "packer.file", "File", "Stored file: out/a.txt",
                        List.of("/work/t/out/a.txt", "/abs/b.txt"), Optional.empty()),
                new BuildRecord.BuildArtifact("null.b", 0, "", "", "", List.of(), Optional.empty()));
    }
}
