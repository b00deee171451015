#!/usr/bin/env bash
# Builds Parley's installers: a jlink runtime plus jpackage for the desktop app, and a Debian package for the relay.
#
#   installers/package.sh linux          the app's .deb and the relay's .deb (Debian/Ubuntu, needs fakeroot)
#   installers/package.sh app-deb|relay-deb|msi|dmg
#   installers/package.sh relay-tree     only the relay's files (runtime + jars) under target/relay-root, for images
#
# Everything lands in installers/target/. Maven arguments go after '--', e.g. '-- -Dwebrtc.classifier=macos-aarch64'
# (CI passes the platform's webrtc-java classifier that way). Needs JAVA_HOME pointing at a JDK >= 25 (./parley
# package finds one); runs on Linux, macOS (bash 3.2) and Git Bash on Windows.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/installers"
OUT="$HERE/target"
: "${JAVA_HOME:?set JAVA_HOME to a JDK 25 or newer (./parley package does this for you)}"
JDK="$JAVA_HOME"
# Git Bash on Windows: JAVA_HOME is C:\...; use the form bash runs programs by.
command -v cygpath >/dev/null 2>&1 && JDK="$(cygpath -u "$JAVA_HOME")"
JLINK="$JDK/bin/jlink"
JPACKAGE="$JDK/bin/jpackage"
JDEPS="$JDK/bin/jdeps"
JAVA="$JDK/bin/java"

# Modules jdeps cannot see: reflection, service providers and the German locale data for the UI's dates.
APP_EXTRA_MODULES="jdk.unsupported,jdk.localedata,jdk.crypto.ec,java.logging,jdk.zipfs"
RELAY_EXTRA_MODULES="jdk.unsupported,jdk.crypto.ec,java.logging,jdk.zipfs,jdk.naming.dns"
# No --compress: the packages are xz-compressed, which shrinks an uncompressed runtime far better (22 MB vs 36 MB).
JLINK_OPTS=(--strip-debug --no-header-files --no-man-pages)
# JavaFX's and webrtc-java's native libraries sit inside jars, where jpackage's dependency scan does not look.
APP_DEB_DEPS="libgtk-3-0, libgl1, libxtst6, libxxf86vm1, libfreetype6, libfontconfig1, fonts-dejavu-core, libpulse0"
# Windows: a fixed upgrade code lets a newer .msi replace an installed older one.
WIN_UPGRADE_UUID="8b0b3c52-4f7e-4a53-9d63-5be1d2a6f0c1"

say() { echo "package: $*" >&2; }
die() { echo "package: $*" >&2; exit 1; }

