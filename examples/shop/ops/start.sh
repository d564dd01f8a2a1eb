#!/usr/bin/env bash
# Example callback: ops/start.sh
set -euo pipefail
echo "ops/start.sh for $BERTH_ENVIRONMENT"
