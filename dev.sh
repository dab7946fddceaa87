#!/bin/sh
# One entry point for people and CI: makes or refreshes .venv inside the repo, then runs a task.
#   ./dev.sh demo    install what the app and the demo server need, open `workbench --demo`
#   ./dev.sh test    install everything, run lint (ruff), types (mypy --strict) and the tests
#   ./dev.sh lint | types | pytest [ARGS] | screenshots | bench
set -eu
cd "$(dirname "$0")"

VENV=.venv

find_python() {
    # The first interpreter that is Python >= 3.11; honour $PYTHON when set.
    for candidate in ${PYTHON:-} python3 python3.14 python3.13 python3.12 python3.11 python; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "HogQL Workbench needs Python 3.11 or newer; none was found on PATH." >&2
    return 1
}

ensure_venv() {
    # $1: the extras to install, e.g. "demo" or "demo,dev,http2".
    extras=$1
    if [ ! -x "$VENV/bin/python" ]; then
        python=$(find_python)
        echo "Creating $VENV with $python ..." >&2
        if ! "$python" -m venv "$VENV"; then
            rm -rf "$VENV"
            echo "Could not create a virtual environment. On Debian/Ubuntu: apt-get install python3-venv" >&2
            exit 1
        fi
    fi
    # Reinstall only when pyproject.toml or the extras changed since the last install.
    want="$(cat pyproject.toml | cksum) $extras"
    stamp="$VENV/.installed-$(echo "$extras" | tr ',' '-')"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "Installing HogQL Workbench [$extras] into $VENV (first time: a few minutes) ..." >&2
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$extras]"
        echo "$want" >"$stamp"
    fi
}

task=${1:-help}
[ $# -gt 0 ] && shift
case "$task" in
demo)
    ensure_venv demo
    exec "$VENV/bin/workbench" --demo "$@"
    ;;
test)
    ensure_venv demo,dev,http2
    "$0" lint
    "$0" types
    exec "$0" pytest "$@"
    ;;
lint)
    ensure_venv demo,dev,http2
    paths=$(for dir in workbench tests bench scripts; do if [ -d "$dir" ]; then echo "$dir"; fi; done)
    # shellcheck disable=SC2086 # one path per word, none has spaces
    "$VENV/bin/ruff" check $paths
    # shellcheck disable=SC2086
    "$VENV/bin/ruff" format --check $paths
    ;;
types)
    ensure_venv demo,dev,http2
    "$VENV/bin/mypy"
    ;;
pytest)
    ensure_venv demo,dev,http2
    # pytest exits 5 when it collected nothing: that is a failure here, as it is for CI.
    status=0
    "$VENV/bin/python" -m pytest "$@" || status=$?
    if [ "$status" -eq 5 ]; then echo "No tests were collected: failing." >&2; exit 1; fi
    exit "$status"
    ;;
screenshots)
    ensure_venv demo,dev,http2
    exec "$VENV/bin/python" scripts/screenshots.py "$@"
    ;;
bench)
    ensure_venv demo,dev,http2
    for script in bench/*.py; do
        case "$script" in *_common.py) continue ;; esac
        echo "== $script"
        "$VENV/bin/python" "$script"
    done
    ;;
*)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
    [ "$task" = help ] || exit 2
    ;;
esac
