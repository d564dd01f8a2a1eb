package io.jenkins.plugins.berth.environments;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An environment record's JSON, read and written with Jackson's streaming parser and generator: the same text as
 * {@link io.jenkins.plugins.berth.Json#mapper()} writes for the record (snake_case keys, absent values left out,
 * ISO-8601 times, indented; {@code RecordJsonTest} holds the two side by side), and a reading at least as strict (an
 * unknown key or a value of the wrong type is refused, saying where).
 *
 * <p>Why not the mapper: every Berth process reads and writes records, and the mapper's first use (building it,
 * then introspecting the record types) costs a fresh JVM about 130 ms of CPU and 700 classes; this costs about 15 ms
 * (measured in a JVM started as bin/berth starts it).
 */
final class RecordJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private RecordJson() {}

    /** A record's JSON that is well-formed but not a record's, or not one this Berth reads. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;
        /** True when the text is no environment record at all (no {@code schema_version}). */
        private final boolean noRecord;
        /** The schema version a newer Berth wrote, when that is why; 0 otherwise. */
        private final int newerVersion;

        private Unreadable(String message, boolean noRecord, int newerVersion) {
            super(message, null, false, false);
            this.noRecord = noRecord;
            this.newerVersion = newerVersion;
        }

        boolean noRecord() {
            return noRecord;
        }

        int newerVersion() {
            return newerVersion;
        }
    }

    // ---- writing ----

    static byte[] write(EnvironmentRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeNumberField("schema_version", record.schemaVersion());
            g.writeNumberField("revision", record.revision());
            string(g, "name", record.name());
            string(g, "project", record.project());
            string(g, "branch", record.branch());
            string(g, "kind", record.kind() == null ? null : record.kind().keyword());
            string(g, "commit", record.commit());
            string(g, "status", record.status().keyword());
            g.writeBooleanField("protected", record.isProtected());
            string(g, "url", record.url());
            instant(g, "created_at", record.createdAt());
            instant(g, "updated_at", record.updatedAt());
            instant(g, "last_deploy_at", record.lastDeployAt());
            instant(g, "expires_at", record.expiresAt());
            if (record.lastRun().isPresent()) {
                g.writeFieldName("last_run");
                run(g, record.lastRun().get());
            }
            list(g, "stacks", record.stacks(), RecordJson::stack);
            map(g, "images", record.images());
            if (record.blueGreen().isPresent()) {
                g.writeFieldName("blue_green");
                blueGreen(g, record.blueGreen().get());
            }
            map(g, "outputs", record.outputs());
            if (record.walk().isPresent()) {
                g.writeObjectFieldStart("walk");
                string(g, "id", record.walk().get().id());
                g.writeBooleanField("aborted", record.walk().get().aborted());
                g.writeEndObject();
            }
            list(g, "builds", record.builds(), RecordJson::build);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Writes one value of a list. */
    @FunctionalInterface
    private interface Writer<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    private static void run(JsonGenerator g, RunRecord run) throws IOException {
        g.writeStartObject();
        string(g, "command", run.command());
        instant(g, "started_at", run.startedAt());
        instant(g, "finished_at", run.finishedAt());
        string(g, "result", run.result().map(StepStatus::keyword));
        list(g, "steps", run.steps(), RecordJson::step);
        string(g, "by", run.by());
        string(g, "skip_reason", run.skipReason());
        g.writeEndObject();
    }

    private static void step(JsonGenerator g, StepResult step) throws IOException {
        g.writeStartObject();
        string(g, "phase", step.phase());
        string(g, "name", step.name());
        string(g, "kind", step.kind());
        string(g, "status", step.status() == null ? null : step.status().keyword());
        instant(g, "started_at", step.startedAt());
        g.writeNumberField("duration_millis", step.durationMillis());
        if (step.exitCode() != null && step.exitCode().isPresent()) {
            g.writeNumberField("exit_code", step.exitCode().get());
        }
        string(g, "error", step.error());
        g.writeEndObject();
    }

    private static void stack(JsonGenerator g, StackRecord stack) throws IOException {
        g.writeStartObject();
        string(g, "name", stack.name());
        g.writeBooleanField("shared", stack.shared());
        string(g, "backend", stack.backend());
        string(g, "state_key", stack.stateKey());
        string(g, "work_dir", stack.workDir());
        g.writeEndObject();
    }

    private static void blueGreen(JsonGenerator g, BlueGreenRecord colors) throws IOException {
        g.writeStartObject();
        string(g, "live", colors.live());
        string(g, "previous", colors.previous());
        instant(g, "retire_previous_at", colors.retirePreviousAt());
        list(g, "history", colors.history(), RecordJson::deployment);
        string(g, "switching", colors.switching());
        string(g, "preview", colors.preview());
        if (colors.pending().isPresent()) {
            BlueGreenRecord.Pending pending = colors.pending().get();
            g.writeObjectFieldStart("pending");
            string(g, "color", pending.color());
            string(g, "deploy_id", pending.deployId());
            instant(g, "started_at", pending.startedAt());
            map(g, "images", pending.images());
            g.writeEndObject();
        }
        if (colors.ports().isPresent()) {
            g.writeObjectFieldStart("ports");
            g.writeNumberField("blue", colors.ports().get().blue());
            g.writeNumberField("green", colors.ports().get().green());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void deployment(JsonGenerator g, BlueGreenRecord.Deployment deployment) throws IOException {
        g.writeStartObject();
        string(g, "color", deployment.color());
        map(g, "images", deployment.images());
        string(g, "trigger", deployment.trigger());
        string(g, "result", deployment.result());
        instant(g, "started_at", deployment.startedAt());
        g.writeNumberField("duration_millis", deployment.durationMillis());
        string(g, "error", deployment.error());
        g.writeEndObject();
    }

    private static void build(JsonGenerator g, BuildRecord build) throws IOException {
        g.writeStartObject();
        string(g, "name", build.name());
        string(g, "version", build.version());
        string(g, "status", build.status());
        list(g, "artifacts", build.artifacts(), RecordJson::artifact);
        string(g, "work_dir", build.workDir());
        g.writeBooleanField("reused", build.reused());
        g.writeEndObject();
    }

    private static void artifact(JsonGenerator g, BuildRecord.BuildArtifact artifact) throws IOException {
        g.writeStartObject();
        string(g, "source", artifact.source());
        g.writeNumberField("index", artifact.index());
        string(g, "builder_id", artifact.builderId());
        string(g, "id", artifact.id());
        string(g, "string", artifact.string());
        list(g, "files", artifact.files(), JsonGenerator::writeString);
        string(g, "manifest_id", artifact.manifestId());
        g.writeEndObject();
    }

    /** A text field; none (null) is left out, as the mapper leaves out absent values. */
    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void string(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value != null && value.isPresent()) {
            g.writeStringField(name, value.get());
        }
    }

    private static void instant(JsonGenerator g, String name, Instant value) throws IOException {
        if (value != null) {
            // ISO-8601, as the mapper's InstantSerializer writes it (DateTimeFormatter.ISO_INSTANT).
            g.writeStringField(name, value.toString());
        }
    }

    private static void instant(JsonGenerator g, String name, Optional<Instant> value) throws IOException {
        if (value != null && value.isPresent()) {
            instant(g, name, value.get());
        }
    }

    private static void map(JsonGenerator g, String name, Map<String, String> values) throws IOException {
        if (values == null) {
            return;
        }
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (entry.getValue() == null) {
                g.writeNullField(entry.getKey());
            } else {
                g.writeStringField(entry.getKey(), entry.getValue());
            }
        }
        g.writeEndObject();
    }

    private static <T> void list(JsonGenerator g, String name, List<T> values, Writer<T> writer) throws IOException {
        if (values == null) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (T value : values) {
            writer.write(g, value);
        }
        g.writeEndArray();
    }

    // ---- reading ----

    /**
     * Reads a record. Syntax errors are the parser's ({@link com.fasterxml.jackson.core.JsonProcessingException});
     * a text that is no record, or a newer Berth's, is told apart from one that is a damaged record.
     */
    static EnvironmentRecord read(byte[] content) throws IOException, Unreadable {
        Object document = parse(content);
        if (!(document instanceof Map<?, ?> map) || !(map.get("schema_version") instanceof Number number)
                || !integral(number) || number.longValue() < 1) {
            throw new Unreadable("not a Berth environment record (no schema_version)", true, 0);
        }
        if (number.longValue() > EnvironmentRecord.SCHEMA_VERSION) {
            throw new Unreadable("written by a newer Berth", false, (int) Math.min(Integer.MAX_VALUE, number.longValue()));
        }
        try {
            return record(new Fields(map, ""));
        } catch (Bad e) {
            throw new Unreadable(e.getMessage(), false, 0);
        }
    }

    /** The whole document as maps, lists, strings, numbers, booleans and nulls: the parser reports bad syntax. */
    private static Object parse(byte[] content) throws IOException {
        try (JsonParser p = FACTORY.createParser(content)) {
            JsonToken first = p.nextToken();
            return first == null ? null : value(p, first);
        }
    }

    private static Object value(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> fields = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String name = p.currentName();
                    fields.put(name, value(p, p.nextToken()));
                }
                return fields;
            }
            case START_ARRAY: {
                List<Object> values = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    values.add(value(p, t));
                }
                return values;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + token);
        }
    }

    private static boolean integral(Number number) {
        return number instanceof Integer || number instanceof Long || number instanceof java.math.BigInteger;
    }

    /** A value of the wrong type, a missing one, or an unknown key: the message names where. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }

    /** The fields of one object, read by key; {@link #done} refuses keys nobody read. */
    private static final class Fields {
        private final Map<?, ?> fields;
        private final String path;
        private final Set<Object> read = new HashSet<>();

        Fields(Map<?, ?> fields, String path) {
            this.fields = fields;
            this.path = path;
        }

        private String where(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        private Object get(String key) {
            read.add(key);
            return fields.get(key);
        }

        Bad bad(String key, String what) {
            return new Bad(where(key) + ": " + what);
        }

        /** The value of {@code key} when it is absent, null or a {@code type}; otherwise {@code what} is wrong. */
        private <T> T typed(String key, Class<T> type, String what) throws Bad {
            Object value = get(key);
            if (value == null || type.isInstance(value)) {
                return type.cast(value);
            }
            throw bad(key, what);
        }

        String string(String key) throws Bad {
            return typed(key, String.class, "not a string");
        }

        Optional<String> optionalString(String key) throws Bad {
            return Optional.ofNullable(string(key));
        }

        /** A whole number; none (absent or null) is 0, as the mapper gives a primitive. */
        long number(String key) throws Bad {
            Object value = get(key);
            if (value == null) {
                return 0;
            }
            if (value instanceof Integer || value instanceof Long) {
                return ((Number) value).longValue();
            }
            throw bad(key, value instanceof java.math.BigInteger ? "out of range" : "not a whole number");
        }

        Optional<Integer> optionalInteger(String key) throws Bad {
            return get(key) == null ? Optional.empty() : Optional.of(integer(key));
        }

        int integer(String key) throws Bad {
            long value = number(key);
            if (value != (int) value) {
                throw bad(key, "out of range");
            }
            return (int) value;
        }

        boolean bool(String key) throws Bad {
            return Boolean.TRUE.equals(typed(key, Boolean.class, "not true or false"));
        }

        Instant instant(String key) throws Bad {
            String text = string(key);
            try {
                return text == null ? null : Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw bad(key, "not an ISO-8601 instant: '" + text + "'");
            }
        }

        Optional<Instant> optionalInstant(String key) throws Bad {
            return Optional.ofNullable(instant(key));
        }

        <T> T keyword(String key, Function<String, T> of) throws Bad {
            String text = string(key);
            try {
                return text == null ? null : of.apply(text);
            } catch (IllegalArgumentException e) {
                throw bad(key, e.getMessage());
            }
        }

        Fields object(String key) throws Bad {
            Map<?, ?> map = typed(key, Map.class, "not an object");
            return map == null ? null : new Fields(map, where(key));
        }

        Map<String, String> strings(String key) throws Bad {
            Map<?, ?> map = typed(key, Map.class, "not an object");
            if (map == null) {
                return null;
            }
            Map<String, String> strings = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getValue() != null && !(entry.getValue() instanceof String)) {
                    throw bad(key + "." + entry.getKey(), "not a string");
                }
                strings.put((String) entry.getKey(), (String) entry.getValue());
            }
            return strings;
        }

        /** A list whose items {@code item} reads, each from its value and its path. */
        <T> List<T> list(String key, Item<T> item) throws Bad {
            List<?> values = typed(key, List.class, "not a list");
            if (values == null) {
                return null;
            }
            List<T> items = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                items.add(item.read(values.get(i), where(key) + "[" + i + "]"));
            }
            return items;
        }

        /** Refuses the keys no one read, as the mapper refuses unknown properties. */
        void done() throws Bad {
            for (Object key : fields.keySet()) {
                if (!read.contains(key)) {
                    throw bad(String.valueOf(key), "unknown key");
                }
            }
        }
    }

    /** Reads one item of a list. */
    @FunctionalInterface
    private interface Item<T> {
        T read(Object value, String path) throws Bad;
    }

    /** An item that is an object, made into a value by {@code make}. */
    @FunctionalInterface
    private interface Make<T> {
        T make(Fields fields) throws Bad;
    }

    private static <T> Item<T> objects(Make<T> make) {
        return (value, path) -> {
            if (!(value instanceof Map<?, ?> map)) {
                throw new Bad(path + ": not an object");
            }
            return made(new Fields(map, path), make);
        };
    }

    /** Makes a value of {@code fields}; a constructor's refusal (a required value missing) is reported as bad. */
    private static <T> T made(Fields fields, Make<T> make) throws Bad {
        if (fields == null) {
            return null;
        }
        T value;
        try {
            value = make.make(fields);
        } catch (NullPointerException | IllegalArgumentException e) {
            // The records' own checks name the missing key (Objects.requireNonNull(name, "name")).
            String key = e.getMessage() != null && !e.getMessage().contains(" ") ? " " + e.getMessage() : "";
            throw new Bad((fields.path.isEmpty() ? "" : fields.path + ": ") + "a required value" + key + " is missing");
        }
        fields.done();
        return value;
    }

    private static final Item<String> STRING = (value, path) -> {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new Bad(path + ": not a string");
    };

    private static EnvironmentRecord record(Fields f) throws Bad {
        return made(f, r -> new EnvironmentRecord(r.integer("schema_version"), r.number("revision"), r.string("name"),
                r.string("project"), r.string("branch"), r.keyword("kind", EnvironmentKind::of),
                r.optionalString("commit"), r.keyword("status", EnvironmentStatus::of), r.bool("protected"),
                r.optionalString("url"), r.instant("created_at"), r.instant("updated_at"),
                r.optionalInstant("last_deploy_at"), r.optionalInstant("expires_at"),
                Optional.ofNullable(made(r.object("last_run"), RecordJson::run)), r.list("stacks", objects(RecordJson::stack)),
                r.strings("images"), Optional.ofNullable(made(r.object("blue_green"), RecordJson::blueGreen)),
                r.strings("outputs"), Optional.ofNullable(made(r.object("walk"),
                        w -> new EnvironmentRecord.Walk(w.string("id"), w.bool("aborted")))),
                r.list("builds", objects(RecordJson::build))));
    }

    private static RunRecord run(Fields r) throws Bad {
        return new RunRecord(r.string("command"), r.instant("started_at"), r.optionalInstant("finished_at"),
                Optional.ofNullable(r.keyword("result", StepStatus::of)), r.list("steps", objects(RecordJson::step)),
                r.optionalString("by"), r.optionalString("skip_reason"));
    }

    private static StepResult step(Fields s) throws Bad {
        return new StepResult(s.string("phase"), s.string("name"), s.string("kind"), s.keyword("status", StepStatus::of),
                s.optionalInstant("started_at"), s.number("duration_millis"), s.optionalInteger("exit_code"),
                s.optionalString("error"));
    }

    private static StackRecord stack(Fields s) throws Bad {
        return new StackRecord(s.string("name"), s.bool("shared"), s.string("backend"), s.string("state_key"),
                s.string("work_dir"));
    }

    private static BlueGreenRecord blueGreen(Fields b) throws Bad {
        return new BlueGreenRecord(b.optionalString("live"), b.optionalString("previous"),
                b.optionalInstant("retire_previous_at"), b.list("history", objects(RecordJson::deployment)),
                b.optionalString("switching"), b.optionalString("preview"),
                Optional.ofNullable(made(b.object("pending"), p -> new BlueGreenRecord.Pending(p.string("color"),
                        p.string("deploy_id"), p.instant("started_at"), p.strings("images")))),
                Optional.ofNullable(made(b.object("ports"), p -> new BlueGreenRecord.Ports(p.integer("blue"),
                        p.integer("green")))));
    }

    private static BlueGreenRecord.Deployment deployment(Fields d) throws Bad {
        return new BlueGreenRecord.Deployment(d.string("color"), d.strings("images"), d.string("trigger"),
                d.string("result"), d.instant("started_at"), d.number("duration_millis"), d.optionalString("error"));
    }

    private static BuildRecord build(Fields b) throws Bad {
        return new BuildRecord(b.string("name"), b.string("version"), b.string("status"),
                b.list("artifacts", objects(RecordJson::artifact)), b.string("work_dir"), b.bool("reused"));
    }

    private static BuildRecord.BuildArtifact artifact(Fields a) throws Bad {
        return new BuildRecord.BuildArtifact(a.string("source"), a.integer("index"), a.string("builder_id"),
                a.string("id"), a.string("string"), a.list("files", STRING), a.optionalString("manifest_id"));
    }
}
