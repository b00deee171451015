#!/usr/bin/env bash
# Builds (unless --no-build) and tests both Linux packages end to end, as root on Debian 12 / Ubuntu:
#   install them with apt; start the relay with the command line of the installed systemd unit, as the unit's user
#   (no systemd needed); check /health and that /api/info reports the Maven project's version; start the installed
#   app under Xvfb, signed in to that relay, and take screenshots (main window; About dialog); stop both; purge both
#   packages and check that nothing is left but the relay's data in /var/lib/parley (kept on purge by design, then
#   removed by this script).
# Apt packages this script installs (and whatever the .debs pull in) are purged again at the end, so the machine is
# left as it was. Screenshots go to docs/screenshots/ (or $PARLEY_SCREENSHOT_DIR). Every wait polls with a deadline.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/installers/target"
SHOTS="${PARLEY_SCREENSHOT_DIR:-$ROOT/docs/screenshots}"  # CI points this into target/ to keep the tree clean
BUILD=yes
[[ "${1:-}" == "--no-build" ]] && BUILD=""

TEST_DEPS=(fakeroot xvfb x11-utils imagemagick xdotool curl procps)

log() { echo "test-packages: $*" >&2; }
fail() { echo "test-packages: FAIL: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "run as root (it installs and purges packages)"

WORK="$(mktemp -d /tmp/parley-package-test.XXXXXX)"
RELAY_PID=""
XVFB_PID=""
APP_PID=""
INSTALLED_BEFORE="$WORK/packages-before"
dpkg-query -W -f='${Package}\n' | sort >"$INSTALLED_BEFORE"

# Polls "$@" every 0.2 s until it succeeds or $1 seconds pass.
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || { log "gave up after ${seconds}s waiting for: $what"; return 1; }
    sleep 0.2
  done
}

stop_pid() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait_for 30 "process $pid to exit" bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  stop_pid "$APP_PID"
  stop_pid "$RELAY_PID"
  stop_pid "$XVFB_PID"
  # Purge our packages if a failure left them installed, then whatever this run installed besides.
  local p
  for p in parley parley-relay; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok \(installed\|config-files\|half\|unpacked\)"; then
      DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$p" >/dev/null 2>&1 \
        || dpkg --purge --force-remove-reinstreq "$p" >/dev/null 2>&1 || log "could not purge $p"
    fi
  done
  rm -rf /var/lib/parley
  local added
  added="$(comm -13 "$INSTALLED_BEFORE" <(dpkg-query -W -f='${Package}\n' | sort) | tr '\n' ' ')"
  if [[ -n "${added// /}" ]]; then
    log "purging what this run installed: $added"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $added >/dev/null 2>&1 || {
      for p in $added; do
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$p" >/dev/null 2>&1 || log "could not purge $p"
      done
    }
  fi
  rm -rf "$WORK"
  if [[ $status -eq 0 ]]; then log "PASS"; else log "FAILED (exit $status)"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$WORK/apt.log" 2>&1 \
    || { cat "$WORK/apt.log" >&2; fail "apt-get install $*"; }
}

