"""ETL for the valuechain DuckDB database: reference data, members, DENUE, sample data."""
