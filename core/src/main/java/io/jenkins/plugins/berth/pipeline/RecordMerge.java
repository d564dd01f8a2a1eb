package io.jenkins.plugins.berth.pipeline;

import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.StackRecord;
import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.ImageRepositories;
import io.jenkins.plugins.berth.model.ImageSpec;
import io.jenkins.plugins.berth.model.Registry;
import io.jenkins.plugins.berth.model.Stack;
import io.jenkins.plugins.berth.terraform.InfrastructurePhase;
import io.jenkins.plugins.berth.terraform.StackFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record the controller keeps after a deploy, from the one the deploy's workspace wrote. Stage code runs
 * in that workspace and may have rewritten it, so nothing is copied whole: who the environment is (project,
 * name, branch, kind, when it was created) comes from the controller; which stacks a teardown destroys must be
 * the trusted deploy file's own, at this environment's own state keys; images must be the file's, pinned, in its
 * registry and the image's own repository for this environment;
 * a pin only ever comes from the controller's record or a trusted file that says {@code protected: true}.
 * What the deploy did (status, commit, URL, outputs, last run, colours, times) is taken as written: it decides
 * nothing a teardown runs and touches no other environment.
 *
 * @param record the record to keep; empty when the workspace's is refused whole (then the controller's stays)
 * @param refused what was left out, for the build log
 */
public record RecordMerge(Optional<EnvironmentRecord> record, List<String> refused) {

    /**
     * What the controller knows of the deploy.
     *
     * @param branch the build's branch, when it has one (a teardown job has none)
     * @param file the trusted deploy file: the one just kept from the trusted revision, else the one kept before
     */
    public record Trusted(String project, String environment, Optional<String> branch, Optional<DeployFile> file) {}

    public static RecordMerge of(Optional<EnvironmentRecord> controller, EnvironmentRecord written, Trusted trusted) {
        if (!written.project().equals(trusted.project()) || !written.name().equals(trusted.environment())) {
            return new RecordMerge(Optional.empty(), List.of("the workspace's record names " + written.project()
                    + "/" + written.name() + ", not " + trusted.project() + "/" + trusted.environment()
                    + ": the controller's record is kept unchanged"));
        }
        List<String> refused = new ArrayList<>();
        String branch = controller.map(EnvironmentRecord::branch).or(trusted::branch).orElse(written.branch());
        EnvironmentKind kind = controller.map(EnvironmentRecord::kind).orElse(EnvironmentKind.ofBranch(branch));
        boolean fileProtects = trusted.file().map(file -> file.environment().isProtected()).orElse(false);
        boolean pinned = controller.map(EnvironmentRecord::isProtected).orElse(false)
                || (written.isProtected() && fileProtects);
        if (written.isProtected() && !pinned) {
            refused.add("a pin the trusted deploy file does not ask for");
        }
        List<StackRecord> stacks = new ArrayList<>();
        for (StackRecord stack : written.stacks()) {
            if (trusted.file().isPresent() ? isOwnStack(stack, trusted.file().get(), trusted)
                    : controller.map(c -> c.stacks().contains(stack)).orElse(false)) {
                stacks.add(stack);
            } else {
                refused.add("stack " + stack.name() + " at " + stack.stateKey());
            }
        }
        Map<String, String> images = new LinkedHashMap<>();
        written.images().forEach((name, reference) -> {
            boolean declared = trusted.file().map(file -> file.images().containsKey(name) && isOwnImage(reference,
                    file, file.images().get(name), trusted))
                    .orElse(controller.map(c -> reference.equals(c.images().get(name))).orElse(false));
            if (declared && reference.contains("@sha256:")) {
                images.put(name, reference);
            } else {
                refused.add("image " + name + " " + reference);
            }
        });
        // Builds the trusted file declares, under the state folder's builds/ (what down may remove); else refused.
        List<io.jenkins.plugins.berth.environments.BuildRecord> builds = new ArrayList<>();
        for (io.jenkins.plugins.berth.environments.BuildRecord build : written.builds()) {
            String entry = io.jenkins.plugins.berth.builds.BuildsPhase.entryOf(build.name());
            boolean declared = trusted.file().map(file -> file.builds().stream().anyMatch(b -> b.name().equals(entry)))
                    .orElse(controller.map(c -> c.builds().contains(build)).orElse(false));
            boolean ownFolder = build.workDir().isEmpty() || (build.workDir().startsWith(
                    io.jenkins.plugins.berth.environments.StateLayout.BUILDS + "/") && !build.workDir().contains(".."));
            if (declared && ownFolder) {
                builds.add(build);
            } else {
                refused.add("build " + build.name() + " at " + build.workDir());
            }
        }
        EnvironmentRecord base = controller.orElse(written);
        EnvironmentRecord merged = new EnvironmentRecord(written.schemaVersion(),
                Math.max(written.revision(), controller.map(EnvironmentRecord::revision).orElse(0L)), trusted.environment(),
                trusted.project(), branch, kind, written.commit(), written.status(), pinned, written.url(),
                base.createdAt(), written.updatedAt(), written.lastDeployAt(), written.expiresAt(), written.lastRun(),
                stacks, images, written.blueGreen(), written.outputs(), written.walk(), builds);
        return new RecordMerge(Optional.of(merged), List.copyOf(refused));
    }

    /**
     * An image reference in the trusted file's registry and the image's own repository for this environment, pinned:
     * a teardown removes what the record names, with the registry login it has, so a reference the workspace wrote
     * must name nothing else.
     */
    private static boolean isOwnImage(String reference, DeployFile file, ImageSpec image, Trusted trusted) {
        if (file.registry().isEmpty()) {
            return false;
        }
        Registry registry = file.registry().get();
        ImageReference parsed;
        try {
            parsed = ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return parsed.digest().isPresent() && parsed.registry().equals(registry.host())
                && parsed.repository().equals(ImageRepositories.of(registry, image, trusted.project(),
                        trusted.environment()));
    }

    /** A stack the trusted file declares, shared or not as it says, at this environment's own state key. */
    private static boolean isOwnStack(StackRecord stack, DeployFile file, Trusted trusted) {
        for (Stack declared : file.infrastructure()) {
            if (declared.name().equals(stack.name()) && declared.shared() == stack.shared()) {
                String key = InfrastructurePhase.stateKey(trusted.project(), declared, trusted.environment());
                return stack.stateKey().equals(key) && stack.workDir().equals(StackFolder.relativePath(key));
            }
        }
        return false;
    }
}
