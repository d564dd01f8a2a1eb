# syntax=docker/dockerfile:1
# check=skip=all
FROM debian
ARG A="x y" B \
    C='z'
# a comment between continued lines
RUN echo $A \
# comment inside the instruction

    $B ${C}
  arg   D
	run echo $D
