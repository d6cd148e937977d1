"""CSV files for download (standard and for Excel), one writer with the CLI."""
