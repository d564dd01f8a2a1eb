#!/usr/bin/env bash
# The nginx target's reload: `nginx -s reload`, then wait until nginx serves the new configuration only.
# A reload is graceful: nginx starts new workers, and the old ones answer the requests they have before
# they exit, but may still take a new connection for a moment. Waiting for them to go makes the switch
# complete when this returns: one health check through the URL then sees the new colour, and the old
# colour can stop at once (keep: 0) without a request reaching it.
set -euo pipefail
master="$(cat "$EDGE_DIR/nginx.pid")"
workers() { cat "/proc/$master/task/$master/children"; }
old="$(workers)"
/usr/sbin/nginx -p "$EDGE_DIR" -c nginx.conf -e logs/error.log -s reload
for _ in $(seq 1 100); do
  left=""
  for pid in $old; do
    if [ -e "/proc/$pid" ]; then left="$left $pid"; fi
  done
  [ -n "$left" ] || exit 0
  sleep 0.05
done
echo "nginx reloaded, but its old workers (${left# }) did not finish within 5 seconds" >&2
exit 1
