# A teardown stage. Berth runs it first when the environment is torn down, while the app still serves
# and the stacks still exist (BERTH_ENV_URL and the stacks' outputs are set), from the copy of this file
# it kept with the environment: the branch may be gone by then. A failing teardown stage would stop
# the teardown, so an app that no longer answers is only reported.
if page="$(curl -fsS --max-time 5 "$BERTH_ENV_URL" 2>&1)"; then
  echo "the last page of $BERTH_ENVIRONMENT before it goes: $(echo "$page" | sed 's/<[^>]*>//g' | grep -m1 Hello)"
else
  echo "$BERTH_ENVIRONMENT does not answer any more ($page); tearing it down all the same"
fi
