#!/usr/bin/env bash
# The installed facewarp works on its own: `cmake --install` to a temporary prefix (or the
# .deb made by `cpack -G DEB`, unpacked), every installed file in place, the .desktop file
# valid, and the installed binary, moved to another directory, filters a photo while the
# source tree (with the build tree in it) is hidden behind an empty mount.
#   install_test.sh install|deb BUILD_DIR SOURCE_DIR
# Exit 77 (skipped) where the source tree cannot be hidden (no mount namespace).
set -euo pipefail
mode=$1
build=$(realpath "$2")
src=$(realpath "$3")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/facewarp-install-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if [ "$mode" = install ]; then
  cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log" || {
    cat "$tmp/install.log"; fail "cmake --install"; }
  root=$tmp/prefix
else
  (cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/deb" > cpack.log 2>&1) ||
    { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
  deb=$(ls "$tmp"/deb/facewarp_*.deb)
  info=$(dpkg-deb --info "$deb")
  grep -q "^ Package: facewarp" <<< "$info" || fail "package name: $info"
  grep -q "^ Depends:.*libdlib-data" <<< "$info" || fail "no libdlib-data dependency: $info"
  grep -q "^ Depends:.*libopencv" <<< "$info" || fail "shared library dependencies missing"
  dpkg-deb -x "$deb" "$tmp/unpacked"
  root=$tmp/unpacked/usr
fi

for f in bin/facewarp share/facewarp/shaders/warp.frag share/facewarp/shaders/present.frag \
         share/facewarp/assets/astronaut_zoom_pan_rotate_512.mp4 \
         share/applications/facewarp.desktop share/icons/hicolor/scalable/apps/facewarp.svg \
         share/man/man1/facewarp.1 share/doc/facewarp/README.md share/doc/facewarp/design.md; do
  [ -s "$root/$f" ] || fail "not installed: $f"
done
if [ -d "$src/presets" ]; then
  [ -d "$root/share/facewarp/presets" ] || fail "presets not installed"
fi
desktop-file-validate "$root/share/applications/facewarp.desktop" || fail "desktop file"
grep -q '^\.TH FACEWARP 1' "$root/share/man/man1/facewarp.1" || fail "man page header"
grep -q -- '--list-cameras' "$root/share/man/man1/facewarp.1" || fail "man page lacks --help"
grep -q '<svg' "$root/share/icons/hicolor/scalable/apps/facewarp.svg" || fail "icon"

# Moved elsewhere, with the source and build trees out of sight.
cp -a "$root" "$tmp/moved"
cp "$src/assets/group3.jpg" "$tmp/in.jpg"
backend=cpu
[ -n "${DISPLAY:-}" ] && backend=gl  # gl needs the installed shaders
run="cd '$tmp' && '$tmp/moved/bin/facewarp' --backend $backend --input in.jpg --output out.png --landmarks faces.jsonl &&
     '$tmp/moved/bin/facewarp' --headless --backend $backend --output sample.y4m"
if ! unshare -m true 2> /dev/null; then
  echo "SKIP: no mount namespace here (unshare -m needs root); cannot hide the source tree"
  exit 77
fi
unshare -m bash -c "mount -t tmpfs none '$src' && [ ! -e '$src/shaders' ] && $run" ||
  fail "the installed binary did not run without the source tree"
[ -s "$tmp/out.png" ] || fail "no output photo"
# The model was found (Debian's libdlib-data) and the three faces of the photo with it.
[ "$(grep -o '"points"' "$tmp/faces.jsonl" | wc -l)" = 3 ] || fail "faces: $(cat "$tmp/faces.jsonl")"
# The default input is the sample clip installed beside the binary.
head -c 10 "$tmp/sample.y4m" | grep -q YUV4MPEG2 || fail "no sample clip output"
echo "ok: $mode, backend $backend"
