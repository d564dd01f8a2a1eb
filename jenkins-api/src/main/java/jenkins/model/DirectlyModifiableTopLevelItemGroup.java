package jenkins.model;

import hudson.model.TopLevelItem;
import java.io.IOException;

/** Subset of jenkins-core {@code jenkins.model.DirectlyModifiableTopLevelItemGroup} (jenkins-2.541.3). */
public interface DirectlyModifiableTopLevelItemGroup extends ModifiableTopLevelItemGroup {
    boolean canAdd(TopLevelItem item);

    <I extends TopLevelItem> I add(I item, String name) throws IOException, IllegalArgumentException;

    void remove(TopLevelItem item) throws IOException, IllegalArgumentException;
}
