package com.cloudbees.groovy.cps;

import groovy.lang.Binding;
import groovy.lang.Script;
import java.io.Serializable;

/** Subset of workflow-cps lib {@code SerializableScript} (4275.vb_0565eb_a_3d36). */
public abstract class SerializableScript extends Script implements Serializable {
    public SerializableScript() {
        throw new UnsupportedOperationException();
    }

    public SerializableScript(Binding binding) {
        throw new UnsupportedOperationException();
    }
}
