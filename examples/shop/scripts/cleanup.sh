#!/usr/bin/env bash
# Example callback: scripts/cleanup.sh
set -euo pipefail
echo "scripts/cleanup.sh for $BERTH_ENVIRONMENT"
