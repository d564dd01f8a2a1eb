# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ARG DIR
ARG VERSION
RUN dir `
    %DIR% $DIR
COPY app-${VERSION}.zip C:\app\