missing=()
for p in "${TEST_DEPS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The .debs' own dependencies (GTK for JavaFX, ...) come from the archive too, so fresh package lists are needed
# whenever anything is missing or the machine never ran apt-get update.
if [[ ${#missing[@]} -gt 0 ]] || ! compgen -G "/var/lib/apt/lists/*_Packages" >/dev/null; then
  apt-get update -qq >/dev/null
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing test tools: ${missing[*]}"
  apt_install "${missing[@]}"
fi

if [[ -n "$BUILD" ]]; then
  "$ROOT/installers/package.sh" linux
fi
VERSION="$(sed -n 's/^version=//p' "$ROOT/relay-server/target/classes/dev/parley/relay/version.properties")"
ARCH="$(dpkg --print-architecture)"
RELAY_DEB="$OUT/parley-relay_${VERSION}_$ARCH.deb"
APP_DEB="$OUT/parley_${VERSION}_$ARCH.deb"
[[ -f "$RELAY_DEB" && -f "$APP_DEB" ]] || fail "packages missing in $OUT (build them: ./parley package)"
log "packages: $(du -h "$APP_DEB" | cut -f1) $(basename "$APP_DEB"), $(du -h "$RELAY_DEB" | cut -f1) $(basename "$RELAY_DEB")"
for p in parley parley-relay; do
  ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed || fail "$p is already installed; purge it first"
done
[[ ! -e /var/lib/parley ]] || fail "/var/lib/parley exists already; move it away first"

# --- install -----------------------------------------------------------------------------------------------------
log "apt-get install the two packages"
apt_install "$RELAY_DEB" "$APP_DEB"
dpkg -L parley parley-relay | sort -u >"$WORK/package-files"
UNIT=/lib/systemd/system/parley-relay.service
[[ -f "$UNIT" ]] || fail "no $UNIT"
getent passwd parley >/dev/null || fail "no parley user"
PARLEY_UID="$(id -u parley)"
[[ "$(stat -c '%U %a' /var/lib/parley)" == "parley 750" ]] || fail "/var/lib/parley is $(stat -c '%U %a' /var/lib/parley)"
[[ "$(stat -c '%U:%G %a' /etc/parley/relay.properties)" == "root:parley 640" ]] || fail "relay.properties permissions"
[[ -x /opt/parley/bin/Parley ]] || fail "no /opt/parley/bin/Parley"
DESKTOP_FILE="$(grep -l '^Exec=/opt/parley/bin/Parley' /usr/share/applications/*.desktop 2>/dev/null | head -n 1 || true)"
[[ -n "$DESKTOP_FILE" ]] || fail "no menu entry for the app in /usr/share/applications"
grep -q '^Icon=.*\.png' "$DESKTOP_FILE" || fail "the menu entry has no icon"
log "menu entry $DESKTOP_FILE: $(grep '^Categories=' "$DESKTOP_FILE")"
[[ -x /usr/bin/parley-relay ]] || fail "no /usr/bin/parley-relay"
[[ "$(/usr/bin/parley-relay --help | head -n 1)" == Usage:* ]] || fail "parley-relay --help"

# --- the relay, as the unit runs it --------------------------------------------------------------------------------
unit_value() { sed -n "s/^$1=//p" "$UNIT" | tail -n 1; }
EXEC_START="$(unit_value ExecStart)"
UNIT_USER="$(unit_value User)"
UNIT_DIR="$(unit_value WorkingDirectory)"
[[ -n "$EXEC_START" && "$UNIT_USER" == parley && -n "$UNIT_DIR" ]] || fail "unexpected unit: $EXEC_START / $UNIT_USER"
# A free port (7400 may be taken on a shared machine) and no LAN announcement from a test; both are what an admin's
# systemd drop-in with Environment=PARLEY_PORT=... would do: the environment overrides the config file.
PORT=""
for candidate in $(shuf -i 20000-45000 -n 20); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then PORT="$candidate"; break; fi
done
[[ -n "$PORT" ]] || fail "no free port"
log "starting the relay as '$UNIT_USER' in $UNIT_DIR: $EXEC_START (PARLEY_PORT=$PORT)"
read -r -a EXEC_ARGV <<<"$EXEC_START"
(cd "$UNIT_DIR" && exec setpriv --reuid="$UNIT_USER" --regid="$UNIT_USER" --init-groups --no-new-privs \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$UNIT_DIR" PARLEY_PORT="$PORT" PARLEY_DISCOVERY=false \
    "${EXEC_ARGV[@]}") >"$WORK/relay.log" 2>&1 &
RELAY_PID=$!
BASE="http://127.0.0.1:$PORT"
relay_up() { kill -0 "$RELAY_PID" && curl -fsS --max-time 2 "$BASE/health"; }
wait_for 60 "relay /health" relay_up || { cat "$WORK/relay.log" >&2; fail "the relay did not come up"; }
log "/health: $(curl -fsS "$BASE/health")"
INFO="$(curl -fsS "$BASE/api/info")"
log "/api/info: $INFO"
[[ "$INFO" == *"\"version\":\"$VERSION\""* ]] || fail "/api/info does not report version $VERSION"
[[ "$(stat -c %U /var/lib/parley/parley.db)" == parley ]] || fail "the database is not in /var/lib/parley or not parley's"
[[ "$(ps -o user= -p "$(pgrep -P "$RELAY_PID" java || echo "$RELAY_PID")" | tr -d ' ')" == parley ]] \
  || fail "the relay does not run as parley"

# --- an account and a channel, and the app signed in to them --------------------------------------------------------
json_field() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" | head -n 1; }
AUTH="$(curl -fsS -X POST "$BASE/api/auth/register" \
  -d '{"username":"ann","password":"correct horse battery","displayName":"Ann Admin","device":{"name":"setup","os":"Linux"}}')"
TOKEN="$(json_field accessToken <<<"$AUTH")"
curl -fsS -H "Authorization: Bearer $TOKEN" -X POST "$BASE/api/conversations" \
  -d '{"kind":"channel","name":"general","topic":"Everything office"}' >/dev/null
curl -fsS -H "Authorization: Bearer $TOKEN" -X POST "$BASE/api/conversations" \
  -d '{"kind":"channel","name":"installers","topic":"Packages for every desktop"}' >/dev/null
# The app keeps its sign-in in its config directory (XDG on Linux); seed it as a finished sign-in would.
APP_HOME="$WORK/home"
mkdir -p "$APP_HOME/.config/parley"
printf '{"relayUrl":"%s","userId":%s,"username":"ann","displayName":"Ann Admin","sessionId":"%s","refreshToken":"%s"}' \
  "$BASE" "$(sed -n 's/.*"user":{"id":\([0-9]*\).*/\1/p' <<<"$AUTH")" "$(json_field sessionId <<<"$AUTH")" \
  "$(json_field refreshToken <<<"$AUTH")" >"$APP_HOME/.config/parley/session.json"
chmod 600 "$APP_HOME/.config/parley/session.json"

# --- the installed app under Xvfb ------------------------------------------------------------------------------------
DISPLAY_NUM=""
for n in $(seq 90 140); do
  if [[ ! -e "/tmp/.X$n-lock" && ! -e "/tmp/.X11-unix/X$n" ]]; then DISPLAY_NUM="$n"; break; fi
done
[[ -n "$DISPLAY_NUM" ]] || fail "no free X display"
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
export DISPLAY=":$DISPLAY_NUM"
wait_for 20 "Xvfb" xdpyinfo || fail "Xvfb did not start"
log "starting /opt/parley/bin/Parley --relay $BASE on $DISPLAY"
connections() { curl -fsS "$BASE/api/info" | sed -n 's/.*"connections":\([0-9]*\).*/\1/p'; }
# Java takes user.home from the password database, not $HOME: the XDG variables put every file of the app in the
# test's home (and prove the app honours them).
(cd "$APP_HOME" && exec env -i PATH=/usr/bin:/bin HOME="$APP_HOME" DISPLAY="$DISPLAY" LANG=C.UTF-8 \
    XDG_CONFIG_HOME="$APP_HOME/.config" XDG_DATA_HOME="$APP_HOME/.local/share" XDG_CACHE_HOME="$APP_HOME/.cache" \
    XDG_STATE_HOME="$APP_HOME/.local/state" /opt/parley/bin/Parley --relay "$BASE" --no-discovery) \
    >"$WORK/app.log" 2>&1 &
APP_PID=$!
app_window() { xwininfo -root -tree | grep -q '"Parley'; }
app_connected() { kill -0 "$APP_PID" && [[ "$(connections)" -ge 1 ]]; }
app_failed() {
  mkdir -p "$OUT"
  import -window root "$OUT/test-failure.png" 2>/dev/null || true
  cat "$WORK/app.log" >&2
  tail -n 40 "$APP_HOME/.local/state/parley/logs/parley.log" >&2 2>/dev/null || true
  fail "$1 (screen: $OUT/test-failure.png)"
}
STARTED=$SECONDS
wait_for 90 "the app's window" app_window || app_failed "no app window"
log "the app's window appeared after $((SECONDS - STARTED)) s"
wait_for 60 "the app to connect to the relay" app_connected || app_failed "the app did not connect"
log "the app is connected: /api/info connections=$(connections)"
# Connected means the conversation list arrived; give the UI its next frames by polling the screen for change.
mkdir -p "$SHOTS"
shot() { import -window root "$1"; }
# Drawn (a mapped but unpainted window is one flat colour) and the same twice in a row half a second apart.
settled() {
  shot "$WORK/a.png"
  (( $(convert "$WORK/a.png" -format %k info:) >= 64 )) || return 1
  sleep 0.5
  shot "$WORK/b.png"
  [[ "$(compare -metric AE "$WORK/a.png" "$WORK/b.png" null: 2>&1 || true)" == 0 ]]
}
wait_for 30 "the window to be drawn and settle" settled || app_failed "the window was not drawn"
cp "$WORK/b.png" "$SHOTS/linux-deb-app-connected.png"
log "screenshot $SHOTS/linux-deb-app-connected.png"
# No window manager on Xvfb: the X server's focus follows the pointer, so put it over the window and press F1
# (XTEST, like a real key).
about_open() {
  xdotool mousemove 640 400 && xdotool key F1 \
    && wait_for 5 "About" bash -c "xwininfo -root -tree | grep -q 'About Parley'"
}
wait_for 30 "the About dialog" about_open || fail "F1 did not open the About dialog"
wait_for 20 "the About dialog to be drawn and settle" settled || app_failed "the About dialog was not drawn"
cp "$WORK/b.png" "$SHOTS/linux-deb-about.png"
log "screenshot $SHOTS/linux-deb-about.png"
LOGFILE="$APP_HOME/.local/state/parley/logs/parley.log"
[[ -s "$LOGFILE" ]] || fail "the installed app wrote no log to $LOGFILE"
[[ -n "$(find "$APP_HOME/.local/share/parley" -name cache.db)" ]] || fail "no message cache under XDG_DATA_HOME"
log "app log: $LOGFILE ($(wc -l <"$LOGFILE") lines); cache under $APP_HOME/.local/share/parley"
stop_pid "$APP_PID"; APP_PID=""
stop_pid "$XVFB_PID"; XVFB_PID=""

# --- the admin's password reset, as docs/operations.md says, while the relay runs ------------------------------------
if /usr/bin/parley-relay reset-password ann --config /etc/parley/relay.properties >"$WORK/reset-root.out" 2>&1; then
  fail "reset-password as root should refuse (files it creates would not be parley's)"
fi
grep -q "belongs to parley" "$WORK/reset-root.out" || fail "reset-password as root: $(cat "$WORK/reset-root.out")"
RESET="$(setpriv --reuid=parley --regid=parley --init-groups env -i PATH=/usr/bin:/bin HOME="$UNIT_DIR" \
  /usr/bin/parley-relay reset-password ann --config /etc/parley/relay.properties)" || fail "reset-password failed"
NEW_PASSWORD="$(sed -n 's/^New password for ann: //p' <<<"$RESET")"
[[ -n "$NEW_PASSWORD" ]] || fail "reset-password printed no password: $RESET"
curl -fsS -X POST "$BASE/api/auth/login" -d "{\"username\":\"ann\",\"password\":\"$NEW_PASSWORD\"}" >/dev/null \
  || fail "the reset password does not sign in"
log "reset-password: ann signs in with the new password"

stop_pid "$RELAY_PID"; RELAY_PID=""
grep -q "Press Ctrl+C" "$WORK/relay.log" || fail "relay log unexpected"
# The unit has PrivateTmp=yes: systemd throws away what the relay's JVM leaves in /tmp (hsperfdata, sqlite's
# extracted native library). Started by hand here, do the same.
find /tmp /var/tmp -xdev -mindepth 1 -maxdepth 2 -uid "$PARLEY_UID" -exec rm -rf {} + 2>/dev/null || true

# --- purge and look for leftovers --------------------------------------------------------------------------------------
log "apt-get purge parley parley-relay"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq parley parley-relay >"$WORK/apt.log" 2>&1 \
  || { cat "$WORK/apt.log" >&2; fail "purge"; }
left=()
while read -r f; do
  [[ -e "$f" && ! -d "$f" ]] && left+=("$f")
done <"$WORK/package-files"
[[ ${#left[@]} -eq 0 ]] || fail "files left after purge: ${left[*]}"
for d in /opt/parley /usr/lib/parley-relay /etc/parley "$UNIT" /etc/systemd/system/multi-user.target.wants/parley-relay.service; do
  [[ ! -e "$d" ]] || fail "$d left after purge"
done
! getent passwd parley >/dev/null || fail "user parley left after purge"
! getent group parley >/dev/null || fail "group parley left after purge"
owned="$(find / -xdev \( -path /proc -o -path /sys -o -path "$WORK" \) -prune -o -uid "$PARLEY_UID" -print 2>/dev/null | head -n 5)"
[[ -z "$owned" ]] || fail "files still owned by the deleted parley uid $PARLEY_UID: $owned"
[[ -f /var/lib/parley/parley.db && "$(stat -c %U /var/lib/parley/parley.db)" == root ]] \
  || fail "purge should keep the chat database in /var/lib/parley, handed to root"
log "purged: no package file, unit, user or config left; /var/lib/parley (the chat database) kept as documented"
rm -rf /var/lib/parley
