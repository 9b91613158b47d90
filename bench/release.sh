#!/usr/bin/env bash
# The release simulation (issue 24) as a bench: the credit data replayed as traffic on a fake clock against five
# challengers (better, trained on corrupted labels, slow, starved of traffic, a dry run with a shadow phase). Prints
# each release's decisions (after how many simulated minutes in the step and on how many challenger requests) and how
# long judging took on this machine (the release controller, with the store and both models, per judgement).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test tests/Tend.EndToEnd.Tests --nologo -v q --filter "FullyQualifiedName~ReleaseSimulationTests" --logger "console;verbosity=detailed" 2>&1 \
  | sed -n '/Standard Output Messages:/,/^$/p' | sed '1d'
