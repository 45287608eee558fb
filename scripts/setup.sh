#!/usr/bin/env bash
# Prepare the environment saleor-amazon runs and is tested in: Saleor 3.23 (pinned
# commit) with its locked dependencies, this package, and the database.
#
# Saleor is not on the package registry, so its source comes from, in order:
#   1. SALEOR_SRC: a Saleor checkout or a bare git directory holding the pinned commit;
#   2. the cache left by an earlier set-up on this machine;
#   3. Saleor's public git repository, when the network allows.
# Everything built lives in ${SALEOR_AMAZON_CACHE:-$HOME/.cache/saleor-amazon}, outside
# the repository, so a fresh clone sets up from the cache in seconds.
#
# Usage: scripts/setup.sh [--no-db]
set -euo pipefail

SALEOR_VERSION=3.23.28
SALEOR_COMMIT=7c46cee71b618b2cb7a334f3401b424e2b353953
SALEOR_GIT_URL=${SALEOR_GIT_URL:-https://github.com/saleor/saleor.git}

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${SALEOR_AMAZON_CACHE:-$HOME/.cache/saleor-amazon}
src="$cache/saleor-$SALEOR_VERSION"
venv="$cache/venv-$SALEOR_VERSION"
with_db=1
[ "${1:-}" = "--no-db" ] && with_db=0
# The same database and secret defaults as the Makefile, so running this script directly
# migrates the project's database rather than Saleor's own default (role "saleor").
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/saleor_amazon}
export SECRET_KEY=${SECRET_KEY:-saleor-amazon-development-only-secret-key}

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.12; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
            command -v "$candidate"; return 0
        fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        for candidate in "$(pyenv root)"/versions/3.12*/bin/python3.12; do
            [ -x "$candidate" ] && { echo "$candidate"; return 0; }
        done
    fi
    return 1
}

extract_from_git_dir() {  # $1 = a git directory (bare or .git)
    git --git-dir="$1" cat-file -e "$SALEOR_COMMIT^{commit}" 2>/dev/null \
        || die "SALEOR_SRC ($1) does not contain Saleor commit $SALEOR_COMMIT ($SALEOR_VERSION)."
    mkdir -p "$src.tmp"
    git --git-dir="$1" archive "$SALEOR_COMMIT" | tar -x -C "$src.tmp"
}

get_saleor_source() {
    [ -f "$src/.complete" ] && return 0
    rm -rf "$src.tmp"
    if [ -n "${SALEOR_SRC:-}" ]; then
        [ -e "$SALEOR_SRC" ] || die "SALEOR_SRC=$SALEOR_SRC does not exist."
        if git --git-dir="$SALEOR_SRC" rev-parse --git-dir >/dev/null 2>&1 && [ ! -e "$SALEOR_SRC/.git" ]; then
            say "Saleor source: bare git directory $SALEOR_SRC at $SALEOR_COMMIT"
            extract_from_git_dir "$SALEOR_SRC"
        elif [ -e "$SALEOR_SRC/.git" ] && git -C "$SALEOR_SRC" cat-file -e "$SALEOR_COMMIT^{commit}" 2>/dev/null; then
            say "Saleor source: checkout $SALEOR_SRC at $SALEOR_COMMIT"
            extract_from_git_dir "$(git -C "$SALEOR_SRC" rev-parse --absolute-git-dir)"
        elif [ -f "$SALEOR_SRC/pyproject.toml" ] && grep -q "^version = \"$SALEOR_VERSION\"" "$SALEOR_SRC/pyproject.toml"; then
            say "Saleor source: directory $SALEOR_SRC (version $SALEOR_VERSION)"
            mkdir -p "$src.tmp"
            (cd "$SALEOR_SRC" && tar -c --exclude=.git --exclude=node_modules .) | tar -x -C "$src.tmp"
        else
            die "SALEOR_SRC=$SALEOR_SRC is neither a git directory with commit $SALEOR_COMMIT nor a Saleor $SALEOR_VERSION source tree."
        fi
    else
        say "No cached Saleor and no SALEOR_SRC: trying $SALEOR_GIT_URL"
        local tmpgit; tmpgit=$(mktemp -d)
        if git init -q --bare "$tmpgit" \
            && timeout 300 git --git-dir="$tmpgit" fetch -q --depth 1 "$SALEOR_GIT_URL" "$SALEOR_COMMIT" 2>/dev/null; then
            extract_from_git_dir "$tmpgit"
            rm -rf "$tmpgit"
        else
            rm -rf "$tmpgit"
            die "Saleor $SALEOR_VERSION is missing. It is not on the package registry; provide its source with
    SALEOR_SRC=/path/to/saleor make setup
where the path is a Saleor git checkout or bare git directory containing commit $SALEOR_COMMIT
(https://github.com/saleor/saleor, branch 3.23), or a source tree of version $SALEOR_VERSION.
The result is cached in $cache, so this is needed once per machine."
        fi
    fi
    touch "$src.tmp/.complete"
    rm -rf "$src"
    mv "$src.tmp" "$src"
}

build_venv() {
    local stamp="$venv/.saleor-installed"
    [ -f "$stamp" ] && return 0
    local py; py=$(find_python) || die "Python 3.12 is required (Saleor 3.23 needs it); set PYTHON=/path/to/python3.12."
    say "Creating the environment in $venv with $py"
    rm -rf "$venv"
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip uv
    say "Installing Saleor's locked dependencies (uv export --frozen)"
    (cd "$src" && "$venv/bin/uv" export --frozen --no-emit-project --no-hashes --all-groups \
        --format requirements-txt -o "$venv/saleor-requirements.txt" -q)
    "$venv/bin/uv" pip install -q --python "$venv/bin/python" -r "$venv/saleor-requirements.txt"
    "$venv/bin/uv" pip install -q --python "$venv/bin/python" --no-deps -e "$src"
    touch "$stamp"
}

install_package() {
    # Reinstall (editable) when the checkout moved or pyproject.toml / constraints.txt
    # changed. Saleor's lock and constraints.txt pin every version: nothing moves silently.
    local want; want="$repo:$(cat "$repo/pyproject.toml" "$repo/constraints.txt" | sha256sum | cut -c1-16)"
    local stamp="$venv/.saleor-amazon-installed"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] \
        || ! "$venv/bin/python" -c "import saleor_amazon, sys; sys.exit(0 if saleor_amazon.__file__.startswith('$repo/') else 1)" 2>/dev/null; then
        say "Installing saleor-amazon from $repo"
        "$venv/bin/uv" pip install -q --python "$venv/bin/python" \
            -c "$venv/saleor-requirements.txt" -c "$repo/constraints.txt" -e "$repo[test]"
        echo "$want" > "$stamp"
    fi
}

setup_database() {
    say "Migrating the database (${DATABASE_URL:-default})"
    (cd "$repo" && "$venv/bin/python" scripts/devtools.py ensure-database \
        && "$venv/bin/python" "$src/manage.py" migrate --no-input -v 0)
}

mkdir -p "$cache"
get_saleor_source
build_venv
install_package
[ "$with_db" = 1 ] && setup_database
ln -sfn "$venv" "$repo/.venv"
say "Ready: $venv (Saleor $SALEOR_VERSION)"
