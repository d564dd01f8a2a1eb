package hudson.model;

import java.io.File;
import java.io.IOException;
import java.util.Iterator;
import jenkins.model.lazy.AbstractLazyLoadRunMap;

/** Subset of jenkins-core {@code hudson.model.RunMap} (jenkins-2.541.3). */
public final class RunMap<R extends Run<?, ?>> extends AbstractLazyLoadRunMap<R> implements Iterable<R> {
    private RunMap() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Iterator<R> iterator() {
        throw new UnsupportedOperationException();
    }

    @Override
    protected int getNumberOf(R r) {
        throw new UnsupportedOperationException();
    }

    @Override
    protected R retrieve(File d) throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    protected Class<R> getBuildClass() {
        throw new UnsupportedOperationException();
    }
}
