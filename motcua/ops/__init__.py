"""Running the product for years: health, logs, metrics, backups, the audit chain."""
