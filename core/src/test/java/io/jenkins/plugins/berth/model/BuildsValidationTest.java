package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code builds:}: the keys, checked with positions, and checked against the Packer template on a real folder. */
class BuildsValidationTest {

    @TempDir
    Path repo;

    private static final String TEMPLATE = """
            # a comment: source "file" "commented" {
            variable "version" {
              type = string
            }
            source "file" "a" {
              content = "a"
              target  = "a.txt"
            }
            source "null" "b" {
              communicator = "none"
            }
            build {
              name    = "named"
              sources = ["source.file.a", "source.null.b"]
            }
            """;

    @Test
    void keysAreCheckedWithTheirPositions() {
        List<String> problems = TestFiles.problems("""
                version: 1
                builds:
                  - name: app
                    dir: /abs
                    only: [nodot]
                    outputs: { A: file.a.size, 9B: file.a.id }
                    timeout: 0s
                  - { name: app, dir: p }
                  - { dir: p, colour: red }
                stages:
                  - name: early
                    run: echo
                """);
        assertThat(problems).contains(
                "berth.yml:4:10: build 'app'.dir must be a relative path inside the repository (no leading '/', no"
                        + " '..'), not '/abs'",
                "berth.yml:5:12: build 'app'.only names a source as <builder type>.<source name> (like file.artifact),"
                        + " not 'nodot'",
                "berth.yml:6:19: build 'app'.outputs.A names an artifact field as <builder type>.<source name>.<field>,"
                        + " the field id, string, builder_id or files.<N> (like file.artifact.files.0), not 'file.a.size'",
                "berth.yml:7:14: build 'app'.timeout must be longer than 0s; leave it out to let it run as long as it"
                        + " takes",
                "berth.yml:8:5: a build named 'app' already exists (line 3); build names are unique");
        assertThat(problems).anyMatch(p -> p.startsWith("berth.yml:6:32: output name '9B'"));
        assertThat(problems).anyMatch(p -> p.startsWith("berth.yml:9:5: 'builds[2]' is missing 'name'"));
        assertThat(problems).anyMatch(p -> p.startsWith("berth.yml:9:15: ") && p.contains("colour"));
    }

    @Test
    void aBuildOutputIsKnownAfterTheBuildsPhaseOnly() {
        List<String> problems = TestFiles.problems("""
                version: 1
                images:
                  web: { context: web }
                registry: 127.0.0.1:5000/shop
                builds:
                  - name: app
                    dir: packer
                    vars: { version: "${AMI} ${BERTH_IMAGE_WEB}" }
                    outputs: { AMI: amazon-ebs.web.id }
                """);
        // An image is built before the builds: a build may use it; its own artifact it may not.
        assertThat(problems).containsExactly("berth.yml:8:23: ${AMI} cannot be used here: AMI is an artifact of a"
                + " build (build app, artifact amazon-ebs.web.id), known after the builds phase");
    }

    @Test
    void theTemplateMustDeclareTheSourcesBuildsAndVariablesTheEntryNames() throws Exception {
        Files.createDirectories(repo.resolve("packer/app"));
        Files.createDirectories(repo.resolve("packer/empty"));
        Files.writeString(repo.resolve("packer/app/app.pkr.hcl"), TEMPLATE);
        Files.writeString(repo.resolve("packer/empty/README"), "no template");
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                builds:
                  - name: app
                    dir: packer/app
                    only: [file.a, file.c]
                    vars: { versoin: "1" }
                    outputs: { A: file.a.id, B: null.b.id, C: docker.x.id }
                  - { name: empty, dir: packer/empty }
                  - { name: missing, dir: packer/missing }
                """);
        assertThatThrownBy(() -> DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"))
                .isInstanceOfSatisfying(DeployFileException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly(
                                "berth.yml:5:20: build 'app' builds only 'file.c', which packer/app does not declare (it"
                                        + " declares sources: file.a, null.b); did you mean 'file.a'?",
                                "berth.yml:6:22: build 'app' gives variable 'versoin', which packer/app does not declare"
                                        + " (it declares variables: version); did you mean 'version'?",
                                "berth.yml:7:33: build 'app' publishes an artifact of 'null.b', which its 'only' leaves out;"
                                        + " add it to 'only' or remove the output",
                                "berth.yml:7:47: build 'app' publishes an artifact of 'docker.x', which no build block of"
                                        + " packer/app builds (it declares builds: file.a, null.b)",
                                "berth.yml:8:25: template folder 'packer/empty' of build 'empty' holds no *.pkr.hcl or"
                                        + " *.pkr.json file",
                                "berth.yml:9:27: template folder 'packer/missing' of build 'missing' does not exist in the"
                                        + " repository"));
    }

    @Test
    void aJsonTemplateIsReadToo() throws Exception {
        Files.createDirectories(repo.resolve("packer"));
        Files.writeString(repo.resolve("packer/t.pkr.json"), """
                { "packer": { "required_plugins": { "x": { "source": "github.com/x/x", "version": ">= 1" } } },
                  "variable": { "v": {} },
                  "source": { "file": { "out": { "content": "x", "target": "x" } } },
                  "build": { "sources": ["source.file.out"] } }
                """);
        PackerDeclarations template = PackerDeclarations.read(RepositoryFiles.of(repo), "packer");
        assertThat(template.sources()).containsExactly("file.out");
        assertThat(template.built()).containsExactly("file.out");
        assertThat(template.variables()).containsExactly("v");
        assertThat(template.requiredPlugins()).isTrue();
        assertThat(PackerDeclarations.read(RepositoryFiles.of(repo), "packer").hasTemplate()).isTrue();
    }
}
