"""Pages of this domain: the app on a database with the reference data, users of every role."""

from tests.webkit import *  # noqa: F403  (the fixtures of page tests)
