"""Observing the data plane: hop-by-hop traces and pcap files."""
