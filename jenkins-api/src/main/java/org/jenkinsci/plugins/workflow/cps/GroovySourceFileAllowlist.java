package org.jenkinsci.plugins.workflow.cps;

/** Subset of workflow-cps {@code GroovySourceFileAllowlist} (4275.vb_0565eb_a_3d36). */
public abstract class GroovySourceFileAllowlist {
    public abstract boolean isAllowed(String groovySourceFileUrl);
}
