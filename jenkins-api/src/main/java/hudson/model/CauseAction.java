package hudson.model;

import jenkins.model.RunAction2;

/** Subset of jenkins-core {@code hudson.model.CauseAction} (jenkins-2.541.3). */
public class CauseAction implements RunAction2 {
    public CauseAction(Cause c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getIconFileName() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getUrlName() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        throw new UnsupportedOperationException();
    }
}
