# tests/store/: the store and the ingest path (TAP).
