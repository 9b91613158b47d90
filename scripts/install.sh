#!/usr/bin/env bash
# Installs `tend` from this repository as a .NET tool: packs src/Tend.Cli (Release, ReadyToRun for linux-x64) and
# installs that package, replacing an earlier install. Global by default (~/.dotnet/tools, which must be on PATH);
# `scripts/install.sh --tool-path DIR` installs into DIR instead.
set -euo pipefail
cd "$(dirname "$0")/.."
where=(--global)
[ "${1:-}" = "--tool-path" ] && where=(--tool-path "$2")
package=$(mktemp -d)
trap 'rm -rf "$package"' EXIT
dotnet pack src/Tend.Cli -c Release -o "$package" --nologo -v quiet >/dev/null
dotnet tool uninstall "${where[@]}" Tend.Cli >/dev/null 2>&1 || true
dotnet tool install "${where[@]}" --add-source "$package" Tend.Cli >/dev/null
tend=$([ "${where[0]}" = --global ] && echo "$HOME/.dotnet/tools/tend" || echo "$2/tend")
echo "installed $tend, version $("$tend" --version)"
[ "${where[0]}" = --global ] && ! command -v tend >/dev/null && echo "add it to PATH: export PATH=\"\$PATH:\$HOME/.dotnet/tools\""
exit 0
