package io.jenkins.plugins.berth.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Packer template folder declares, read from its {@code *.pkr.hcl} and {@code *.pkr.json} files: the
 * sources ({@code source "type" "name"} blocks, or a JSON template's {@code builders}), the sources its
 * {@code build} blocks use ({@code source.type.name}), its variables, and whether it needs plugins
 * ({@code required_plugins}, which {@code packer init} installs). A small reader, as for Terraform
 * ({@link TerraformDeclarations}): enough to check a deploy file against the template before Packer runs.
 *
 * @param sources {@code type.name} of every source declared
 * @param built {@code type.name} of every source a build block uses (what Packer builds and keys artifacts by)
 */
public record PackerDeclarations(boolean hasTemplate, SortedSet<String> sources, SortedSet<String> built,
        SortedSet<String> variables, boolean requiredPlugins) {

    private static final Pattern SOURCE = Pattern.compile("(?m)^\\s*source\\s+\"([^\"]+)\"\\s+\"([^\"]+)\"\\s*\\{");
    private static final Pattern VARIABLE = Pattern.compile("(?m)^\\s*variable\\s+\"([^\"]+)\"");
    private static final Pattern USED = Pattern.compile("\"source\\.([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)\"");
    private static final Pattern PLUGINS = Pattern.compile("(?m)^\\s*required_plugins\\s*\\{");
    private static final Pattern COMMENT = Pattern.compile("(?m)(^|\\s)(#|//).*$");

    /** Whether {@code name} is a Packer template file. */
    public static boolean isTemplate(String name) {
        return name.endsWith(".pkr.hcl") || name.endsWith(".pkr.json");
    }

    /** Reads the template in {@code dir} of {@code files}. */
    public static PackerDeclarations read(RepositoryFiles files, String dir) throws IOException {
        SortedSet<String> sources = new TreeSet<>();
        SortedSet<String> built = new TreeSet<>();
        SortedSet<String> variables = new TreeSet<>();
        boolean hasTemplate = false;
        boolean plugins = false;
        for (String name : files.list(dir)) {
            if (!isTemplate(name)) {
                continue;
            }
            hasTemplate = true;
            String text = files.read(dir.isEmpty() ? name : dir + "/" + name);
            if (name.endsWith(".pkr.json")) {
                plugins |= readJson(name, text, sources, built, variables);
                continue;
            }
            String code = COMMENT.matcher(text).replaceAll("$1");
            Matcher m = SOURCE.matcher(code);
            while (m.find()) {
                sources.add(m.group(1) + "." + m.group(2));
            }
            m = USED.matcher(code);
            while (m.find()) {
                built.add(m.group(1) + "." + m.group(2));
            }
            m = VARIABLE.matcher(code);
            while (m.find()) {
                variables.add(m.group(1));
            }
            plugins |= PLUGINS.matcher(code).find();
        }
        return new PackerDeclarations(hasTemplate, sources, built, variables, plugins);
    }

    /**
     * A JSON template: HCL's structure as JSON ({@code source}, {@code build}, {@code variable}), or a legacy
     * one whose {@code builders} are built under their {@code name} (default: their {@code type}).
     */
    private static boolean readJson(String file, String text, SortedSet<String> sources, SortedSet<String> built,
            SortedSet<String> variables) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not JSON: " + e.getOriginalMessage());
        }
        for (JsonNode builder : root.path("builders")) {
            String type = builder.path("type").asText("");
            String name = builder.path("name").asText(type);
            sources.add(type + "." + name);
            built.add(type + "." + name);
        }
        root.path("variables").fieldNames().forEachRemaining(variables::add);
        root.path("variable").fieldNames().forEachRemaining(variables::add);
        for (Iterator<Map.Entry<String, JsonNode>> types = root.path("source").fields(); types.hasNext();) {
            Map.Entry<String, JsonNode> type = types.next();
            type.getValue().fieldNames().forEachRemaining(name -> sources.add(type.getKey() + "." + name));
        }
        Matcher m = USED.matcher(root.path("build").toString());
        while (m.find()) {
            built.add(m.group(1) + "." + m.group(2));
        }
        return root.path("packer").has("required_plugins");
    }
}
