package io.jenkins.plugins.berth.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (or "development" when run from classes). */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = BerthCommand.class.getPackage().getImplementationVersion();
        return new String[] {"berth " + (version == null ? "development" : version)};
    }
}
