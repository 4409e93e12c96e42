# milter/: the report-milter daemon.
