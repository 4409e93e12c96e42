# SPDX-License-Identifier: BSD-2-Clause
# tests/pkg/: the release forms a postmaster installs from: "make install"
# into a DESTDIR, and the Debian package (built, linted, installed, run,
# purged; only with REPORT_MILTER_PACKAGE_TEST=yes, as root).
PKG_TESTS = tests/pkg/install.test tests/pkg/deb.test
TESTS += $(PKG_TESTS)
EXTRA_DIST += $(PKG_TESTS)
