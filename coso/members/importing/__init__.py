"""Member import (XLSX/CSV, validate-all-then-write) and export (XLSX with the same columns)."""
