package io.jenkins.plugins.berth.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.Sha256;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.model.DeployFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A deploy's plan as the steps of its walk read it: the deploy file's text as it was validated (with the files it
 * names) when the plan was made, and what the plan was made for (the file's path, the branch, the commit and the
 * project of a file without {@code project:}). Jenkins' {@code berthPlan} writes it into the workspace and keeps its
 * {@link #digest()}; every {@code berth up --step} of the walk is given the file and the digest and runs the file
 * only when its digest is that one ({@link #verified}), without reading, finding and checking the deploy file again.
 *
 * <p>Why a digest: stages of the build (a pull request's code) run in the same workspace and could rewrite the file;
 * the digest comes from the controller, never from the workspace. The text is ASCII JSON (everything else escaped),
 * so it reads back as the same bytes whatever an agent's default charset.
 *
 * @param file the deploy file's path, as the plan names it ({@code deploy/berth.yml})
 * @param defaultProject the project the steps are given for a file without {@code project:}: the plan's project
 *     (Jenkins passes it as every step's {@code --default-project})
 * @param content the deploy file's text as validated
 */
public record PlanFile(String file, String branch, Optional<String> commit, String defaultProject, String content) {

    /** The plans' folder in a workspace, beside the state folder. */
    public static final String FOLDER = ".berth/plans";
    private static final int VERSION = 1;
    private static final String DIGEST_PREFIX = "sha256:";
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    public PlanFile {
        java.util.Objects.requireNonNull(file, "file");
        java.util.Objects.requireNonNull(branch, "branch");
        java.util.Objects.requireNonNull(defaultProject, "defaultProject");
        java.util.Objects.requireNonNull(content, "content");
        commit = commit.filter(c -> !c.isBlank());
    }

    /** A plan's file does not hold the plan its digest names: changed, or not a plan. */
    public static final class ChangedException extends BerthException {
        private static final long serialVersionUID = 1L;

        ChangedException(String message) {
            super(message);
        }
    }

    /** The file's bytes: always the same for the same plan. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length() + 256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("plan_version", VERSION);
            g.writeStringField("file", file);
            g.writeStringField("branch", branch);
            if (commit.isPresent()) {
                g.writeStringField("commit", commit.get());
            }
            g.writeStringField("default_project", defaultProject);
            g.writeStringField("deploy_file", content);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** {@code sha256:<hex>} of {@link #bytes()}. */
    public String digest() {
        return digestOf(bytes());
    }

    /** Where the plan goes in a workspace: {@code .berth/plans/<the digest's first 16 hex digits>.json}. */
    public String path() {
        return FOLDER + "/" + digest().substring(DIGEST_PREFIX.length(), DIGEST_PREFIX.length() + 16) + ".json";
    }

    /** The deploy file, from the text validated: read and checked again, but the files it names are not. */
    public DeployFile deployFile() throws DeployFileException {
        return DeployFiles.parse(file, content.getBytes(StandardCharsets.UTF_8), Optional.empty());
    }

    /** A plan's digest as {@code digest()} gives it, or a refusal naming what is wrong. */
    public static String checkedDigest(String digest) {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a plan digest is sha256: and 64 lowercase hex digits, not '" + digest
                    + "'");
        }
        return digest;
    }

    /**
     * The plan in {@code bytes} (read from {@code where}), when their digest is {@code digest}; nothing of the file is
     * looked at before that.
     */
    public static PlanFile verified(byte[] bytes, String digest, String where) throws ChangedException {
        String actual = digestOf(bytes);
        if (!actual.equals(checkedDigest(digest))) {
            throw new ChangedException(where + " is not the plan this build made (its digest is " + actual
                    + ", the plan's " + digest + "): something in the workspace changed it, a stage of this build"
                    + " perhaps. Nothing ran; run the build again.");
        }
        try {
            return parse(bytes);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            // The digest matched: only a Berth with another format of plans could have written it.
            throw new ChangedException(where + " is a plan this Berth cannot read: " + e.getMessage());
        }
    }

    private static PlanFile parse(byte[] bytes) throws IOException {
        String file = null;
        String branch = null;
        String commit = null;
        String defaultProject = null;
        String content = null;
        int version = -1;
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a plan");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("plan_version") && value == JsonToken.VALUE_NUMBER_INT) {
                    version = p.getIntValue();
                } else if (value != JsonToken.VALUE_STRING) {
                    throw new IllegalArgumentException("'" + name + "' is no text");
                } else {
                    switch (name) {
                        case "file" -> file = p.getText();
                        case "branch" -> branch = p.getText();
                        case "commit" -> commit = p.getText();
                        case "default_project" -> defaultProject = p.getText();
                        case "deploy_file" -> content = p.getText();
                        default -> throw new IllegalArgumentException("unknown key '" + name + "'");
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        if (version != VERSION) {
            throw new IllegalArgumentException("plan version " + version + ", this Berth reads " + VERSION);
        }
        return new PlanFile(file, branch, Optional.ofNullable(commit), defaultProject, content);
    }

    private static String digestOf(byte[] bytes) {
        return DIGEST_PREFIX + Sha256.hex(bytes);
    }
}
