#!/usr/bin/env bash
# Stops the app's $BERTH_COLOR, whichever way ops/start.sh ran it. Berth runs it when it retires a colour
# (keep: 0, right after the switch), and at teardown from the copy it kept with the environment.
# SIGTERM first: the app finishes the requests in flight.
set -euo pipefail
name="$BERTH_ENVIRONMENT-$BERTH_COLOR"
colors="$RUN_DIR/colors"
if [ -f "$colors/$name.container" ]; then
  podman stop --time 5 "$name" >/dev/null
  podman rm --force "$name" >/dev/null
  rm -f "$colors/$name.container"
  echo "stopped podman container $name"
elif [ -f "$colors/$name.pid" ]; then
  pid="$(cat "$colors/$name.pid")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -rf "$colors/$name.pid" "$colors/$name"
  echo "stopped process $pid ($name)"
else
  echo "$name is not running"
fi
