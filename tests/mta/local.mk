# SPDX-License-Identifier: BSD-2-Clause
# tests/mta/: report-milter through a real Postfix and a real Sendmail.
MTA_TESTS = tests/mta/postfix.test tests/mta/sendmail.test tests/mta/faults.test \
	tests/mta/daemon.test tests/mta/load.test tests/mta/kill.test \
	tests/mta/hardening.test tests/mta/auth.test tests/mta/stats.test \
	tests/mta/genuine.test tests/mta/defer.test
TESTS += $(MTA_TESTS)
EXTRA_DIST += $(MTA_TESTS) tests/mta/lib.sh tests/mta/smtp-send.py \
	tests/mta/compare.py tests/mta/mkmail.py tests/mta/load.sh \
	tests/mta/mkload.py tests/mta/smtp-load.py tests/mta/tally.py \
	tests/mta/README tests/mta/postfix-up.sh tests/mta/postfix-down.sh \
	tests/mta/sendmail-up.sh tests/mta/sendmail-down.sh
