package hudson.model;

/** Subset of jenkins-core {@code hudson.model.TopLevelItemDescriptor} (jenkins-2.541.3). */
public abstract class TopLevelItemDescriptor extends Descriptor<TopLevelItem> {
    protected TopLevelItemDescriptor() {
        throw new UnsupportedOperationException();
    }

    public abstract TopLevelItem newInstance(ItemGroup parent, String name);
}
