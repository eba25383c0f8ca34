#!/usr/bin/env bash
# Makes @tensorflow/tfjs-node work on a machine whose only TensorFlow source is a local Python package
# mirror (offline CI machines): installs `tensorflow-cpu` from pip's configured mirror into a venv, lays
# its C-API libraries out where tfjs-node's binding.gyp expects libtensorflow, and builds the addon
# from source with the local Node headers (needs python3-venv, a C++ toolchain and Debian's Node
# headers under /usr). ~1 min; TF 2.21 from the wheel (tfjs-node 4.22 targets libtensorflow 2.9.1:
# the 55 C-API symbols it uses are all present; the engine's tests on the tensorflow backend check it).
# For this machine and CI only: the app's own install path stays npm's (it downloads libtensorflow).
# Usage: build/tfjs-node-offline.sh <project-dir> [venv-dir]   (after npm ci; exit 3: no mirror)
set -euo pipefail
APP=$(cd "${1:?project dir}" && pwd); VENV=${2:-$APP/.tfjs-node-venv}
# pip's configured extra indexes (the local mirror); no registry host is named here.
mapfile -t IDX < <(python3 -m pip config list 2>/dev/null | sed -n "s/^global.extra-index-url='\(.*\)'/\1/p" | tr ' ' '\n' | grep -v '^$')
[ "${#IDX[@]}" -ge 1 ] || { echo "no local package mirror configured for pip: cannot get TensorFlow offline" >&2; exit 3; }
FL=$(python3 -m pip config list 2>/dev/null | sed -n "s/^global.find-links='\(.*\)'/\1/p")
[ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
args=(--index-url "${IDX[0]}"); for u in "${IDX[@]:1}"; do args+=(--extra-index-url "$u"); done
[ -n "$FL" ] && args+=(--find-links "$FL")
"$VENV/bin/pip" install -q "${args[@]}" tensorflow-cpu
TFDIR=$("$VENV/bin/python" -c 'import os,sysconfig;print(os.path.join(sysconfig.get_paths()["purelib"],"tensorflow"))')
M="$APP/node_modules/@tensorflow/tfjs-node"
if [ ! -d "$M" ]; then (cd "$APP" && npm install --no-save --ignore-scripts @tensorflow/tfjs-node@4.22.0); fi
mkdir -p "$M/deps/lib"
( cd "$M/deps/lib"
  ln -sf "$TFDIR/libtensorflow_cc.so.2" libtensorflow_cc.so.2
  ln -sf "$TFDIR/libtensorflow_framework.so.2" libtensorflow_framework.so.2
  ln -sf libtensorflow_cc.so.2 libtensorflow.so; ln -sf libtensorflow_cc.so.2 libtensorflow.so.2
  ln -sf libtensorflow_cc.so.2 libtensorflow.so.2.9.1      # tfjs-node's install script then skips its download
  ln -sf libtensorflow_framework.so.2 libtensorflow_framework.so )
ln -sfn "$TFDIR/include" "$M/deps/include"
# The prebuilt-addon download fails at once offline; node-pre-gyp falls back to node-gyp, and
# nodedir=/usr uses Debian's Node headers instead of downloading them.
(cd "$APP" && npm_config_nodedir=/usr npm rebuild @tensorflow/tfjs-node --foreground-scripts >/dev/null)
(cd "$APP" && node -e "const tf=require('@tensorflow/tfjs-node');console.log('tfjs-node ok:', tf.getBackend(), 'TF', tf.backend().binding.TF_Version)")
