#!/usr/bin/env bash
# Builds the Debian package with Debian's own tooling (dpkg-buildpackage, debhelper) from a copy
# of the tree in build-deb/, so nothing is written outside the project, then runs lintian on it.
#   scripts/make-deb.sh                  build-deb/spampot_VERSION-1_amd64.deb
#   DEB_REVISION=2 scripts/make-deb.sh   the same source as revision 2 (a newer build of the
#                                        package, for the upgrade test); reuses the build tree
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^project(spampot VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
revision=${DEB_REVISION:-1}
out=build-deb
src=$out/spampot-$version
mkdir -p "$src"

# Tracked and new (not ignored) files, timestamps kept: a second build recompiles nothing.
git ls-files -z --cached --others --exclude-standard | \
  while IFS= read -r -d '' f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done | \
  xargs -0 cp -P --parents --preserve=timestamps -t "$src"

if [ "$revision" != 1 ]; then
  entry=$(printf 'spampot (%s-%s) unstable; urgency=medium\n\n  * Rebuilt as revision %s.\n\n -- spampot developers <dev@spampot.example>  %s\n\n' \
    "$version" "$revision" "$revision" "$(date -R)")
  printf '%s\n' "$entry" | cat - debian/changelog > "$src/debian/changelog"
fi

# debhelper remembers what it did in debian/ and would skip the build: forget it, keep the objects
# (obj-*/), so ninja rebuilds only what changed.
rm -f "$src"/debian/*.debhelper.log "$src"/debian/debhelper-build-stamp "$src"/debian/*.substvars
rm -rf "$src"/debian/.debhelper "$src"/debian/spampot "$src"/debian/tmp
(cd "$src" && dpkg-buildpackage -b -us -uc -nc -j"$(nproc)" >../build.log 2>&1) || {
  tail -40 "$out/build.log" >&2
  exit 1
}
deb=$out/spampot_${version}-${revision}_amd64.deb
changes=$out/spampot_${version}-${revision}_amd64.changes
lintian --fail-on error "$changes" | tee "$out/lintian-${version}-${revision}.txt"
ls -l "$deb"
