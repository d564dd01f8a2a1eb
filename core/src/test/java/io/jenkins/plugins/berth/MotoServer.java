package io.jenkins.plugins.berth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * moto's server on 127.0.0.1 and a random port: real HTTP speaking the AWS APIs (S3, ECR, ...), as
 * scripts/install-tools installs it. It checks no signature; the clients still need credentials.
 */
public final class MotoServer implements AutoCloseable {

    /** Credentials and region for the AWS clients the tests point at moto. */
    public static final Map<String, String> AWS = Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
            "AWS_REGION", "us-east-1");

    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static MotoServer start(Path logFile) throws Exception {
        Path server = TestFiles.projectRoot().resolve(".tools/bin/moto_server");
        assertThat(server).as("moto is missing: run scripts/install-tools").isExecutable();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(server.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return new MotoServer(process, port);
            } catch (IOException e) {
                assertThat(process.isAlive()).as("moto runs").isTrue();
                assertThat(System.nanoTime()).as("moto starts").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
