FROM alpine
ARG A
ARG B
ENV FIRST $A and more words
ENV X=1 Y=$B Z="${X}"
LABEL org.opencontainers.image.version=$A description="b is $B"
