"""Pure values of the domain, no I/O: identifiers, countries, names, choices."""
