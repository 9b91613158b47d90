#!/usr/bin/env bash
# The server's resident memory under malformed requests (issue 21): the fuzz test (tests/Tend.EndToEnd.Tests/Fuzz) with
# TEND_FUZZ_REQUESTS bad requests after its warm-up (600 valid requests over every operation, then 2,000 bad ones),
# printing the server's RSS after the warm-up and after each fifth of the rest. Usage: bench/fuzz_memory.sh [REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/Tend.EndToEnd.Tests --nologo -v quiet >/dev/null
TEND_FUZZ_REQUESTS=${1:-50000} dotnet test tests/Tend.EndToEnd.Tests --no-build --filter "FullyQualifiedName~FuzzTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "^ seed |Passed |Failed |Error Message" -A8 | grep -v "^\[xUnit" | cut -c1-400 | awk '!seen[$0]++'
