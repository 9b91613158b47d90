# Sourced by the benchmarks: `tend` as a Release build, and spam workspaces to measure with.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dotnet build "$root/src/Tend.Cli" -c Release --nologo -v quiet >/dev/null
tend="dotnet $root/src/Tend.Cli/bin/Release/net10.0/linux-x64/tend.dll"
# The first admin's token of every store a benchmark serves (docs/security.md): the benchmarks' own, never a secret.
export TEND_ADMIN_TOKEN=tend_pat_BenchOnlyAdminTokenNotASecret0000L5b59

# spam_workspace DIR: a project on samples/spam/spam.csv with its data added.
spam_workspace() {
  $tend init "$1" --task binary --label type --data "$root/samples/spam/spam.csv" --name spam >/dev/null
  $tend data add "$root/samples/spam/spam.csv" --workspace "$1" >/dev/null
}

# register_next DIR: trains with tend.yaml as it is and registers the run as the next version.
register_next() {
  local run
  run=$($tend train --workspace "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])')
  $tend models register "$run" --workspace "$1" >/dev/null
}

# spam_champion DIR: a spam workspace whose version 1 is evaluated and champion.
spam_champion() {
  spam_workspace "$1"
  register_next "$1"
  $tend evaluate spam@1 --workspace "$1" >/dev/null
  $tend models promote spam 1 --reason bench --workspace "$1" >/dev/null
}
