package io.jenkins.plugins.berth.model;

/** Templates the contract supplies when a deploy file leaves them out. */
final class DefaultTemplates {
    private DefaultTemplates() {}

    static Template environmentName(String file) {
        return Template.parse(EnvironmentSpec.DEFAULT_NAME, Position.startOf(file), n -> Position.startOf(file),
                new Problems());
    }
}
