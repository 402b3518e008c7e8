"""Creator metrics as pure Ibis expressions: tables in, tables out, any backend."""
