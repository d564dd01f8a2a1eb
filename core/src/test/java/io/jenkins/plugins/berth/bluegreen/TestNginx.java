package io.jenkins.plugins.berth.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.model.Stage;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * nginx on 127.0.0.1 and a free port, proxying to an upstream include file, with python3 HTTP servers
 * per colour serving the files of {@code <folder>/<colour>/}: the nginx target's test bed.
 */
final class TestNginx implements AutoCloseable {
    final Path dir;
    final int bluePort;
    final int greenPort;
    final int port;
    /** The preview server's port ({@link #startWithPreview}), else 0. */
    final int previewPort;
    private final Process nginx;

    private TestNginx(Path dir, int bluePort, int greenPort, int port, int previewPort, Process nginx) {
        this.dir = dir;
        this.bluePort = bluePort;
        this.greenPort = greenPort;
        this.port = port;
        this.previewPort = previewPort;
        this.nginx = nginx;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static TestNginx start(Path dir) throws Exception {
        return start(dir, false);
    }

    /**
     * As {@link #start(Path)}, with a second server on {@link #previewPort} proxying to {@code app_preview}, the
     * upstream Berth writes for the colour that serves no traffic when the deploy block has {@code preview_url}.
     */
    static TestNginx startWithPreview(Path dir) throws Exception {
        return start(dir, true);
    }

    private static TestNginx start(Path dir, boolean preview) throws Exception {
        assertThat(Path.of("/usr/sbin/nginx")).as("nginx is missing: run scripts/install-tools").isExecutable();
        int blue = freePort();
        int green = freePort();
        int port = freePort();
        int previewPort = preview ? freePort() : 0;
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve(SERVER), SERVER_SCRIPT);
        Files.writeString(dir.resolve("upstream.conf"), NginxTarget.upstreamBlock("app", Color.BLUE, blue,
                preview ? Optional.of(green) : Optional.empty()));
        String previewServer = preview ? "server {\n        listen 127.0.0.1:" + previewPort
                + ";\n        location / { proxy_pass http://app_preview; }\n    }" : "";
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.writeString(dir.resolve("nginx.conf"), (root ? "user root;\n" : "") + """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log;
                events { worker_connections 256; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/upstream.conf;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / { proxy_pass http://app; }
                    }
                    %3$s
                }
                """.formatted(dir, port, previewServer));
        Process nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("logs/nginx.out").toFile())
                .start();
        awaitPort(port);
        return new TestNginx(dir, blue, green, port, previewPort, nginx);
    }

    static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                assertThat(System.nanoTime()).as("port " + port + " opens").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    /** The version a colour serves next, and whether its health endpoint answers. */
    void release(Color color, String version, boolean healthy) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(color.keyword()));
        Files.writeString(folder.resolve("version"), version);
        Files.deleteIfExists(folder.resolve("health"));
        if (healthy) {
            Files.writeString(folder.resolve("health"), "ok");
        }
    }

    /**
     * A colour's app: the files of its folder over HTTP, {@code /health} (while the folder has a file of that name)
     * showing the deploy it belongs to ({@code BERTH_DEPLOY_ID}), and {@code /slow}, which answers its version after 2 s
     * (a request in flight when the colour is stopped). SIGTERM ends it at once, cutting what it was answering.
     */
    private static final String SERVER_SCRIPT = """
            import functools, http.server, os, sys, time
            class Handler(http.server.SimpleHTTPRequestHandler):
                def do_GET(self):
                    if self.path == '/health' and os.path.exists(os.path.join(self.directory, 'health')):
                        body = ('ok ' + os.environ.get('BERTH_DEPLOY_ID', '')).encode()
                        self.send_response(200)
                        self.send_header('Content-Length', str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                        return
                    if self.path == '/slow':
                        time.sleep(2)
                        self.path = '/version'
                    super().do_GET()
                def log_message(self, *args):
                    pass
            port, folder = int(sys.argv[1]), sys.argv[2]
            server = http.server.ThreadingHTTPServer(('127.0.0.1', port), functools.partial(Handler, directory=folder))
            server.serve_forever()
            """;

    private static final String SERVER = "server.py";

    /**
     * The deploy block of a blue-green stage over this nginx's two colours: {@code health} holds the health
     * keys besides the URL, {@code deployKeys} more keys of the deploy block ({@code keep: 10m}).
     */
    Deploy deploy(String health, String... deployKeys) {
        StringBuilder more = new StringBuilder();
        for (String key : deployKeys) {
            more.append("\n      ").append(key);
        }
        return ((Stage.DeployAction) TestFiles.valid("""
                version: 1
                stages:
                  - name: publish
                    deploy:
                      strategy: blue-green
                      target: nginx
                      colors: { blue: %d, green: %d }
                      start: ./start
                      stop: ./stop
                      nginx: { upstream: app, upstream_file: upstream.conf, reload: nginx -s reload }
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/health", %s }%s
                """.formatted(bluePort, greenPort, health, more)).stages().get(0).action()).deploy();
    }

    /**
     * A request of {@code deploy}: each colour's variables and health URL through its own port, and after the switch
     * {@code livePath} through nginx.
     */
    BlueGreen.Request request(Deploy deploy, String livePath) {
        java.util.function.Function<Color, java.util.Map<String, String>> variables = color -> java.util.Map.of(
                "BERTH_COLOR", color.keyword(), "BERTH_PORT", String.valueOf(color.port(deploy.colors().orElseThrow())));
        return new BlueGreen.Request(deploy, variables,
                color -> "http://127.0.0.1:" + color.port(deploy.colors().orElseThrow()) + "/health",
                color -> "http://127.0.0.1:" + port + livePath, "up", java.util.Map.of());
    }

    /** The nginx target over this nginx, its commands' output logged under "publish". */
    NginxTarget target(Log log) {
        return target(log, Optional.empty());
    }

    /** The nginx target over this nginx; with {@code preview}, it writes the preview upstream too. */
    NginxTarget target(Log log, Optional<Deploy.Colors> preview) {
        String nginxArgs = "/usr/sbin/nginx -p \"" + dir + "\" -c \"" + dir.resolve("nginx.conf") + "\"";
        return new NginxTarget(Scripts.of(new LocalCommandRunner(dir), log, "publish"),
                "python3 \"" + SERVER + "\" \"$BERTH_PORT\" \"$BERTH_COLOR\" >\"$BERTH_COLOR.log\""
                        + " 2>&1 </dev/null & echo $! > \"$BERTH_COLOR.pid\"",
                Optional.of("kill \"$(cat \"$BERTH_COLOR.pid\")\"; rm \"$BERTH_COLOR.pid\""),
                "app", dir.resolve("upstream.conf"), nginxArgs + " -t", nginxArgs + " -s reload", preview);
    }

    @Override
    public void close() throws Exception {
        nginx.destroy();
        nginx.waitFor(10, TimeUnit.SECONDS);
        for (String color : List.of("blue", "green")) {
            Path pid = dir.resolve(color + ".pid");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroy);
            }
        }
    }
}
