# route.sh add|remove: the route $BASE_PATH of environment $NAME in the edge nginx of $DIR. The
# upstream it names has no server until Berth's first blue-green switch of the environment rewrites it.
set -eu
route="$DIR/routes/$NAME.conf"
upstream="$DIR/upstreams/$NAME.conf"
case "$1" in
add)
  [ -f "$upstream" ] || printf 'upstream %s { server 127.0.0.1:9 down; }\n' "$NAME" >"$upstream"
  printf 'location %s { proxy_pass http://%s/; }\n' "$BASE_PATH" "$NAME" >"$route"
  /usr/sbin/nginx -q -t -p "$DIR" -c nginx.conf -e logs/error.log
  # No reload: nginx loads the route with the upstream, at the first blue-green switch.
  echo "route $BASE_PATH added to nginx's configuration"
  ;;
remove)
  rm -f "$route" "$upstream"
  if [ -f "$DIR/nginx.pid" ]; then /usr/sbin/nginx -p "$DIR" -c nginx.conf -e logs/error.log -s reload; fi
  echo "route $BASE_PATH removed from nginx"
  ;;
esac
