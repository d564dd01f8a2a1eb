# syntax=docker/dockerfile:1
FROM alpine
ARG A
ARG B
ARG C
ARG D
ARG E
COPY <<'EOF' /notes.txt
ARG HIDDEN
FROM $A
EOF
COPY <<EOF /config.txt
value=$B
EOF
RUN <<EOF
echo $C
EOF
RUN cat <<'EOF' > /x && cat <<EOT > /y
$D
EOF
$E
EOT
