FROM python:3.12
ARG NAME
ARG GREETING
RUN <<-EOF
	echo "$NAME"
	EOF
RUN <<EOF
#!/usr/bin/env python3
print("${GREETING}")
EOF
