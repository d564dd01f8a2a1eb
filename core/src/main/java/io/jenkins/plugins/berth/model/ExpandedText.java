package io.jenkins.plugins.berth.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;

/**
 * Counts the text a document expands to, aliases followed, as the composer reads its events, and stops it
 * past {@link #MAX_CHARACTERS}. snakeyaml limits aliases of collections only: one long anchored scalar
 * referenced thousands of times is cheap to compose (every alias is the same node) but each reference is
 * read, checked and copied again afterwards, which took minutes and gigabytes. Without aliases a file
 * expands to at most its own size, so the bound costs a real file nothing.
 */
final class ExpandedText implements Parser {
    /** Four times the file size limit: room for a few references to long values, never for thousands. */
    static final long MAX_CHARACTERS = 4L * YamlLoader.MAX_BYTES;

    /** Thrown at the alias (or value) where the expansion went over, with its place. */
    static final class TooLong extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Mark mark;

        TooLong(Mark mark) {
            super(null, null, false, false);
            this.mark = mark;
        }

        Mark mark() {
            return mark;
        }
    }

    private final Parser events;
    private final Map<String, Long> anchored = new HashMap<>();
    /** Where each open collection started counting, and its anchor ("" for none). */
    private final Deque<Map.Entry<String, Long>> open = new ArrayDeque<>();
    private long total;

    ExpandedText(Parser events) {
        this.events = events;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
        return events.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
        return events.peekEvent();
    }

    @Override
    public Event getEvent() {
        Event event = events.getEvent();
        if (event instanceof ScalarEvent scalar) {
            add(scalar.getValue().length(), event);
            if (scalar.getAnchor() != null) {
                anchored.put(scalar.getAnchor(), (long) scalar.getValue().length());
            }
        } else if (event instanceof AliasEvent alias) {
            add(anchored.getOrDefault(alias.getAnchor(), 0L), event);
        } else if (event instanceof CollectionStartEvent start) {
            open.push(Map.entry(start.getAnchor() == null ? "" : start.getAnchor(), total));
        } else if (event instanceof CollectionEndEvent && !open.isEmpty()) {
            Map.Entry<String, Long> started = open.pop();
            if (!started.getKey().isEmpty()) {
                anchored.put(started.getKey(), total - started.getValue());
            }
        }
        return event;
    }

    private void add(long characters, Event event) {
        total += characters;
        if (total > MAX_CHARACTERS) {
            throw new TooLong(event.getStartMark());
        }
    }
}
