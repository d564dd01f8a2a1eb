#!/usr/bin/env bash
# Example callback: ops/migrate.sh
set -euo pipefail
echo "ops/migrate.sh for $BERTH_ENVIRONMENT"
