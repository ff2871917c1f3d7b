"""Network drivers: bridge, host and null (libnetwork ``drivers/``)."""
