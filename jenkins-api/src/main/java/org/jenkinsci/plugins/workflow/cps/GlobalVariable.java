package org.jenkinsci.plugins.workflow.cps;

/** Subset of workflow-cps {@code GlobalVariable} (4275.vb_0565eb_a_3d36). */
public abstract class GlobalVariable {
    public abstract String getName();

    public abstract Object getValue(CpsScript script) throws Exception;
}
