#!/usr/bin/env bash
# Installs code-server — VS Code's workbench served over HTTP, from the npm
# registry — for the end-to-end suite (test/system/vscode-e2e.test.mjs), with
# nothing downloaded from outside the npm and Debian registries: its install
# scripts are skipped and the native modules built here against this Node.
#
#   bash scripts/install-code-server.sh [DIR]   (default $HOME/.cache/code-server-e2e,
#                                               where the suite looks; CODE_SERVER_DIR too)
#
# Needs Node 20, python3, make and g++ (node-gyp), and the Debian packages
# libkrb5-dev and ripgrep, installed with apt-get when missing (as root).
set -euo pipefail
DIR="${1:-${CODE_SERVER_DIR:-$HOME/.cache/code-server-e2e}}"
VERSION="${CODE_SERVER_VERSION:-4.100.3}"
NODE_GYP="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
NODE_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"

if [ -x "$DIR/node_modules/.bin/code-server" ] && [ -f "$DIR/.complete" ]; then
  echo "code-server is installed in $DIR"
  exit 0
fi

missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION" >/dev/null

# Builds a native module in place against this Node's headers.
build_native() {
  local folder="$1"
  shift
  (cd "$folder" && node "$NODE_GYP" rebuild --loglevel=error --nodedir="$NODE_DIR" "$@" >/dev/null)
}

# code-server's password hashing (unused with --auth none, but loaded at start).
ARGON2=node_modules/argon2
build_native "$ARGON2" --module_name=argon2 --module_path=lib/binding/napi-v3 --napi_build_version=3
mkdir -p "$ARGON2/lib/binding/napi-v3"
cp "$ARGON2/build/Release/argon2.node" "$ARGON2/lib/binding/napi-v3/"

# The VS Code it serves: its production dependencies, native ones built here.
VSCODE=node_modules/code-server/lib/vscode
(cd "$VSCODE" && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null)
for module in kerberos @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog node-pty; do
  build_native "$VSCODE/node_modules/$module"
done
# Search runs Debian's ripgrep instead of the binary the skipped script would download.
mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
ln -sf "$(command -v rg)" "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"
# Paths the workbench expects from a packaged build.
ln -sfn node_modules "$VSCODE/node_modules.asar"
(cd "$VSCODE/bin/remote-cli" && ln -sf code-linux.sh code-server)
(cd "$VSCODE/bin/helpers" && ln -sf browser-linux.sh browser.sh)
# The built-in extensions' dependencies (the TypeScript and JSON language features among them).
(cd "$VSCODE/extensions" && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null)
touch .complete
echo "code-server $VERSION is installed in $DIR"
