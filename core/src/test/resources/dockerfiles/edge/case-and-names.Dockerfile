FROM alpine As Build
ARG lower
ARG MiXeD
RUN echo $lower $MiXeD $LOWER
FROM build AS final
COPY --from=BUILD /x /x
