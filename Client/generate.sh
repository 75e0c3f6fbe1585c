#!/usr/bin/env bash
# Regenerates the typed client (Client/Generated) from the committed OpenAPI document with Kiota, the version pinned
# in .config/dotnet-tools.json. Run after docs/openapi.json changes (see docs/api.md, "The OpenAPI document").
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore
dotnet kiota generate \
    --language CSharp \
    --openapi docs/openapi.json \
    --class-name PaymentsApiClient \
    --namespace-name Payments.Client.Generated \
    --output Client/Generated \
    --exclude-backward-compatible \
    --clean-output
# The document this client was generated from; a test compares it with docs/openapi.json, so a changed contract
# without a regenerated client fails the build. (Kiota's own update check needs GitHub and fails offline: harmless.)
sha256sum docs/openapi.json | cut -d' ' -f1 > Client/Generated/openapi.json.sha256
