package hudson.console;

import java.io.IOException;
import java.io.OutputStream;

/** Subset of jenkins-core {@code hudson.console.LineTransformationOutputStream} (jenkins-2.541.3). */
public abstract class LineTransformationOutputStream extends OutputStream {
    protected abstract void eol(byte[] b, int len) throws IOException;

    @Override
    public void write(int b) throws IOException {
        throw new UnsupportedOperationException();
    }

    public abstract static class Delegating extends LineTransformationOutputStream {
        protected Delegating(OutputStream out) {
            throw new UnsupportedOperationException();
        }
    }
}
