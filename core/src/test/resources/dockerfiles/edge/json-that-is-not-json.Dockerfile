FROM alpine
ARG A
ARG B
RUN [ "$A" = "x" ] && echo ok
CMD ["echo", $B]
