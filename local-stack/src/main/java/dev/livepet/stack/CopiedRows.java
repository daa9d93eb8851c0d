package dev.livepet.stack;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Counts the rows of a COPY in text format as they pass, for the progress lines: each row ends with a newline, and a
 * newline inside a value is written as {@code \n}, never as the byte itself.
 */
final class CopiedRows {
    private CopiedRows() {
    }

    static OutputStream counting(OutputStream out, Progress progress) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                progress.add(newlines(b, off, len));
            }

            @Override
            public void close() throws IOException {
                flush(); // the stream below is the zip's: it stays open for the next entry
            }
        };
    }

    static InputStream counting(InputStream in, Progress progress) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    progress.add(newlines(b, off, n));
                }
                return n;
            }
        };
    }

    private static int newlines(byte[] b, int off, int len) {
        int rows = 0;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                rows++;
            }
        }
        return rows;
    }
}
