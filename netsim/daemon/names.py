"""Names for containers started without ``--name``: ``adjective_surname``.

Docker's ``namesgenerator`` draws from a list of adjectives and of notable
scientists and hackers; netsim draws from a shorter list of the same kind with
the engine's seeded generator, so names repeat run to run.
"""
from __future__ import annotations

LEFT = ["admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome",
        "beautiful", "blissful", "bold", "boring", "brave", "busy", "charming", "clever",
        "compassionate", "competent", "confident", "cool", "cranky", "crazy", "dazzling",
        "determined", "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated",
        "elegant", "eloquent", "epic", "exciting", "fervent", "festive", "flamboyant",
        "focused", "friendly", "frosty", "funny", "gallant", "gifted", "goofy", "gracious",
        "great", "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible",
        "inspiring", "intelligent", "interesting", "jolly", "jovial", "keen", "kind",
        "laughing", "loving", "lucid", "magical", "modest", "musing", "mystifying", "naughty",
        "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic", "peaceful",
        "pedantic", "pensive", "practical", "priceless", "quirky", "quizzical", "recursing",
        "relaxed", "reverent", "romantic", "sad", "serene", "sharp", "silly", "sleepy",
        "stoic", "strange", "stupefied", "suspicious", "sweet", "tender", "thirsty",
        "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly",
        "wonderful", "xenodochial", "youthful", "zealous", "zen"]
RIGHT = ["albattani", "allen", "almeida", "archimedes", "ardinghelli", "babbage", "bardeen",
         "bartik", "bell", "benz", "bhabha", "blackwell", "bohr", "booth", "borg", "bose",
         "brahmagupta", "brattain", "brown", "carson", "cerf", "chandrasekhar", "clarke",
         "curie", "darwin", "davinci", "diffie", "dijkstra", "einstein", "elion", "engelbart",
         "euclid", "euler", "faraday", "fermat", "fermi", "feynman", "franklin", "galileo",
         "gates", "goldberg", "goodall", "hamilton", "hawking", "heisenberg", "hellman",
         "hertz", "hodgkin", "hopper", "hypatia", "jackson", "jang", "jennings", "johnson",
         "kalam", "kapitsa", "keller", "kepler", "khorana", "kilby", "knuth", "lalande",
         "lamarr", "lamport", "leakey", "lederberg", "liskov", "lovelace", "lumiere", "mahavira",
         "mayer", "mccarthy", "mcclintock", "meitner", "mendel", "merkle", "mirzakhani",
         "montalcini", "moore", "morse", "newton", "nobel", "noether", "pare", "pascal",
         "pasteur", "perlman", "pike", "poincare", "ptolemy", "raman", "ramanujan", "ride",
         "ritchie", "rosalind", "saha", "sammet", "shannon", "shockley", "sinoussi", "stonebraker",
         "swartz", "tesla", "thompson", "torvalds", "turing", "varahamihira", "visvesvaraya",
         "volhard", "wescoff", "wiles", "williams", "wilson", "wing", "wozniak", "wright", "yalow",
         "yonath"]


def random_name(ids, taken: set[str]) -> str:
    while True:
        n = ids.port(0, len(LEFT) * len(RIGHT) - 1)
        name = f"{LEFT[n // len(RIGHT)]}_{RIGHT[n % len(RIGHT)]}"
        if name == "boring_wozniak":   # Steve Wozniak is not boring (as Docker says)
            continue
        if name not in taken:
            return name
