"""What every domain uses: the actor and permissions, writing and reading records, confidential
records and the visibility rule, the audit trail, revision stamps, names and formats in the
reader's language, message catalogs, the calculator registry, spreadsheets, and the toolkits
of the API, the pages and the commands. It knows no domain."""