target="${1:-linux}"
[[ $# -gt 0 ]] && shift
MAVEN_ARGS=()
if [[ "${1:-}" == "--" ]]; then
  shift
  MAVEN_ARGS=("$@")
fi

build() {
  say "building the relay and the app with Maven..."
  "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -DskipTests -pl relay-server,desktop-app -am package ${MAVEN_ARGS[@]+"${MAVEN_ARGS[@]}"}
}

# The one version, from the Maven project (stamped into both modules' version.properties).
project_version() {
  local app relay
  app="$(sed -n 's/^version=//p' "$ROOT/desktop-app/target/classes/dev/parley/desktop/version.properties" | tr -d '\r')"
  relay="$(sed -n 's/^version=//p' "$ROOT/relay-server/target/classes/dev/parley/relay/version.properties" | tr -d '\r')"
  [[ -n "$app" && "$app" == "$relay" ]] || die "app version '$app' and relay version '$relay' differ"
  echo "$app"
}

# jpackage wants 1-3 numbers: 0.2.0-SNAPSHOT becomes 0.2.0.
numeric_version() { local v="${1%%-*}"; echo "${v%%+*}"; }

# The modules the jars need (jdeps) plus the ones only reflection reaches.
modules_for() {
  local module_dir="$1" extra="$2" found
  found="$("$JDEPS" --multi-release "$("$JAVA" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')" --ignore-missing-deps -q \
            --print-module-deps --class-path "$module_dir/target/lib/*" "$module_dir"/target/*.jar \
            "$module_dir"/target/lib/*.jar | tail -n 1 | tr -d '\r')"
  [[ -n "$found" ]] || die "jdeps found no modules for $module_dir"
  echo "$found,$extra"
}

runtime() {
  local name="$1" modules="$2" dir="$OUT/$1-runtime"
  shift 2
  rm -rf "$dir"
  say "jlink $name runtime: $modules"
  "$JLINK" --add-modules "$modules" "${JLINK_OPTS[@]}" "$@" --output "$dir"
}

icons() {
  "$JAVA" "$HERE/icons/MakeIcons.java" "$OUT/icons"
}

# The app's files for jpackage --input: the main jar and lib/ (its manifest's Class-Path).
app_input() {
  local dir="$OUT/app-input"
  rm -rf "$dir"
  mkdir -p "$dir/lib"
  cp "$ROOT/desktop-app/target/parley-desktop.jar" "$dir/"
  cp "$ROOT"/desktop-app/target/lib/*.jar "$dir/lib/"
  slim_jars "$dir/lib"
}

# sqlite-jdbc carries its native library for twenty platforms; keep this platform's.
slim_jars() {
  local jar os arch
  case "$(platform)" in
    linux-*) os=Linux ;;
    macos-*) os=Mac ;;
    windows-*) os=Windows ;;
    *) return 0 ;;
  esac
  arch="$(platform)"
  arch="${arch#*-}"
  for jar in "$1"/sqlite-jdbc-*.jar; do
    [[ -f "$jar" ]] && "$JAVA" "$HERE/SlimJar.java" "$jar" org/sqlite/native/ "$os/$arch/"
  done
  return 0
}

# jpackage for the desktop app: deb, msi or dmg.
app_package() {
  local type="$1" version app_version icon
  version="$(project_version)"
  app_version="$(numeric_version "$version")"
  runtime app "$(modules_for "$ROOT/desktop-app" "$APP_EXTRA_MODULES")" --include-locales=en,de
  app_input
  icons
  local bundle_version="$app_version"
  local args=(--type "$type" --name Parley --vendor "Parley"
    --description "Office messenger: chat and calls through your office's Parley relay"
    --copyright "Parley contributors" --runtime-image "$OUT/app-runtime" --input "$OUT/app-input"
    --main-jar parley-desktop.jar --main-class dev.parley.desktop.Main --dest "$OUT"
    --java-options "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dparley.log=file")
  case "$type" in
    deb)
      icon="$OUT/icons/parley.png"
      args+=(--linux-package-name parley --linux-shortcut --linux-menu-group "Network;InstantMessaging;Chat;"
        --linux-app-category net --linux-deb-maintainer "parley@example.org"
        --linux-package-deps "$APP_DEB_DEPS" --resource-dir "$HERE/app/linux")
      ;;
    msi)
      icon="$OUT/icons/parley.ico"
      args+=(--win-menu --win-menu-group Parley --win-shortcut --win-dir-chooser --win-upgrade-uuid "$WIN_UPGRADE_UUID")
      ;;
    dmg)
      icon="$OUT/icons/parley.icns"
      # macOS bundle versions may not start with 0 (a jpackage rule); while Parley is 0.y.z the bundle says 1.y.z.
      # The About dialog and the file name carry the real version.
      [[ "$app_version" == 0.* ]] && bundle_version="1.${app_version#0.}"
      args+=(--mac-package-identifier dev.parley.desktop --mac-package-name Parley)
      ;;
    *) die "unknown app package type '$type'" ;;
  esac
  args+=(--icon "$icon" --app-version "$bundle_version")
  say "jpackage --type $type (Parley $version)"
  rm -f "$OUT"/parley_*.deb "$OUT"/Parley-*.msi "$OUT"/Parley-*.dmg
  "$JPACKAGE" "${args[@]}"
  local made
  made="$(ls -t "$OUT"/parley_*.deb "$OUT"/Parley-*.msi "$OUT"/Parley-*.dmg 2>/dev/null | head -n 1 || true)"
  [[ -n "$made" ]] || die "jpackage made no $type"
  local final="$OUT/parley-app-$version-$(platform).$type"
  [[ "$type" == deb ]] && final="$OUT/parley_${version}_$(dpkg --print-architecture).deb"
  [[ "$made" == "$final" ]] || mv -f "$made" "$final"
  say "made $final ($(du -h "$final" | cut -f1))"
}

platform() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=macos ;;
    MINGW*|MSYS*|CYGWIN*) os=windows ;;
    *) os="$(uname -s)" ;;
  esac
  case "$(uname -m)" in
    x86_64|amd64) arch=x86_64 ;;
    arm64|aarch64) arch=aarch64 ;;
    *) arch="$(uname -m)" ;;
  esac
  echo "$os-$arch"
}

# The relay's files as installed: /usr/lib/parley-relay/{runtime,parley-relay.jar,relay.jvm-options,lib/,
# bin/parley-relay}.
relay_tree() {
  local root="$OUT/relay-root" home
  home="$root/usr/lib/parley-relay"
  runtime relay "$(modules_for "$ROOT/relay-server" "$RELAY_EXTRA_MODULES")"
  rm -rf "$root"
  mkdir -p "$home/bin" "$home/lib"
  cp -R "$OUT/relay-runtime" "$home/runtime"
  cp "$ROOT/relay-server/target/parley-relay.jar" "$home/"
  cp "$ROOT/relay-server/relay.jvm-options" "$home/"
  cp "$ROOT"/relay-server/target/lib/*.jar "$home/lib/"
  slim_jars "$home/lib"
  install -m 0755 "$HERE/relay/parley-relay" "$home/bin/parley-relay"
}

relay_deb() {
  local version arch root pkg
  version="$(project_version)"
  arch="$(dpkg --print-architecture)"
  relay_tree
  root="$OUT/relay-root"
  mkdir -p "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/parley" "$root/usr/share/doc/parley-relay" \
    "$root/DEBIAN"
  ln -s ../lib/parley-relay/bin/parley-relay "$root/usr/bin/parley-relay"
  install -m 0644 "$HERE/relay/parley-relay.service" "$root/lib/systemd/system/parley-relay.service"
  install -m 0640 "$HERE/relay/relay.properties" "$root/etc/parley/relay.properties"
  install -m 0644 "$ROOT/docs/operations.md" "$root/usr/share/doc/parley-relay/operations.md"
  install -m 0644 "$HERE/relay/deb/copyright" "$root/usr/share/doc/parley-relay/copyright"
  local script
  for script in postinst prerm postrm; do
    install -m 0755 "$HERE/relay/deb/$script" "$root/DEBIAN/$script"
  done
  echo "/etc/parley/relay.properties" >"$root/DEBIAN/conffiles"
  local size
  size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
  sed -e "s/@VERSION@/$(deb_version "$version")/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
    "$HERE/relay/deb/control" >"$root/DEBIAN/control"
  pkg="$OUT/parley-relay_${version}_$arch.deb"
  rm -f "$pkg"
  dpkg-deb --root-owner-group -Zxz --build "$root" "$pkg" >/dev/null
  say "made $pkg ($(du -h "$pkg" | cut -f1))"
}

# Debian orders 0.2.0~SNAPSHOT before 0.2.0.
deb_version() { echo "${1/-/\~}"; }

mkdir -p "$OUT"
case "$target" in
  linux)
    command -v fakeroot >/dev/null || die "jpackage needs fakeroot for a .deb: apt-get install fakeroot"
    build
    relay_deb
    app_package deb
    ;;
  app-deb) build; app_package deb ;;
  relay-deb) build; relay_deb ;;
  relay-tree) build; relay_tree ;;
  msi) build; app_package msi ;;
  dmg) build; app_package dmg ;;
  *) die "unknown target '$target' (linux, app-deb, relay-deb, relay-tree, msi, dmg)" ;;
esac
