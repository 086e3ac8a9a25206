#!/usr/bin/env bash
# Rebuilds dist/ and the generated metadata and fails if anything differs from what is committed
# (git status also catches new files), so a stale bundle never lands; then checks that every package the
# bundle holds has its license text in dist/sidhe/licenses.txt under an allowed license.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npm run --silent build
node scripts/check-licenses.ts
generated=(dist action.yml ./*/action.yml)
[ -d schema ] && generated+=(schema)
changes=$(git status --porcelain -- "${generated[@]}")
if [ -n "$changes" ]; then
  echo "check-dist: the committed bundles or generated files are stale; run 'npm run build' and commit:" >&2
  echo "$changes" >&2
  exit 1
fi
echo "check-dist: dist/ and the generated files are current"
