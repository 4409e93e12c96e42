# SPDX-License-Identifier: BSD-2-Clause
# milter/: the report-milter daemon.
sbin_PROGRAMS = report-milter
report_milter_SOURCES = \
	milter/main.c \
	milter/callbacks.c milter/callbacks.h \
	milter/finish.c milter/finish.h \
	milter/context.c milter/context.h \
	milter/config.c milter/config.h \
	milter/config_live.c milter/config_live.h \
	milter/select.c milter/select.h \
	milter/spool.c milter/spool.h \
	milter/store_hold.c milter/store_hold.h \
	milter/purge.c milter/purge.h milter/defer.c milter/defer.h \
	milter/stats.c milter/stats.h \
	milter/privs.c milter/privs.h \
	milter/daemon.c milter/daemon.h \
	milter/log.c milter/log.h \
	milter/merror.c milter/merror.h
report_milter_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers \
	-I$(top_srcdir)/store
report_milter_CFLAGS = $(AM_CFLAGS) $(MILTER_CFLAGS)
report_milter_LDADD = $(STORE_LIBS) $(MILTER_LIBS)
man_MANS += milter/report-milter.8 milter/report-milter.conf.5
EXTRA_DIST += milter/report-milter.8.in milter/report-milter.conf.5.in
CLEANFILES += milter/report-milter.8 milter/report-milter.conf.5
milter/report-milter.8: $(srcdir)/milter/report-milter.8.in Makefile
	$(edit_made)
milter/report-milter.conf.5: $(srcdir)/milter/report-milter.conf.5.in Makefile
	$(edit_made)
