"""The suites under fixtures/ are inputs of these tests (some fail on purpose), not tests of their own."""

collect_ignore_glob = ["fixtures/*"]
pytest_plugins = ["pytester"]
