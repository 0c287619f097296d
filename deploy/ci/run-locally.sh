#!/usr/bin/env bash
# Runs the specsync steps of the CI pipelines in this folder locally, against two bundled emulators
# standing in for the dev and prod targets: for each pipeline file, every line of it that starts
# with `specsync ` (after its indentation or a YAML `- `), in the file's order, exactly as written,
# in a fresh git repository of Config/examples. Each step starts with no state, as a fresh CI job
# does (stateless CI mode); files one step writes (the plan comment, the saved plan) are there for
# the next, as artifacts are. What only a CI service can do (install, post the comment, approve the
# environment) is not run. Afterwards both targets must be in sync with git, and the comment must
# start with its marker line.
#
#   deploy/ci/run-locally.sh [PIPELINE_FILE…]      (default: github-actions.yml and gitlab-ci.yml)
#   SPECSYNC_BIN=path/to/specsync …                 (default: builds it with swift build)
#
# `validate --format github` (annotations) comes with issue 19's other half; a specsync without it
# answers that step with a usage error (exit 64), which this script reports as skipped — that one
# step only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/deploy/emulator-env.sh"

bin="${SPECSYNC_BIN:-}"
if [ -z "$bin" ]; then
  (cd "$root" && swift build --product specsync >&2)
  bin="$(cd "$root" && swift build --show-bin-path)/specsync"
fi
# A SPECSYNC_ variable is configuration to specsync, which refuses one it does not know.
unset SPECSYNC_BIN
pipelines=("$@")
[ ${#pipelines[@]} -gt 0 ] || pipelines=("$here/github-actions.yml" "$here/gitlab-ci.yml")

work="$(mktemp -d -t specsync-ci.XXXXXX)"
started=()
# SIGKILL: the emulator keeps nothing worth a graceful stop, and a test runner's children inherit a
# blocked SIGTERM.
stop_emulators() {
  for pid in "${started[@]}"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  started=()
}
trap 'stop_emulators; rm -rf "$work"' EXIT

# target NAME URL SANDBOX SECRET_VARIABLE: a Flow Service target on an emulator.
target() {
  cat <<YAML
  $1:
    flowService:
      baseURL: $2/data/foundation/flowservice
      imsURL: $2
      orgId: EMULATOR0000000000000000@AdobeOrg
      sandbox: $3
      clientId: specsync-emulator
      clientSecret: {env: $4}
YAML
}

specsync() { "$bin" "$@"; }
export bin
export -f specsync
export DEV_CLIENT_SECRET=emulator-secret PROD_CLIENT_SECRET=emulator-secret NO_COLOR=1

for pipeline in "${pipelines[@]}"; do
  name="$(basename "$pipeline")"
  echo "== $name"
  mapfile -t steps < <(sed -n -E 's/^[[:space:]]*(- )?(specsync[[:space:]].*)$/\2/p' "$pipeline")
  if [ ${#steps[@]} -eq 0 ]; then echo "no specsync steps in $pipeline" >&2; exit 1; fi

  mkdir -p "$work/$name/dev" "$work/$name/prod"
  start_emulator "$bin" "$work/$name/dev" --sandbox dev; started+=("$EMULATOR_PID"); dev_url="$EMULATOR_URL"
  start_emulator "$bin" "$work/$name/prod" --sandbox prod; started+=("$EMULATOR_PID"); prod_url="$EMULATOR_URL"

  repo="$work/$name/repo"
  mkdir -p "$repo"
  cp -R "$root/Config/examples/Sources" "$repo/"
  { echo "targets:"; target dev "$dev_url" dev DEV_CLIENT_SECRET; target prod "$prod_url" prod PROD_CLIENT_SECRET; } > "$repo/specsync.yaml"
  printf '.specsync/\nplan-comment.md\nsync-dev.json\nprod.plan.json\n' > "$repo/.gitignore"
  git -C "$repo" init -q -b main
  git -C "$repo" -c user.name=ci -c user.email=ci@specsync.invalid add -A
  git -C "$repo" -c user.name=ci -c user.email=ci@specsync.invalid commit -q -m "example connectors"

  for step in "${steps[@]}"; do
    echo "-- $step"
    rm -rf "$repo/.specsync"  # a fresh CI job keeps no state
    status=0
    (cd "$repo" && bash -c "$step") 2> "$work/stderr" || status=$?
    if [ "$status" -ne 0 ]; then
      if [ "$status" -eq 64 ] && [[ "$step" == *"--format github"* ]] && grep -q "github" "$work/stderr"; then
        echo "   skipped: this specsync has no --format github yet (validate annotations, issue 19's other half)"
        continue
      fi
      cat "$work/stderr" >&2
      echo "step failed (exit $status): $step" >&2
      exit 1
    fi
    cat "$work/stderr" >&2
  done

  # What the pipeline left: the comment's marker line, and both targets in sync with git.
  if [ -f "$repo/plan-comment.md" ]; then
    marker="$(head -n 1 "$repo/plan-comment.md")"
    [ "$marker" = "<!-- specsync-plan target=dev -->" ] || { echo "the plan comment starts with '$marker', not its marker" >&2; exit 1; }
  fi
  # Stateless, a target in sync plans nothing but `record` (the remote already holds git's body).
  for name_of_target in dev prod; do
    rm -rf "$repo/.specsync"
    if ! (cd "$repo" && "$bin" plan --rev HEAD --target "$name_of_target" --format json > "$work/check" 2>&1); then
      cat "$work/check" >&2; echo "after $name, the plan for $name_of_target failed" >&2; exit 1
    fi
    if grep -o '"decision": "[a-z]*"' "$work/check" | grep -v -q -E '"(record|unchanged)"$'; then
      cat "$work/check" >&2; echo "after $name, target $name_of_target is not in sync with git" >&2; exit 1
    fi
  done
  echo "ok: $name: ${#steps[@]} steps; dev and prod in sync"
  stop_emulators
done
