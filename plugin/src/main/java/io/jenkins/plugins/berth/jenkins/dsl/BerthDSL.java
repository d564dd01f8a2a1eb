package io.jenkins.plugins.berth.jenkins.dsl;

import groovy.lang.Binding;
import hudson.Extension;
import org.jenkinsci.plugins.workflow.cps.CpsScript;
import org.jenkinsci.plugins.workflow.cps.GlobalVariable;
import org.jenkinsci.plugins.workflow.cps.GroovySourceFileAllowlist;

/**
 * The {@code berth} variable of Jenkinsfiles. Like docker-workflow's {@code docker}, it loads its Groovy
 * class through the script's class loader, so the class is CPS-transformed and may call steps, and
 * caches the instance in the script's binding. The Groovy class is glue over Berth's steps.
 */
@Extension
public final class BerthDSL extends GlobalVariable {

    @Override
    public String getName() {
        return "berth";
    }

    @Override
    public Object getValue(CpsScript script) throws Exception {
        Binding binding = script.getBinding();
        if (binding.hasVariable(getName())) {
            return binding.getVariable(getName());
        }
        Object berth = script.getClass().getClassLoader().loadClass("io.jenkins.plugins.berth.jenkins.dsl.Berth")
                .getConstructor(Object.class).newInstance(script);
        binding.setVariable(getName(), berth);
        return berth;
    }

    /** Lets the sandbox load Berth.groovy, and only that file of the plugin. */
    @Extension
    public static final class Allowlist extends GroovySourceFileAllowlist {
        private final String scriptUrl = BerthDSL.class.getResource("Berth.groovy").toString();

        @Override
        public boolean isAllowed(String groovySourceFileUrl) {
            return groovySourceFileUrl.equals(scriptUrl);
        }
    }
}
