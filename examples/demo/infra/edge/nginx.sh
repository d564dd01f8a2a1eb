# nginx.sh start|stop: the edge stack's nginx, in $DIR, listening on 127.0.0.1:$PORT.
set -eu
case "$1" in
start)
  mkdir -p "$DIR/routes" "$DIR/upstreams" "$DIR/logs" "$DIR/temp"
  {
    # As root, workers run as root too: the demo folder is its owner's alone.
    if [ "$(id -u)" = 0 ]; then echo "user root;"; fi
    cat <<CONF
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/logs/error.log;
events { worker_connections 512; }
http {
    access_log $DIR/logs/access.log;
    client_body_temp_path $DIR/temp/body;
    proxy_temp_path $DIR/temp/proxy;
    fastcgi_temp_path $DIR/temp/fastcgi;
    uwsgi_temp_path $DIR/temp/uwsgi;
    scgi_temp_path $DIR/temp/scgi;
    # Each environment's upstream: Berth's blue-green switch writes it (nginx.upstream_file).
    include $DIR/upstreams/*.conf;
    server {
        listen 127.0.0.1:$PORT;
        # Each environment's route, /<environment>/: the route stack of the environment writes it.
        include $DIR/routes/*.conf;
        location = / {
            default_type text/plain;
            return 200 "Berth demo: each environment is under /<environment>/, e.g. /demo-main/\n";
        }
    }
}
CONF
  } >"$DIR/nginx.conf"
  # nginx runs on after OpenTofu: in a clean environment (not OpenTofu's, which holds the state
  # backend's password), without a terminal or an output pipe that would hold OpenTofu up.
  env -i PATH=/usr/sbin:/usr/bin:/bin /usr/sbin/nginx -p "$DIR" -c nginx.conf -e logs/error.log \
    </dev/null >/dev/null 2>&1
  echo "nginx started on 127.0.0.1:$PORT ($DIR)"
  ;;
stop)
  if [ -f "$DIR/nginx.pid" ]; then
    pid="$(cat "$DIR/nginx.pid")"
    kill -TERM "$pid" 2>/dev/null || true   # a fast shutdown: every environment is gone already
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$DIR"
  echo "nginx stopped, $DIR removed"
  ;;
esac
