"""Reports: text (ru/en) written from the platform's records."""
