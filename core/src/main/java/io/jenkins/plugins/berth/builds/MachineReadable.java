package io.jenkins.plugins.berth.builds;

import io.jenkins.plugins.berth.environments.BuildRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Packer's {@code -machine-readable} output: {@code timestamp,target,type,data...}, commas in data written as
 * {@code %!(PACKER_COMMA)}, line breaks as {@code \n}. The {@code ui} lines are what Packer says to people; the
 * {@code artifact} lines, at the end of a build, describe each artifact of each build ({@code null.app}):
 * {@code artifact,0,builder-id,...}, {@code id}, {@code string}, {@code files-count}, {@code file,N,path},
 * {@code end}. One instance reads one run's lines, in order.
 */
public final class MachineReadable {

    /** One line, its data unescaped. */
    public record Line(String target, String type, List<String> data) {}

    private final Map<String, TreeMap<Integer, Partial>> artifacts = new LinkedHashMap<>();

    /** A line of machine-readable output, when it is one. */
    public static Optional<Line> parse(String line) {
        String[] parts = line.split(",", -1);
        if (parts.length < 3 || parts[0].isEmpty() || !parts[0].chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        List<String> data = Arrays.stream(parts, 3, parts.length).map(MachineReadable::unescape).toList();
        return Optional.of(new Line(parts[1], parts[2], data));
    }

    private static String unescape(String value) {
        return value.replace("%!(PACKER_COMMA)", ",").replace("\\n", "\n").replace("\\r", "\r");
    }

    /**
     * What people should see of {@code line}: a {@code ui} line's message (one entry per line of it), nothing for
     * the data lines; a line that is not machine-readable as it is.
     */
    public List<String> shown(String raw) {
        Optional<Line> line = parse(raw);
        if (line.isEmpty()) {
            return List.of(raw);
        }
        Line l = line.get();
        if (l.type().equals("artifact")) {
            artifact(l);
        }
        if (l.type().equals("ui") && l.data().size() >= 2) {
            String message = String.join(",", l.data().subList(1, l.data().size()));
            return message.lines().toList();
        }
        return List.of();
    }

    private void artifact(Line line) {
        List<String> d = line.data();
        if (d.size() < 2 || !d.get(0).chars().allMatch(Character::isDigit) || d.get(0).isEmpty()) {
            return;
        }
        Partial p = artifacts.computeIfAbsent(line.target(), t -> new TreeMap<>())
                .computeIfAbsent(Integer.parseInt(d.get(0)), i -> new Partial());
        String value = d.size() > 2 ? d.get(2) : "";
        switch (d.get(1)) {
            case "builder-id" -> p.builderId = value;
            case "id" -> p.id = value;
            case "string" -> p.string = value;
            case "file" -> {
                if (d.size() > 3) {
                    p.files.add(d.get(3));
                }
            }
            default -> { }
        }
    }

    /**
     * The artifacts read so far, by source ({@code type.name}: a build block's name before it is dropped), each
     * file made absolute against {@code folder}, the folder Packer ran in.
     */
    public List<BuildRecord.BuildArtifact> artifacts(Path folder) {
        List<BuildRecord.BuildArtifact> all = new ArrayList<>();
        artifacts.forEach((target, byIndex) -> byIndex.forEach((index, p) -> all.add(new BuildRecord.BuildArtifact(
                source(target), index, p.builderId, p.id, p.string,
                p.files.stream().map(f -> folder.resolve(f).normalize().toString()).toList(), Optional.empty()))));
        return all;
    }

    /** {@code null.app} of {@code null.app} or {@code mybuild.null.app} (a build block with a name). */
    static String source(String target) {
        String[] parts = target.split("\\.");
        return parts.length <= 2 ? target : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    private static final class Partial {
        String builderId = "";
        String id = "";
        String string = "";
        final List<String> files = new ArrayList<>();
    }
}
