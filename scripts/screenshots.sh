#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png: a real relay plus the real app on an Xvfb display (light/dark, English/German).
# Needs: xvfb (xvfb-run), libgtk-3-0; run from the repository root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cp_file="$(mktemp)"
./mvnw -B -q -o test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" \
  -pl desktop-app -am >/dev/null
cp="desktop-app/target/test-classes:desktop-app/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
xvfb-run -a -s "-screen 0 1400x900x24" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Dprism.order=sw -cp "$cp" dev.parley.desktop.tools.Screenshots docs/screenshots
