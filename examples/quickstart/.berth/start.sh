# Starts the app in the background on $PORT, replacing an earlier instance, and waits until it answers.
# Its output goes to build/app.log: a background process must not keep the stage's output open.
pidfile=build/app.pid
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  echo "stopping the previous instance (pid $(cat "$pidfile"))"
  kill "$(cat "$pidfile")"
  while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.1; done
fi
nohup java -cp build/classes Hello >build/app.log 2>&1 </dev/null &
echo $! > "$pidfile"
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "started pid $(cat "$pidfile") on port $PORT"
    exit 0
  fi
  kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat build/app.log; echo "the app exited" >&2; exit 1; }
  sleep 0.1
done
echo "the app did not answer on port $PORT within 10 seconds; see build/app.log" >&2
exit 1
