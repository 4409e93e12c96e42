# SPDX-License-Identifier: BSD-2-Clause
# tests/enrich/: report-query enrich against a private DNS server and an
# MMDB file made at test time.
TESTS += tests/enrich/enrich.test
EXTRA_DIST += tests/enrich/enrich.test tests/enrich/dns.py \
	tests/enrich/mkmmdb.pl
