package hudson.model;

import jenkins.model.RunAction2;

/** Subset of jenkins-core {@code hudson.model.ParametersAction} (jenkins-2.541.3). */
public class ParametersAction implements RunAction2 {
    public ParametersAction(ParameterValue... parameters) {
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
