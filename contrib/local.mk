# SPDX-License-Identifier: BSD-2-Clause
# contrib/: what a postmaster puts in front of their mail: the sample
# configuration, the systemd unit, the MTA snippets, and the demo.
EXTRA_DIST += contrib/report-milter.conf contrib/report-milter.service.in \
	contrib/postfix-main.cf contrib/sendmail.mc contrib/demo.sh
# The README's picture of report-query html, and what makes it.
EXTRA_DIST += contrib/report.png contrib/screenshot.sh

# The sample configuration and the MTA snippets, for reading and copying.
exampledir = $(docdir)/examples
dist_example_DATA = contrib/report-milter.conf contrib/postfix-main.cf \
	contrib/sendmail.mc contrib/report-query-push.service \
	contrib/report-query-alerts.service contrib/report-query-alerts.timer \
	contrib/postgresql/schema.sql contrib/grafana/report-milter.json
# The Prometheus alerts on report-query metrics, and their promtool test.
dist_example_DATA += contrib/prometheus/report-milter.rules.yml
EXTRA_DIST += contrib/prometheus/report-milter.rules.test.yml

# The systemd unit, with this build's paths.
if HAVE_SYSTEMD_UNIT
systemdsystemunit_DATA = contrib/report-milter.service
endif
CLEANFILES += contrib/report-milter.service
contrib/report-milter.service: $(srcdir)/contrib/report-milter.service.in Makefile
	$(edit_made)

# The configuration itself: installed once, never over one that exists
# (a changed configuration is the postmaster's); uninstalled only while
# it is still the sample, unchanged.
conffile = $(DESTDIR)$(sysconfdir)/report-milter.conf
install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(sysconfdir)'
	@if test -f '$(conffile)'; then \
	  echo "$(sysconfdir)/report-milter.conf exists: kept as it is (the sample is in $(exampledir))"; \
	else \
	  echo " $(INSTALL_DATA) contrib/report-milter.conf '$(conffile)'"; \
	  $(INSTALL_DATA) '$(srcdir)/contrib/report-milter.conf' '$(conffile)'; \
	fi
uninstall-local:
	@if cmp -s '$(srcdir)/contrib/report-milter.conf' '$(conffile)'; then \
	  echo " rm -f '$(conffile)'"; rm -f '$(conffile)'; \
	elif test -f '$(conffile)'; then \
	  echo "$(sysconfdir)/report-milter.conf was changed: kept"; \
	fi
