FROM alpine
ARG A
ARG B
ARG C
ARG D
ARG E
ARG F
RUN ["echo", "$A"]
CMD echo $B
ENTRYPOINT ["sh", "-c", "echo $C"]
RUN echo \$D '$D' "\$E"
HEALTHCHECK CMD wget -q http://localhost/$F || exit 1
SHELL ["/bin/sh", "-c"]
