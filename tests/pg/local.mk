# SPDX-License-Identifier: BSD-2-Clause
# tests/pg/: report-query push into a private PostgreSQL (pg-up.sh), the
# schema's views and the Grafana dashboard's queries.
TESTS += tests/pg/push.test
EXTRA_DIST += tests/pg/push.test tests/pg/pg-up.sh tests/pg/pg-down.sh
