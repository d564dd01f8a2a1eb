package io.jenkins.plugins.berth.model;

import java.util.regex.Pattern;

/** What each kind of name in a deploy file may look like, and why. */
final class Names {
    /** An nginx upstream's name, written into {@code upstream NAME { ... }}: one word nginx accepts. */
    static final Pattern NGINX_UPSTREAM = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");
    /** Environment variables: they reach shells and Terraform. */
    static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A DNS-1123 label: projects and release stages end up in host names and image tags. */
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** One path component of an OCI repository name. */
    static final Pattern IMAGE = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*");
    /** An OCI tag. */
    static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    /** Stack names become parts of state keys and paths. */
    static final Pattern STACK = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?");
    /** Stage names are shown, never run: any single line of printable text. */
    static final int MAX_STAGE_NAME = 100;

    private Names() {}

    static boolean isStageName(String name) {
        return !name.isBlank() && name.length() <= MAX_STAGE_NAME && name.codePoints().noneMatch(Character::isISOControl);
    }

    /** A path inside the repository: relative, without '..' segments or backslashes. */
    static boolean isRepositoryPath(String path) {
        if (path.isBlank() || path.startsWith("/") || path.contains("\\") || path.codePoints().anyMatch(Character::isISOControl)) {
            return false;
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
