package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.SecretMasker;
import java.io.IOException;
import java.io.Writer;

/**
 * The CLI's stdout or stderr with secrets masked: everything the command line prints passes through one
 * (usage and validation errors, the run's preamble, the engine's log), so the runner's secrets are
 * masked from its first line. Text is held until its line ends, so a secret written in pieces is still
 * found; a flush passes on an unfinished line too, masked as it stands, so a prompt shows.
 */
final class MaskedWriter extends Writer {

    private final Writer out;
    private final SecretMasker masker;
    private final StringBuilder line = new StringBuilder();

    MaskedWriter(Writer out, SecretMasker masker) {
        this.out = out;
        this.masker = masker;
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
        synchronized (lock) {
            for (int i = offset; i < offset + length; i++) {
                char c = buffer[i];
                if (c == '\n') {
                    out.write(masker.mask(line.toString()));
                    out.write('\n');
                    line.setLength(0);
                } else {
                    line.append(c);
                }
            }
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (lock) {
            if (!line.isEmpty()) {
                out.write(masker.mask(line.toString()));
                line.setLength(0);
            }
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            flush();
            out.close();
        }
    }
}
