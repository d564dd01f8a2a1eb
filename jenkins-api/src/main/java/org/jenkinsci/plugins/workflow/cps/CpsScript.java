package org.jenkinsci.plugins.workflow.cps;

import com.cloudbees.groovy.cps.SerializableScript;
import java.io.IOException;

/** Subset of workflow-cps {@code CpsScript} (4275.vb_0565eb_a_3d36): the type a global variable receives. */
public abstract class CpsScript extends SerializableScript {
    public CpsScript() throws IOException {
        throw new UnsupportedOperationException();
    }
}
