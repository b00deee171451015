#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when one is missing (so repeated runs cost nothing).
set -euo pipefail

PACKAGES=(
  procps        # ps/kill for the crash test's separate relay process
  iproute2      # ss: the relay's listen queue size, as the kernel reports it
  # Desktop app UI tests run headless (Monocle, no display), but JavaFX still renders text through these:
  libfreetype6
  libfontconfig1
  libpango-1.0-0
  libpangoft2-1.0-0
  fonts-dejavu-core
  libx11-6      # libglass links it even when the headless platform never opens a display
  # Calls: webrtc-java's native library links libpulse (no sound server is needed; tests use dummy audio).
  libpulse0
  # The screen-sharing test starts its own Xvfb and captures it with java.awt.Robot (XTest).
  xvfb
  libxtst6
  libxi6
  libxrender1
  # The TURN test runs the doctor's --turn-only call through a real coturn the test starts itself.
  coturn
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi
echo "install-test-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
