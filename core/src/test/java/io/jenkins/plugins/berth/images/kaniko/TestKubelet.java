package io.jenkins.plugins.berth.images.kaniko;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The part of a kubelet the API server talks to for a build, over HTTPS on 127.0.0.1: it serves a container's log
 * ({@code GET /containerLogs/NS/POD/CONTAINER}, the lines a test gives it) and takes an attach to a container's
 * standard input ({@code /attach/NS/POD/CONTAINER} as a WebSocket in the {@code v4.channel.k8s.io} protocol, which
 * the API server passes through unchanged to a node that declares {@code ExtendWebSocketsToKubelet}). What arrives
 * on standard input is read as a tar, the way the init container's {@code tar -x} reads it, and ends where the tar
 * ends; the files are kept per pod for the test to check.
 *
 * <p>It runs no container: the build's real kaniko cannot run here (no container runtime that the API server could
 * drive). So the kaniko log is what the test says it is, and the context is checked as the bytes that arrived.
 */
public final class TestKubelet implements AutoCloseable {

    final int port;
    private final SSLServerSocket server;
    private final Thread acceptor;
    /** The log lines of each pod's kaniko container. */
    private final Map<String, List<String>> logs = new ConcurrentHashMap<>();
    /** The files each pod's init container received, by path in the tar. */
    public final Map<String, Map<String, byte[]>> received = new ConcurrentHashMap<>();
    /** The modes of those files. */
    final Map<String, Map<String, Integer>> modes = new ConcurrentHashMap<>();
    /** Pods whose log this kubelet cannot give (a runtime that lost it): 404. */
    final java.util.Set<String> unreadable = ConcurrentHashMap.newKeySet();
    /** Every request line, for the test's messages. */
    final List<String> requests = new CopyOnWriteArrayList<>();

    public TestKubelet(Path keystore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, password.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        port = server.getLocalPort();
        acceptor = new Thread(this::accept, "test-kubelet");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    void log(String pod, List<String> lines) {
        logs.put(pod, List.copyOf(lines));
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> handle(socket), "test-kubelet-request");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String requestLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                        header.substring(colon + 1).strip());
            }
            requests.add(requestLine);
            String path = requestLine.split(" ")[1];
            String[] parts = path.split("\\?")[0].split("/");
            if (parts.length == 5 && parts[1].equals("containerLogs") && unreadable.contains(parts[3])) {
                // As a kubelet whose runtime lost the container (not a 5xx: clients retry those for a while).
                byte[] text = "container kaniko not found".getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 404 Not Found\r\nContent-Length: " + text.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(text);
            } else if (parts.length == 5 && parts[1].equals("containerLogs")) {
                List<String> lines = logs.getOrDefault(parts[3], List.of());
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                        + String.join("\n", lines) + (lines.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8));
                out.flush();
            } else if (parts.length == 5 && parts[1].equals("attach") && headers.containsKey("sec-websocket-key")) {
                attach(parts[3], headers, in, out);
            } else {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            }
        } catch (Exception e) {
            requests.add("failed: " + e);
        }
    }

    /** The WebSocket: frames from the client carry a channel byte first; channel 0 is standard input. */
    private void attach(String pod, Map<String, String> headers, InputStream in, OutputStream out) throws Exception {
        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                (headers.get("sec-websocket-key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                        .getBytes(StandardCharsets.US_ASCII)));
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        PipedOutputStream stdin = new PipedOutputStream();
        PipedInputStream tarInput = new PipedInputStream(stdin, 1 << 20);
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, Integer> fileModes = new LinkedHashMap<>();
        Thread untar = new Thread(() -> {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(tarInput)) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (!entry.isDirectory()) {
                        files.put(entry.getName(), tar.readAllBytes());
                        fileModes.put(entry.getName(), entry.getMode());
                    }
                }
            } catch (IOException e) {
                files.put("!error", e.toString().getBytes(StandardCharsets.UTF_8));
            }
        }, "test-kubelet-tar");
        untar.start();
        Thread pump = new Thread(() -> {
            try {
                while (true) {
                    Frame frame = Frame.read(in);
                    if (frame == null || frame.opcode == 0x8) {
                        break;
                    }
                    if ((frame.opcode == 0x2 || frame.opcode == 0x0) && frame.payload.length > 0
                            && frame.payload[0] == 0) {
                        stdin.write(frame.payload, 1, frame.payload.length - 1);
                        stdin.flush();
                    }
                }
            } catch (IOException e) {
                // the tar ended (what comes after it, tar does not read either), or the connection closed
            }
            try {
                stdin.close();
            } catch (IOException e) {
                // already closed
            }
        }, "test-kubelet-stdin");
        pump.setDaemon(true);
        pump.start();
        untar.join(60_000);
        received.put(pod, files);
        modes.put(pod, fileModes);
        // The status channel (3) says the process ended well, then the connection closes.
        byte[] status = "{\"metadata\":{},\"status\":\"Success\"}".getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[status.length + 1];
        message[0] = 3;
        System.arraycopy(status, 0, message, 1, status.length);
        write(out, 0x2, message);
        write(out, 0x8, new byte[] {0x03, (byte) 0xE8});
        out.flush();
    }

    private record Frame(int opcode, byte[] payload) {
        static Frame read(InputStream in) throws IOException {
            int first = in.read();
            int second = in.read();
            if (first < 0 || second < 0) {
                return null;
            }
            long length = second & 0x7F;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | in.read();
                }
            }
            byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) length);
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
            }
            return new Frame(first & 0x0F, payload);
        }
    }

    private static void write(OutputStream out, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else if (payload.length < 65536) {
            frame.write(126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >> (8 * i)) & 0xFF);
            }
        }
        frame.write(payload);
        out.write(frame.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
