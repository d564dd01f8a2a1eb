#!/usr/bin/env bash
# Example callback: .berth/lint.sh
set -euo pipefail
echo ".berth/lint.sh for $BERTH_ENVIRONMENT"
