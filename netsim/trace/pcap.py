"""pcap files, one per interface (filled in by the data-plane work)."""


def write_pcaps(engine, directory) -> list:
    raise NotImplementedError("pcap writing is not written yet")
