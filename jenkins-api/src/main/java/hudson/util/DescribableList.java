package hudson.util;

import hudson.model.Describable;
import hudson.model.Descriptor;

/** Subset of jenkins-core {@code hudson.util.DescribableList} (jenkins-2.541.3): finding one entry by type. */
public class DescribableList<T extends Describable<T>, D extends Descriptor<T>> {
    public <U extends T> U get(Class<U> type) {
        throw new UnsupportedOperationException();
    }
}
