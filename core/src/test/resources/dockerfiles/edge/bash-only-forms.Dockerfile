FROM alpine
ARG SHA
ARG NAME
ARG LATER
RUN echo ${SHA:0:7}
RUN echo ${#NAME} && echo $LATER
