"""Wire formats shared by programs and the daemon (DNS)."""
