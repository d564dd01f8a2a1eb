package io.jenkins.plugins.berth.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A deploy-file string that may refer to variables as {@code ${NAME}}; {@code $${} writes a literal
 * {@code ${}. Only the fields the documentation lists are templates: shell commands are not, they
 * receive the variables as environment variables instead.
 *
 * <p>{@code toString()} gives back the text as written, so a template parses back to itself.
 */
public record Template(List<Part> parts, Position position) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A piece of a template: literal text or a reference. */
    public sealed interface Part permits Literal, Reference {}

    public record Literal(String text) implements Part {}

    /** A {@code ${NAME}} reference and where it is written. */
    public record Reference(String name, Position position) implements Part {}

    public Template {
        parts = List.copyOf(parts);
    }

    /** A template holding only literal text. */
    public static Template literal(String text, Position position) {
        return new Template(text.isEmpty() ? List.of() : List.of(new Literal(text)), position);
    }

    /**
     * Parses {@code text}. {@code referencePosition} maps the n-th reference (0-based) to where it is
     * written. Syntax errors go to {@code problems}; the returned template keeps what could be read.
     */
    static Template parse(String text, Position position, Function<Integer, Position> referencePosition,
            Problems problems) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int referenceCount = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                Position at = referencePosition.apply(referenceCount++);
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    problems.add(at, "'${' is not closed: write ${NAME}, or $${ for a literal '${'");
                    literal.append(text, i, text.length());
                    break;
                }
                String name = text.substring(i + 2, close);
                if (!NAME.matcher(name).matches()) {
                    problems.add(at, "'${" + name + "}' is not a variable reference: names use letters, digits"
                            + " and '_' and do not start with a digit (write $${ for a literal '${')");
                } else {
                    flush(literal, parts);
                    parts.add(new Reference(name, at));
                }
                i = close + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(literal, parts);
        return new Template(parts, position);
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    /** The references in the order they are written. */
    public List<Reference> references() {
        return parts.stream().filter(Reference.class::isInstance).map(Reference.class::cast).toList();
    }

    /**
     * Substitutes every reference {@code values} knows; a reference it does not know stays as
     * {@code ${NAME}} (plan output shows what is only known at run time that way).
     */
    public String render(Function<String, Optional<String>> values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                out.append(literal.text().replace("${", "$${"));
            } else if (part instanceof Reference reference) {
                out.append(values.apply(reference.name()).map(v -> v.replace("${", "$${"))
                        .orElse("${" + reference.name() + "}"));
            }
        }
        return out.toString();
    }

    /** The final value, every reference resolved; fails on a reference {@code values} does not know. */
    public String resolve(Function<String, Optional<String>> values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                out.append(literal.text());
            } else if (part instanceof Reference reference) {
                out.append(values.apply(reference.name()).orElseThrow(() -> new IllegalStateException(
                        reference.position() + ": ${" + reference.name() + "} has no value here")));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render(name -> Optional.empty());
    }
}
