# tests/mta/: report-milter through a real Postfix and a real Sendmail.
