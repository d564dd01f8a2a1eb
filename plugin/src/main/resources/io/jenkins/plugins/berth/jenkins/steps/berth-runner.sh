#!/bin/sh
# Starts the Berth runner ($BERTH_RUNNER, a jar) as bin/berth starts the command line: a short-lived JVM (one
# compiler tier, the serial collector, a small young generation) with a class data sharing archive beside the jar.
# The first run on an agent records the classes it loads into a new archive as it exits (-XX:ArchiveClassesAtExit,
# then renamed into place); a JVM that cannot use the archive (another version) starts without it, silently, and
# one that lacks an option ignores it.
# BERTH_JAVA: the java to run (default: java on the PATH).
# BERTH_RUNNER may name the folder that holds the jar instead (a build's own agent, where the runner was unstashed).
java="${BERTH_JAVA:-java}"
if [ -d "$BERTH_RUNNER" ]; then
  for jar in "$BERTH_RUNNER"/berth-runner-*.jar; do BERTH_RUNNER="$jar"; break; done
fi
archive="$BERTH_RUNNER.jsa"
if [ -f "$archive" ]; then
  exec "$java" -XX:+IgnoreUnrecognizedVMOptions -Xshare:auto -XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 \
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn32m -jar "$BERTH_RUNNER" "$@"
fi
"$java" -XX:+IgnoreUnrecognizedVMOptions -XX:ArchiveClassesAtExit="$archive.$$" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn32m -jar "$BERTH_RUNNER" "$@"
code=$?
if [ -s "$archive.$$" ]; then mv -f "$archive.$$" "$archive"; else rm -f "$archive.$$"; fi
exit "$code"
