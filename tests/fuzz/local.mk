# SPDX-License-Identifier: BSD-2-Clause
# tests/fuzz/: libFuzzer harnesses, their dictionaries and seeds.
#
# Every harness is replayed in make check by a driver built with the
# ordinary compiler (replay.c) over the corpus samples of its kind and
# the inputs a fuzzer once failed on (regress/<harness>/). With
# --enable-fuzzing (CC=clang) the same harnesses are also linked with
# libFuzzer, as tests/fuzz/fuzz_<harness>, for tests/fuzz/run.sh.
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS)
FUZZ_ROUNDTRIP = tests/fuzz/roundtrip.c tests/fuzz/roundtrip.h

check_PROGRAMS += tests/fuzz/replay_message tests/fuzz/replay_dmarc_xml \
	tests/fuzz/replay_tlsrpt tests/fuzz/replay_arf tests/fuzz/replay_record_json
tests_fuzz_replay_message_SOURCES = tests/fuzz/fuzz_message.c tests/fuzz/replay.c
tests_fuzz_replay_message_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_message_LDADD = $(TESTS_LDADD)
tests_fuzz_replay_dmarc_xml_SOURCES = tests/fuzz/fuzz_dmarc_xml.c tests/fuzz/replay.c
tests_fuzz_replay_dmarc_xml_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_dmarc_xml_LDADD = $(TESTS_LDADD)
tests_fuzz_replay_tlsrpt_SOURCES = tests/fuzz/fuzz_tlsrpt.c tests/fuzz/replay.c \
	$(FUZZ_ROUNDTRIP)
tests_fuzz_replay_tlsrpt_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_tlsrpt_LDADD = $(TESTS_LDADD)
tests_fuzz_replay_arf_SOURCES = tests/fuzz/fuzz_arf.c tests/fuzz/replay.c \
	$(FUZZ_ROUNDTRIP)
tests_fuzz_replay_arf_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_arf_LDADD = $(TESTS_LDADD)
tests_fuzz_replay_record_json_SOURCES = tests/fuzz/fuzz_record_json.c \
	tests/fuzz/replay.c $(FUZZ_ROUNDTRIP)
tests_fuzz_replay_record_json_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_replay_record_json_LDADD = $(TESTS_LDADD)

# One test per harness (replay.sh does the work).
TESTS += tests/fuzz/message.test tests/fuzz/dmarc_xml.test \
	tests/fuzz/tlsrpt.test tests/fuzz/arf.test tests/fuzz/record_json.test
EXTRA_DIST += tests/fuzz/message.test tests/fuzz/dmarc_xml.test \
	tests/fuzz/tlsrpt.test tests/fuzz/arf.test tests/fuzz/record_json.test \
	tests/fuzz/replay.sh tests/fuzz/seeds.py tests/fuzz/run.sh \
	tests/fuzz/message.dict tests/fuzz/dmarc_xml.dict \
	tests/fuzz/tlsrpt.dict tests/fuzz/arf.dict tests/fuzz/record_json.dict \
	tests/fuzz/regress

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_message tests/fuzz/fuzz_dmarc_xml \
	tests/fuzz/fuzz_tlsrpt tests/fuzz/fuzz_arf tests/fuzz/fuzz_record_json
tests_fuzz_fuzz_message_SOURCES = tests/fuzz/fuzz_message.c
tests_fuzz_fuzz_message_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_message_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_message_LDADD = $(TESTS_LDADD)
tests_fuzz_fuzz_dmarc_xml_SOURCES = tests/fuzz/fuzz_dmarc_xml.c
tests_fuzz_fuzz_dmarc_xml_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_dmarc_xml_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_dmarc_xml_LDADD = $(TESTS_LDADD)
tests_fuzz_fuzz_tlsrpt_SOURCES = tests/fuzz/fuzz_tlsrpt.c $(FUZZ_ROUNDTRIP)
tests_fuzz_fuzz_tlsrpt_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_tlsrpt_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_tlsrpt_LDADD = $(TESTS_LDADD)
tests_fuzz_fuzz_arf_SOURCES = tests/fuzz/fuzz_arf.c $(FUZZ_ROUNDTRIP)
tests_fuzz_fuzz_arf_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_arf_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_arf_LDADD = $(TESTS_LDADD)
tests_fuzz_fuzz_record_json_SOURCES = tests/fuzz/fuzz_record_json.c $(FUZZ_ROUNDTRIP)
tests_fuzz_fuzz_record_json_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_record_json_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_record_json_LDADD = $(TESTS_LDADD)
endif
