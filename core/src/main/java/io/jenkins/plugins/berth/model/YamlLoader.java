package io.jenkins.plugins.berth.model;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns the bytes of a deploy file into one snakeyaml node tree, safely: a size limit checked before
 * parsing, strict UTF-8, safe tags only, few aliases of collections, a bound on the text aliases expand
 * to ({@link ExpandedText}), bounded nesting, one document.
 * Every failure becomes a {@link Problem} with a position; nothing here throws on bad input.
 */
final class YamlLoader {
    static final int MAX_BYTES = 1024 * 1024;
    static final int MAX_COLLECTION_ALIASES = 20;
    static final int MAX_NESTING = 32;

    /** The parsed tree (empty when the file could not be read) and its source text. */
    record Loaded(Optional<Node> root, SourceText source) {}

    private YamlLoader() {}

    static Loaded load(String file, byte[] bytes, Problems problems) {
        if (bytes.length > MAX_BYTES) {
            problems.add(Position.startOf(file), "the file is " + bytes.length + " bytes; a deploy file may be at most "
                    + MAX_BYTES + " bytes (1 MiB)");
            return new Loaded(Optional.empty(), new SourceText(file, ""));
        }
        Optional<String> text = decode(file, bytes, problems);
        if (text.isEmpty()) {
            return new Loaded(Optional.empty(), new SourceText(file, ""));
        }
        SourceText source = new SourceText(file, text.get());
        return new Loaded(compose(text.get(), source, problems), source);
    }

    private static Optional<String> decode(String file, byte[] bytes, Problems problems) {
        int skip = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf
                ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, skip, bytes.length - skip);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            SourceText before = new SourceText(file, out.toString());
            problems.add(before.position(before.length()),
                    "the file is not UTF-8 text (byte " + (in.position()) + " cannot be decoded); save it as UTF-8");
            return Optional.empty();
        }
        return Optional.of(out.toString());
    }

    private static Optional<Node> compose(String text, SourceText source, Problems problems) {
        LoaderOptions options = options();
        Composer documents = new Composer(new ExpandedText(new ParserImpl(new StreamReader(text), options)),
                new Resolver(), options);
        try {
            if (!documents.checkNode()) {
                problems.add(Position.startOf(source.file()), "the file is empty: a deploy file starts with 'version: 1'");
                return Optional.empty();
            }
            Node root = documents.getNode();
            if (documents.checkNode()) {
                Node second = documents.getNode();
                problems.add(position(source, second.getStartMark()), "a deploy file holds one YAML document; remove"
                        + " the '---' and what follows, or move it to its own file");
            }
            return Optional.of(root);
        } catch (ExpandedText.TooLong e) {
            problems.add(position(source, e.mark()), "the values add up to more than " + ExpandedText.MAX_CHARACTERS
                    + " characters here, through aliases (*name) of long values; a deploy file needs far less: write"
                    + " the values out, or refer to a long value a few times only");
        } catch (ReaderException e) {
            problems.add(source.position(e.getPosition()), "character U+" + String.format("%04X", e.getCodePoint())
                    + " is not allowed in YAML; remove it (is this a binary file?)");
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            problems.add(position(source, mark), "YAML syntax: " + e.getProblem() + context);
        } catch (YAMLException e) {
            problems.add(limitPosition(text, source, e), limitMessage(e));
        }
        return Optional.empty();
    }

    private static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING);
        // Our byte limit is checked first and is the one users see; this only backs it up.
        options.setCodePointLimit(MAX_BYTES + 1);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        return options;
    }

    static Position position(SourceText source, Mark mark) {
        return mark == null ? Position.startOf(source.file()) : source.position(mark.getIndex());
    }

    private static String limitMessage(YAMLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("aliases")) {
            return "more than " + MAX_COLLECTION_ALIASES + " aliases of lists or maps; a deploy file does not need"
                    + " that many: write the values out";
        }
        if (message.contains("Nesting Depth")) {
            return "nested deeper than " + MAX_NESTING + " levels; a deploy file is never that deep";
        }
        return "cannot read the file as YAML: " + message;
    }

    /**
     * snakeyaml's limit errors carry no position. Walk the events again (they have none of the limits
     * that tripped) and find the alias or the collection that went over.
     */
    private static Position limitPosition(String text, SourceText source, YAMLException e) {
        String message = String.valueOf(e.getMessage());
        Set<String> collectionAnchors = new HashSet<>();
        int aliases = 0;
        int depth = 0;
        try {
            for (Event event : new Yaml(options()).parse(new StringReader(text))) {
                if (event instanceof CollectionStartEvent start) {
                    if (start.getAnchor() != null) {
                        collectionAnchors.add(start.getAnchor());
                    }
                    if (++depth > MAX_NESTING && message.contains("Nesting Depth")) {
                        return position(source, event.getStartMark());
                    }
                } else if (event instanceof CollectionEndEvent) {
                    depth--;
                } else if (event instanceof AliasEvent alias && collectionAnchors.contains(alias.getAnchor())
                        && ++aliases > MAX_COLLECTION_ALIASES && message.contains("aliases")) {
                    return position(source, event.getStartMark());
                }
            }
        } catch (YAMLException again) {
            // The event stream failed too; the start of the file is the best place left to point at.
        }
        return Position.startOf(source.file());
    }
}
