#!/usr/bin/env bash
# The GitHub Action's gate (action.yml): validate (with drift), SARIF for code scanning, a
# diff against the base ref, and a job summary. Inputs come as LEASH_* variables; the exit code
# is leash's: 1 when the gate fails, 2 when an input cannot be used.
set -uo pipefail
leash() { node "${GITHUB_ACTION_PATH:?}/bin/run.js" "$@"; }
cd "${GITHUB_WORKSPACE:?}" || exit 2

read -r -a manifests <<<"${LEASH_MANIFEST:-agent.yaml}"
sarif="${LEASH_SARIF:-leash.sarif}"
args=(validate "${manifests[@]}" --fail-on "${LEASH_FAIL_ON:-high}" --format sarif)
[ -n "${LEASH_DETECT:-}" ] && args+=(--detect "$LEASH_DETECT")
[ -n "${LEASH_WAIVERS:-}" ] && args+=(--waivers "$LEASH_WAIVERS")

leash "${args[@]}" >"$sarif"
status=$?
echo "sarif=$sarif" >>"${GITHUB_OUTPUT:-/dev/null}"

if [ -n "${LEASH_BASE:-}" ]; then
  for m in "${manifests[@]}"; do
    diff_args=(diff --base "$LEASH_BASE" "$m" --format md)
    [ "${LEASH_FAIL_ON_WIDENING:-true}" = "true" ] && diff_args+=(--fail-on-widening)
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
      leash "${diff_args[@]}" >>"$GITHUB_STEP_SUMMARY"
    else
      leash "${diff_args[@]}"
    fi
    d=$?
    [ $d -gt $status ] && status=$d
  done
fi
exit $status
