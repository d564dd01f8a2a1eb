package io.jenkins.plugins.berth.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed, position-keeping access to a snakeyaml node tree. Each accessor reports what is wrong with
 * the node as a {@link Problem} and returns empty, so reading goes on and every problem is found.
 */
final class NodeReader {
    /** Aliases make the tree a graph; this bounds the work however it is shaped. */
    static final int MAX_NODE_VISITS = 100_000;

    private final SourceText source;
    private final Problems problems;
    private int visits;
    private boolean budgetReported;

    NodeReader(SourceText source, Problems problems) {
        this.source = source;
        this.problems = problems;
    }

    Problems problems() {
        return problems;
    }

    Position at(Node node) {
        return YamlLoader.position(source, node.getStartMark());
    }

    /** A key and its value, read from a mapping. */
    record Field(String key, Node keyNode, Node value) {}

    /** The fields of a mapping, in file order, with duplicate and unknown keys reported. */
    Map<String, Field> fields(Node node, String where, Set<String> allowed) {
        Optional<MappingNode> mapping = mapping(node, where);
        if (mapping.isEmpty()) {
            return Map.of();
        }
        return entries(mapping.get(), where, allowed);
    }

    /**
     * The entries of a mapping whose keys are names chosen by the user (variables, images); only
     * duplicates are reported. {@code allowed} null means any key.
     */
    Map<String, Field> entries(MappingNode mapping, String where, Set<String> allowed) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!visit(tuple.getKeyNode())) {
                break;
            }
            Node keyNode = tuple.getKeyNode();
            if (keyNode.getTag().equals(Tag.MERGE)) {
                problems.add(at(keyNode), "merge keys ('<<') are not supported in a deploy file; write the keys out");
                continue;
            }
            if (!(keyNode instanceof ScalarNode scalarKey) || scalarKey.getTag().equals(Tag.NULL)) {
                problems.add(at(keyNode), "keys of " + where + " must be plain words, not " + describe(keyNode));
                continue;
            }
            String key = scalarKey.getValue();
            if (!passable(key, keyNode, "a key of " + where)) {
                continue;
            }
            Field earlier = fields.get(key);
            if (earlier != null) {
                problems.add(at(keyNode), "duplicate key '" + key + "' in " + where + " (first given at line "
                        + at(earlier.keyNode()).line() + "); keep one");
                continue;
            }
            if (allowed != null && !allowed.contains(key)) {
                problems.add(at(keyNode), "unknown key '" + key + "' in " + where + Suggestions.hint(key, allowed)
                        + orList(key, allowed));
                continue;
            }
            fields.put(key, new Field(key, keyNode, tuple.getValueNode()));
        }
        return fields;
    }

    private static String orList(String key, Set<String> allowed) {
        return Suggestions.closest(key, allowed).isPresent() ? "" : " (known keys: " + String.join(", ", allowed) + ")";
    }

    Optional<MappingNode> mapping(Node node, String where) {
        if (!visit(node)) {
            return Optional.empty();
        }
        if (node instanceof MappingNode mapping) {
            return Optional.of(mapping);
        }
        problems.add(at(node), where + " must be a map of keys and values, not " + describe(node));
        return Optional.empty();
    }

    List<Node> sequence(Node node, String where) {
        if (!visit(node)) {
            return List.of();
        }
        if (node instanceof SequenceNode sequence) {
            List<Node> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (!visit(item)) {
                    break;
                }
                items.add(item);
            }
            return items;
        }
        problems.add(at(node), where + " must be a list (items start with '- '), not " + describe(node));
        return List.of();
    }

    /** Any non-empty scalar, as written: YAML scalars are text, so {@code 20} and {@code "20"} both read "20". */
    Optional<String> text(Node node, String where) {
        if (!visit(node)) {
            return Optional.empty();
        }
        if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL)) {
            if (!isStandard(scalar.getTag())) {
                problems.add(at(node), where + " has the tag " + scalar.getTag().getValue()
                        + ", which a deploy file does not use; remove it");
                return Optional.empty();
            }
            if (scalar.getValue().isEmpty() && scalar.getTag().equals(Tag.STR)) {
                problems.add(at(node), where + " is empty; give it a value or remove the key");
                return Optional.empty();
            }
            if (!passable(scalar.getValue(), node, where)) {
                return Optional.empty();
            }
            return Optional.of(scalar.getValue());
        }
        problems.add(at(node), where + " must be text, not " + describe(node));
        return Optional.empty();
    }

    /**
     * Whether a value can reach a process: every value of a deploy file ends up in an argument, an environment
     * variable or a file name, none of which can hold U+0000, and text goes to processes as UTF-8, which has
     * no form for half a surrogate pair. YAML refuses both written raw, but double-quoted escapes
     * ({@code "\0"}, {@code "\x00"}, {@code "\ud800"}) make them; refused here, not when the process starts.
     */
    private boolean passable(String value, Node node, String where) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                problems.add(at(node), where + " holds the character U+0000 (NUL, from an escape), which no process"
                        + " argument or environment variable can hold; remove it");
                return false;
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1)))) {
                problems.add(at(node), where + " holds " + String.format("U+%04X", (int) c) + " (half a surrogate"
                        + " pair, from an escape), which is no character and cannot be passed to a process; remove it");
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
        return true;
    }

    Optional<Boolean> bool(Node node, String where) {
        if (visit(node) && node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
            return Optional.of(Boolean.parseBoolean(normalizeBool(scalar.getValue())));
        }
        problems.add(at(node), where + " must be true or false, not " + describe(node));
        return Optional.empty();
    }

    Optional<Integer> integer(Node node, String where, int min, int max) {
        if (visit(node) && node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
            try {
                int value = Integer.parseInt(scalar.getValue().replace("_", ""));
                if (value >= min && value <= max) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // out of int range: reported below like any other bad number
            }
            problems.add(at(node), where + " must be a whole number from " + min + " to " + max + ", not "
                    + scalar.getValue());
            return Optional.empty();
        }
        problems.add(at(node), where + " must be a whole number, not " + describe(node));
        return Optional.empty();
    }

    /** A text value that must be one of a few words. */
    Optional<String> oneOf(Node node, String where, List<String> choices) {
        Optional<String> value = text(node, where);
        if (value.isPresent() && !choices.contains(value.get())) {
            problems.add(at(node), where + " must be one of " + String.join(", ", choices) + ", not '" + value.get() + "'"
                    + Suggestions.hint(value.get(), choices));
            return Optional.empty();
        }
        return value;
    }

    /** A template field: text whose {@code ${NAME}} references keep their exact positions. */
    Optional<Template> template(Node node, String where) {
        Optional<String> value = text(node, where);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Position start = at(node);
        List<Integer> starts = source.referenceStarts(node.getStartMark().getIndex(), node.getEndMark().getIndex());
        return Optional.of(Template.parse(value.get(), start,
                n -> n < starts.size() ? source.position(starts.get(n)) : start, problems));
    }

    /** Counts a node against the visit budget; false (after one report) when it is spent. */
    private boolean visit(Node node) {
        if (++visits <= MAX_NODE_VISITS) {
            return true;
        }
        if (!budgetReported) {
            budgetReported = true;
            problems.add(at(node), "the file expands to more than " + MAX_NODE_VISITS + " values (through aliases?);"
                    + " write it out plainly");
        }
        return false;
    }

    private static boolean isStandard(Tag tag) {
        return tag.equals(Tag.STR) || tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) || tag.equals(Tag.BOOL)
                || tag.equals(Tag.TIMESTAMP) || tag.equals(Tag.NULL);
    }

    private static String normalizeBool(String yaml) {
        String lower = yaml.toLowerCase(java.util.Locale.ROOT);
        return lower.equals("yes") || lower.equals("on") || lower.equals("y") ? "true" : lower;
    }

    /** How a node looks to a user: "a list", "a map", "the number 3"... */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = scalar.getTag();
        if (tag.equals(Tag.NULL)) {
            return "nothing (the value is missing)";
        }
        String shown = scalar.getValue().length() > 40 ? scalar.getValue().substring(0, 40) + "..." : scalar.getValue();
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "the number " + shown;
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + shown;
        }
        return "the text '" + shown + "'";
    }
}
