package hudson.model;

/** Subset of jenkins-core {@code hudson.model.Describable} (jenkins-2.541.3). */
public interface Describable<T extends Describable<T>> {
    default Descriptor<T> getDescriptor() {
        throw new UnsupportedOperationException();
    }
}
