#!/usr/bin/env bash
# Builds the WAR and the server teledrop-bench (production settings, -Xmx256m) for the benchmark scripts, and
# deploys the packaged WAR, as in production: liberty:deploy's loose application (target/classes,
# src/main/webapp) is polled for changes, which cost several times the kernel CPU of an upload.
# HTTP_PORT / HTTPS_PORT (9080 / 9443) move the server off the default ports, e.g. beside another one.
set -euo pipefail
cd "$(dirname "$0")/.."
# Compiled classes of sources deleted since the last build would otherwise still ship in the WAR.
rm -rf target/classes target/teledrop
mvn -q -B package liberty:create@bench-server liberty:install-feature@bench-server -DskipTests >/dev/null
dropins=target/liberty/wlp/usr/servers/teledrop-bench/configDropins/overrides
mkdir -p "$dropins"
cat > "$dropins/teledrop-app.xml" <<EOF
<server>
    <variable name="http.port" value="${HTTP_PORT:-9080}"/>
    <variable name="https.port" value="${HTTPS_PORT:-9443}"/>
    <webApplication id="teledrop" location="$PWD/target/teledrop.war" contextRoot="/"/>
</server>
EOF
