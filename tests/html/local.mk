# SPDX-License-Identifier: BSD-2-Clause
# tests/html/: report-query html over the corpus and hostile report mail,
# rendered by a headless Chromium (skipped where there is none).
TESTS += tests/html/html.test
EXTRA_DIST += tests/html/html.test tests/html/hostile.py
