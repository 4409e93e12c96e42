# tests/cli/: report-query store verbs as a user runs them.
