FROM alpine
ARG A B=2 C
RUN echo $A $B \
    $C
