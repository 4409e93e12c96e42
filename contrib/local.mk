# SPDX-License-Identifier: BSD-2-Clause
# contrib/: what a postmaster puts in front of their mail: the sample
# configuration, the systemd unit, the MTA snippets, and the demo.
EXTRA_DIST += contrib/report-milter.conf contrib/report-milter.service \
	contrib/postfix-main.cf contrib/sendmail.mc contrib/demo.sh
