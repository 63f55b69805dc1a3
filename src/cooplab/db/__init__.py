"""Database: engine and sessions, the declarative Base, dialect helpers and migrations."""
