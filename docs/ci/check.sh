#!/usr/bin/env bash
# The pull-request check of docs/ci.md. Run it in the project folder, on a scratch copy of the team's store (the CI
# checkout's .tend/, restored from the main branch's last run): nothing it adds reaches the team's store.
#   1. tend.yaml loads (a mistake: exit 2, naming the line);
#   2. the new data is valid against the dataset's schema and profile (exit 3 when not), then stored in the copy;
#   3. the model trains on it;
#   4. it is evaluated against the champion on rows neither trained on, and the evaluation is written as Markdown for
#      the pull request, whatever the verdict (a failed gate: exit 4).
# Usage: docs/ci/check.sh NEW_DATA [REPORT.md]   (TEND: the tend command, default 'tend')
set -euo pipefail
data=${1:?usage: check.sh NEW_DATA [REPORT.md]}
report=${2:-evaluation.md}
read -r -a tend <<< "${TEND:-tend}"

"${tend[@]}" data validate "$data"
"${tend[@]}" data add "$data"
run=$("${tend[@]}" train --json | sed -n 's/.*"run_id":"\([0-9a-f]*\)".*/\1/p')
[ -n "$run" ] || { echo "error: tend train printed no run_id" >&2; exit 1; }
"${tend[@]}" evaluate "$run" --report-md "$report"
