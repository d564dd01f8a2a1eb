#!/usr/bin/env bash
# Example callback: ops/stop.sh
set -euo pipefail
echo "ops/stop.sh for $BERTH_ENVIRONMENT"
