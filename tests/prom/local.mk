# SPDX-License-Identifier: BSD-2-Clause
# tests/prom/: report-query metrics against promtool, node_exporter and
# Prometheus.
TESTS += tests/prom/metrics.test
EXTRA_DIST += tests/prom/metrics.test
