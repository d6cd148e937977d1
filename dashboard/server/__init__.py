"""HTTP hardening and serving: request limits, headers, compression, JSON."""
