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
            // Whole lines at a time: a listing of 100,000 environments is millions of characters.
            int start = offset;
            int end = offset + length;
            if (masker.masksNothing()) {
                // Nothing to find: the complete lines pass on as they are, the unfinished one waits.
                int last = end - 1;
                while (last >= offset && buffer[last] != '\n') {
                    last--;
                }
                if (last >= offset) {
                    if (!line.isEmpty()) {
                        out.write(line.toString());
                        line.setLength(0);
                    }
                    out.write(buffer, offset, last + 1 - offset);
                    start = last + 1;
                }
            }
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    line.append(buffer, start, i - start);
                    out.write(masker.mask(line.toString()));
                    out.write('\n');
                    line.setLength(0);
                    start = i + 1;
                }
            }
            line.append(buffer, start, end - start);
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
