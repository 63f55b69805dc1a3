"""Registry: organizations, their names, identifiers, owners, members and sites; people and
their positions; places; sources cited by every fact."""
