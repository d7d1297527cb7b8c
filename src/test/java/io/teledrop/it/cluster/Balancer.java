package io.teledrop.it.cluster;

import io.teledrop.it.Reaper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx as the cluster's round-robin balancer, as docs/cluster.md configures it: no stickiness,
 * request and response bodies streamed (no buffering, no size limit), a request that could not reach a node
 * (refused, timed out before it was sent) passed to the next. Runs in the foreground as a child of the test JVM, with every path under its own folder.
 */
final class Balancer implements AutoCloseable {

    private final Process process;

    Balancer(Path folder, int port, List<Integer> nodePorts) throws IOException, InterruptedException {
        Files.createDirectories(folder.resolve("tmp"));
        String upstreams = nodePorts.stream().map(p -> "        server 127.0.0.1:" + p + " max_fails=1 fail_timeout=2s;")
                .collect(Collectors.joining("\n"));
        Path conf = folder.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes 2;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    upstream teledrop {
                %2$s
                        keepalive 32;
                    }
                    server {
                        listen 127.0.0.1:%3$d;
                        client_max_body_size 0;
                        proxy_request_buffering off;
                        proxy_buffering off;
                        proxy_http_version 1.1;
                        proxy_read_timeout 300s;
                        proxy_send_timeout 300s;
                        location / {
                            proxy_pass http://teledrop;
                            proxy_set_header Host $http_host;
                            proxy_set_header Connection "";
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_next_upstream error timeout;
                            proxy_next_upstream_tries 3;
                        }
                    }
                }
                """.formatted(folder.toAbsolutePath(), upstreams, port));
        process = new ProcessBuilder(Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx", "-p", folder.toAbsolutePath().toString(), "-c", conf.toAbsolutePath().toString(),
                "-e", folder.resolve("error.log").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("console.log").toFile()).start();
        Reaper.killWhenTestEnds(process);
        if (process.waitFor(1, TimeUnit.SECONDS)) {
            throw new IllegalStateException("nginx exited with " + process.exitValue() + ": see " + folder.resolve("error.log"));
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
