#!/usr/bin/env bash
# Starts the app's $BERTH_COLOR on 127.0.0.1:$BERTH_PORT and returns once it answers; Berth then checks
# its health, switches nginx to it and retires the other colour.
#
# The app runs from the image Berth built ($BERTH_IMAGE_APP, digest-pinned) as a podman container when
# podman can run one on this machine; otherwise as a process from the build output (app/build/app), and
# says so. What it started is noted in $RUN_DIR/colors, for ops/stop.sh.
set -euo pipefail
name="$BERTH_ENVIRONMENT-$BERTH_COLOR"
colors="$RUN_DIR/colors"
mkdir -p "$colors"
verdict="$RUN_DIR/runtime"   # "podman", or "process: why"; decided by the first start on this machine

await() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$BERTH_PORT") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

limit() { # OPTION: 4096, or the hard limit of `ulimit OPTION` when lower, as SOFT:HARD
  local hard
  hard="$(ulimit -H "$1")"
  if [ "$hard" != unlimited ] && [ "$hard" -lt 4096 ]; then echo "$hard:$hard"; else echo 4096:4096; fi
}

if [ ! -f "$verdict" ] && ! command -v podman >/dev/null; then
  echo "process: podman is not installed" >"$verdict"
fi
if [ ! -f "$verdict" ] || [ "$(cat "$verdict")" = podman ]; then
  # Modest rlimits of our own: podman's defaults (and even this shell's) may be more than a container
  # may set on a sandboxed host. The app needs a few files and threads.
  if podman run --detach --replace --name "$name" --label berth-demo=1 --network host --tls-verify=false \
      --ulimit "nofile=$(limit -n)" --ulimit "nproc=$(limit -u)" \
      -e PORT="$BERTH_PORT" -e ENVIRONMENT="$BERTH_ENVIRONMENT" -e COLOR="$BERTH_COLOR" -e BASE_PATH="$BASE_PATH" \
      "$BERTH_IMAGE_APP" >"$colors/$name.podman.log" 2>&1 && await; then
    echo podman >"$verdict"
    echo "$name" >"$colors/$name.container"
    echo "started $BERTH_COLOR as podman container $name from $BERTH_IMAGE_APP on port $BERTH_PORT"
    exit 0
  fi
  podman rm --force "$name" >/dev/null 2>&1 || true
  if [ -f "$verdict" ]; then
    cat "$colors/$name.podman.log" >&2
    echo "podman could not start $name" >&2
    exit 1
  fi
  echo "process: podman cannot run a container here ($(grep -m1 -i error "$colors/$name.podman.log" || tail -1 "$colors/$name.podman.log"))" >"$verdict"
fi

# No container runtime: the binary the image was built from, as a process of its own session.
echo "running the build output app/build/app as a process, not the image ($(sed 's/^process: //' "$verdict"))"
mkdir -p "$colors/$name"
cp app/build/app "$colors/$name/app"
PORT="$BERTH_PORT" ENVIRONMENT="$BERTH_ENVIRONMENT" COLOR="$BERTH_COLOR" BASE_PATH="$BASE_PATH" \
  setsid "$colors/$name/app" >"$colors/$name/app.log" 2>&1 </dev/null &
echo $! >"$colors/$name.pid"
if ! await; then
  cat "$colors/$name/app.log" >&2
  echo "the app did not answer on port $BERTH_PORT within 10 seconds" >&2
  exit 1
fi
echo "started $BERTH_COLOR as process $(cat "$colors/$name.pid") on port $BERTH_PORT"
