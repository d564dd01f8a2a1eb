package io.jenkins.plugins.berth.jenkins.config;

import io.jenkins.plugins.berth.pipeline.CloudCredential;
import io.jenkins.plugins.berth.pipeline.ChangePolicy;
import io.jenkins.plugins.berth.pipeline.DeployDefaults;
import io.jenkins.plugins.berth.pipeline.StateHome;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The defaults form, on a folder ({@link BerthFolderProperty}) and in the global configuration: each field
 * text as typed, blank meaning "inherit". Every setter checks its value with core's parsers, so a bad value
 * is refused when saved (the form, or Configuration as Code, says why) and nothing is changed.
 */
public final class DeploySettings extends AbstractDescribableImpl<DeploySettings> {

    private String agentLabel = "";
    private String registry = "";
    private String registryCredentialsId = "";
    private String cloudCredentials = "";
    private String ttl = "";
    private String stateBackend = "";
    private String pullRequests = "";
    private String untrustedChanges = "";
    private String kubeconfigCredentialsId = "";

    @DataBoundConstructor
    public DeploySettings() {}

    /** What these settings set, as core reads them. */
    public DeployDefaults defaults() {
        return DeployDefaults.of(agentLabel, registry, registryCredentialsId, cloudCredentials, ttl, stateBackend)
                .withChanges(ChangePolicy.of(pullRequests, untrustedChanges)).withKubeconfig(kubeconfigCredentialsId);
    }

    public String getAgentLabel() {
        return agentLabel;
    }

    /** The label expression branch and teardown jobs run on; blank: any agent. */
    @DataBoundSetter
    public void setAgentLabel(String agentLabel) {
        this.agentLabel = text(agentLabel);
    }

    public String getRegistry() {
        return registry;
    }

    /** The registry host whose login the runner gets around every deploy, promote and teardown. */
    @DataBoundSetter
    public void setRegistry(String registry) {
        DeployDefaults.registry(registry);
        this.registry = text(registry);
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    /** The username/password credentials for {@link #getRegistry()}, bound for the runner as variables. */
    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = text(registryCredentialsId);
    }

    public String getKubeconfigCredentialsId() {
        return kubeconfigCredentialsId;
    }

    /** The secret file credentials bound as {@code KUBECONFIG} around every deploy ({@code builder: kaniko-job}). */
    @DataBoundSetter
    public void setKubeconfigCredentialsId(String kubeconfigCredentialsId) {
        DeployDefaults.NONE.withKubeconfig(kubeconfigCredentialsId);
        this.kubeconfigCredentialsId = text(kubeconfigCredentialsId);
    }

    public String getCloudCredentials() {
        return cloudCredentials;
    }

    /** Lines of {@code aws <id>}, {@code file <VARIABLE>=<id>} or {@code string <VARIABLE>=<id>}. */
    @DataBoundSetter
    public void setCloudCredentials(String cloudCredentials) {
        CloudCredential.parseAll(cloudCredentials);
        this.cloudCredentials = text(cloudCredentials);
    }

    public String getTtl() {
        return ttl;
    }

    /** The ttl of environments whose deploy file sets none ({@code 3d}). */
    @DataBoundSetter
    public void setTtl(String ttl) {
        DeployDefaults.ttl(ttl);
        this.ttl = text(ttl);
    }

    public String getStateBackend() {
        return stateBackend;
    }

    /** {@code jenkins} or {@code workspace}; blank inherits (Jenkins' default is {@code jenkins}). */
    @DataBoundSetter
    public void setStateBackend(String stateBackend) {
        StateHome.parse(stateBackend);
        this.stateBackend = text(stateBackend);
    }

    public String getPullRequests() {
        return pullRequests;
    }

    /** {@code untrusted} (every pull request; Jenkins' default) or {@code source} (as the branch source trusts). */
    @DataBoundSetter
    public void setPullRequests(String pullRequests) {
        ChangePolicy.pullRequests(pullRequests);
        this.pullRequests = text(pullRequests);
    }

    public String getUntrustedChanges() {
        return untrustedChanges;
    }

    /** {@code without-credentials} (Jenkins' default) or {@code approval}. */
    @DataBoundSetter
    public void setUntrustedChanges(String untrustedChanges) {
        ChangePolicy.untrusted(untrustedChanges);
        this.untrustedChanges = text(untrustedChanges);
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<DeploySettings> {
        @Override
        public String getDisplayName() {
            return "Berth defaults";
        }

        public FormValidation doCheckRegistry(@QueryParameter String value) {
            return check(() -> DeployDefaults.registry(value));
        }

        public FormValidation doCheckCloudCredentials(@QueryParameter String value) {
            return check(() -> CloudCredential.parseAll(value));
        }

        public FormValidation doCheckKubeconfigCredentialsId(@QueryParameter String value) {
            return check(() -> DeployDefaults.NONE.withKubeconfig(value));
        }

        public FormValidation doCheckTtl(@QueryParameter String value) {
            return check(() -> DeployDefaults.ttl(value));
        }

        public FormValidation doCheckStateBackend(@QueryParameter String value) {
            return check(() -> StateHome.parse(value));
        }

        public FormValidation doCheckPullRequests(@QueryParameter String value) {
            return check(() -> ChangePolicy.pullRequests(value));
        }

        public FormValidation doCheckUntrustedChanges(@QueryParameter String value) {
            return check(() -> ChangePolicy.untrusted(value));
        }

        private static FormValidation check(Runnable parse) {
            try {
                parse.run();
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
