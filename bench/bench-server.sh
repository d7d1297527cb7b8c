#!/usr/bin/env bash
# Builds the WAR and the server teledrop-bench (production settings, -Xmx256m) for the benchmark scripts, and
# deploys the packaged WAR, as in production: liberty:deploy's loose application (target/classes,
# src/main/webapp) is polled for changes, which cost several times the kernel CPU of an upload.
set -euo pipefail
cd "$(dirname "$0")/.."
# Compiled classes of sources deleted since the last build would otherwise still ship in the WAR.
rm -rf target/classes target/teledrop
mvn -q -B package liberty:create@bench-server liberty:install-feature@bench-server -DskipTests >/dev/null
dropins=target/liberty/wlp/usr/servers/teledrop-bench/configDropins/overrides
mkdir -p "$dropins"
printf '<server>\n    <webApplication id="teledrop" location="%s" contextRoot="/"/>\n</server>\n' "$PWD/target/teledrop.war" \
  > "$dropins/teledrop-app.xml"
