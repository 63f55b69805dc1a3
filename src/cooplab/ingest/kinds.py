"""The kinds of named mention the pipeline tells apart: people, organizations, places."""

PER, ORG, LOC = "PER", "ORG", "LOC"
