#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# screenshot.sh - remakes contrib/report.png, the picture in the README:
# the top of "report-query html" of the demo store, rendered by headless
# Chromium 1000 pixels wide.
#
# The store is ./report-store when it is there (contrib/demo.sh fills it),
# else one made here from the report mail of tests/corpus, imported as
# report-query import would. Run it from the build directory (or set
# BUILD); OUT names another file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
BUILD=${BUILD:-.}
OUT=${OUT:-$here/report.png}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -x "$BUILD/report-query" ] || { echo "screenshot.sh: no $BUILD/report-query: build first, or set BUILD" >&2; exit 1; }
[ -n "$CHROMIUM" ] || { echo "screenshot.sh: chromium is not installed" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/report-shot.XXXXXX")
trap 'rm -rf "$W"' EXIT
STORE=${STORE:-./report-store}
if [ ! -d "$STORE" ]; then
	STORE=$W/store
	c=$src/tests/corpus
	"$BUILD/report-query" import --store "$STORE" --jobs 1 \
	    --received-at 2026-03-01T00:00:00Z "$c/dmarc" "$c/tlsrpt" "$c/arf" \
	    > /dev/null 2>&1 || true
fi
"$BUILD/report-query" html --store "$STORE" -o "$W/page.html"
# As root, Chromium runs only without its sandbox; no network at all.
"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$W/profile" --proxy-server=127.0.0.1:9 \
    --disable-background-networking --disable-component-update \
    --no-first-run --window-size=1000,1250 --screenshot="$W/shot.png" \
    "file://$W/page.html" > /dev/null 2>&1
# Chromium writes PNG quickly, not small: the same pixels, compressed harder.
python3 - "$W/shot.png" "$OUT" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
out, i, idat = [data[:8]], 8, b""
while i < len(data):
    n = struct.unpack(">I", data[i:i + 4])[0]
    kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + n]
    if kind == b"IDAT":
        idat += body
    elif kind == b"IEND":
        body = zlib.compress(zlib.decompress(idat), 9)
        out.append(struct.pack(">I", len(body)) + b"IDAT" + body +
                   struct.pack(">I", zlib.crc32(b"IDAT" + body)))
        out.append(data[i:i + 12 + n])
    else:
        out.append(data[i:i + 12 + n])
    i += 12 + n
open(sys.argv[2], "wb").write(b"".join(out))
PY
echo "$OUT: $(wc -c < "$OUT") bytes"
