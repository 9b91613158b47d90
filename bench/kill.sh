#!/usr/bin/env bash
# kill -9 at random moments (issue 21, item 5), longer than the suite's 20: the kill test (tests/Tend.EndToEnd.Tests/
# KillTests.cs) with TEND_KILLS kills spread over data add, train, models register, models promote and pipeline run; after
# each, tend doctor must find the store, the audit chain and every referenced file whole, and its repair leave no stuck
# run, orphan or temp leftover. Prints each command's fate. Usage: bench/kill.sh [KILLS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/Tend.EndToEnd.Tests --nologo -v quiet >/dev/null
start=$(date +%s)
TEND_KILLS=${1:-100} TEND_KILL_SEED=${2:-9} dotnet test tests/Tend.EndToEnd.Tests --no-build --filter "FullyQualifiedName~KillTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "^ (seed|data add|train|models|pipeline)|Passed |Failed |Error Message" -A2 | grep -v '^--$'
echo "$(( $(date +%s) - start )) s"
