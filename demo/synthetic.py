"""A synthetic magazine archive, for benchmarks (`manage.py populate`).

Plain data, no database: names for people, places, events and authors; headlines,
standfirsts and ~800-word bodies; and who is tagged how often. Everything is drawn from
one `random.Random`, so a seed always makes the same archive.

Tag popularity follows a Zipf–Mandelbrot law, weight 1 / (rank + ZIPF_OFFSET) ** ZIPF_EXPONENT:
at 100,000 articles the most-used person is in nearly half of them and the tenth in
about a tenth, while most tags are in one or two. The offset flattens the very top, so
the first name is not in nearly every article.
"""

import bisect
from itertools import accumulate

ZIPF_EXPONENT = 1.6
ZIPF_OFFSET = 4

# How many tags an article gets, inclusive ranges (the issue: 2–8 people, 1–5 places, 0–3 events).
TAGS_PER_ARTICLE = {"people": (2, 8), "places": (1, 5), "events": (0, 3)}
# How the N/5 distinct tags split between the vocabularies.
TAG_SHARE = {"people": 0.5, "places": 0.3, "events": 0.2}

FIRST_NAMES = [
    "Aiko",
    "Alexei",
    "Amara",
    "Anders",
    "Ana",
    "Andrzej",
    "Anna",
    "Ayesha",
    "Beatriz",
    "Bilal",
    "Boris",
    "Carmen",
    "Chen",
    "Chiara",
    "Daniel",
    "Dmitri",
    "Elena",
    "Emeka",
    "Emma",
    "Fatima",
    "Felipe",
    "Gabriel",
    "Grace",
    "Hana",
    "Hassan",
    "Helena",
    "Ibrahim",
    "Ingrid",
    "Ivan",
    "Jamal",
    "Javier",
    "Jin",
    "Joao",
    "Jonas",
    "Julia",
    "Kamala",
    "Karim",
    "Katarzyna",
    "Kenji",
    "Kofi",
    "Lars",
    "Leila",
    "Li",
    "Lucia",
    "Luis",
    "Maria",
    "Marek",
    "Mariam",
    "Mei",
    "Mikhail",
    "Min-jun",
    "Mohammed",
    "Nadia",
    "Naledi",
    "Nikolai",
    "Nora",
    "Olga",
    "Omar",
    "Oksana",
    "Pablo",
    "Pedro",
    "Priya",
    "Rafael",
    "Rania",
    "Ravi",
    "Rosa",
    "Ruth",
    "Sakura",
    "Samir",
    "Sara",
    "Sergei",
    "Sofia",
    "Svetlana",
    "Tariq",
    "Thabo",
    "Tomasz",
    "Valentina",
    "Viktor",
    "Wei",
    "Xi",
    "Yasmin",
    "Yuki",
    "Yusuf",
    "Zainab",
    "Zhang",
]

LAST_NAMES = [
    "Abe",
    "Achterberg",
    "Adeyemi",
    "Aliyev",
    "Almeida",
    "Andersen",
    "Baker",
    "Banerjee",
    "Barros",
    "Becker",
    "Bianchi",
    "Borisov",
    "Castillo",
    "Chaudhry",
    "Chen",
    "Costa",
    "Dalton",
    "Demir",
    "Dubois",
    "Eriksen",
    "Fernandes",
    "Fischer",
    "Garcia",
    "Gomez",
    "Grant",
    "Haddad",
    "Hansen",
    "Hashemi",
    "Hoffmann",
    "Horvat",
    "Ibrahim",
    "Ivanov",
    "Jansen",
    "Kaminski",
    "Kang",
    "Kapoor",
    "Keller",
    "Khan",
    "Kim",
    "Kowalski",
    "Kozlov",
    "Kuznetsov",
    "Laurent",
    "Lebedev",
    "Lee",
    "Lindqvist",
    "Liu",
    "Lopez",
    "Marsh",
    "Martin",
    "Mendes",
    "Meyer",
    "Mishra",
    "Moreau",
    "Morozov",
    "Mwangi",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Novikov",
    "Nowak",
    "Okafor",
    "Okonkwo",
    "Olsen",
    "Orlov",
    "Park",
    "Patel",
    "Pavlov",
    "Petrova",
    "Popescu",
    "Quinn",
    "Rahman",
    "Reyes",
    "Rossi",
    "Sato",
    "Schmidt",
    "Schneider",
    "Shevchenko",
    "Silva",
    "Sokolov",
    "Suzuki",
    "Tanaka",
    "Tkachenko",
    "Torres",
    "Vasquez",
    "Volkov",
    "Wagner",
    "Wang",
    "Weber",
    "Wojcik",
    "Wu",
    "Yamamoto",
    "Yilmaz",
    "Zhou",
    "Zielinski",
]

PLACE_ROOTS = [
    "Alder",
    "Amber",
    "Ash",
    "Bel",
    "Black",
    "Bran",
    "Brook",
    "Cas",
    "Cedar",
    "Clear",
    "Cold",
    "Cor",
    "Dal",
    "Dun",
    "East",
    "Elm",
    "Fair",
    "Fern",
    "Glen",
    "Gold",
    "Gran",
    "Green",
    "Hal",
    "Hart",
    "Haven",
    "High",
    "Iron",
    "Kes",
    "Kings",
    "Lake",
    "Lan",
    "Long",
    "Mar",
    "Mead",
    "Mill",
    "Mor",
    "Nor",
    "Oak",
    "Pine",
    "Port",
    "Red",
    "Ris",
    "Rock",
    "Rose",
    "Sal",
    "Sand",
    "Silver",
    "Stan",
    "Stone",
    "Sun",
    "Tal",
    "Thorn",
    "Val",
    "West",
    "White",
    "Wil",
    "Wind",
    "Wolf",
    "Yar",
    "Zel",
]
PLACE_SUFFIXES = [
    "bury",
    "burg",
    "field",
    "ford",
    "grad",
    "haven",
    "holm",
    "mouth",
    "pol",
    "ridge",
    "stad",
    "ton",
    "vale",
    "ville",
    "wick",
    "abad",
]
PLACE_KINDS = ["", "", "", "", "Port ", "Lake ", "Mount ", "New ", "Upper ", "North "]

EVENT_KINDS = """
summit|election|trial|strike|protest|flood|earthquake|state visit|peace talks|referendum|
ceasefire|sanctions vote|budget crisis|bank collapse|Olympic bid|heatwave|wildfire|
court ruling|festival|treaty signing|cyberattack|border dispute|pipeline deal
""".replace("\n", "").split("|")

SECTIONS = (
    ("News", "news"),
    ("World", "world"),
    ("Politics", "politics"),
    ("Business", "business"),
    ("Culture", "culture"),
    ("Science", "science"),
    ("Sport", "sport"),
    ("Opinion", "opinion"),
)
SECTION_WEIGHTS = (30, 22, 14, 10, 9, 7, 5, 3)

VERBS = [
    "meets",
    "warns",
    "backs",
    "rejects",
    "signs",
    "visits",
    "praises",
    "criticises",
    "defends",
    "questions",
    "announces",
    "opposes",
    "welcomes",
    "answers",
    "challenges",
    "resigns-over",
    "confirms",
    "denies",
]
SUBJECTS = [
    "talks",
    "reform",
    "deal",
    "plan",
    "vote",
    "budget",
    "crisis",
    "inquiry",
    "treaty",
    "law",
    "strike",
    "ruling",
    "election",
    "sanctions",
    "merger",
    "tariff",
    "programme",
    "report",
    "ceasefire",
    "protest",
]

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "they",
    "you",
    "were",
    "her",
    "she",
    "there",
    "been",
    "one",
    "all",
    "we",
    "their",
    "has",
    "would",
    "when",
    "if",
    "so",
    "no",
    "will",
    "more",
    "can",
    "who",
    "what",
    "said",
    "up",
    "out",
    "about",
    "into",
    "than",
    "them",
    "only",
    "other",
    "new",
    "some",
    "could",
    "time",
    "these",
    "two",
    "may",
    "then",
    "first",
    "any",
    "like",
    "over",
    "such",
    "our",
    "also",
    "most",
    "even",
    "made",
    "after",
    "many",
    "before",
    "must",
    "through",
    "back",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "us",
    "great",
    "old",
    "year",
    "off",
    "come",
    "since",
    "against",
    "go",
    "came",
    "right",
    "used",
    "take",
    "three",
    "states",
    "himself",
    "few",
    "house",
    "use",
    "during",
    "without",
    "again",
    "place",
    "american",
    "around",
    "however",
    "home",
    "small",
    "found",
    "thought",
    "went",
    "say",
    "part",
    "once",
    "general",
    "high",
    "upon",
    "school",
    "every",
    "does",
    "got",
    "united",
    "left",
    "number",
    "course",
    "war",
    "until",
    "always",
    "away",
    "something",
    "fact",
    "though",
    "water",
    "less",
    "public",
    "put",
    "think",
    "almost",
    "hand",
    "enough",
    "far",
    "took",
    "head",
    "yet",
    "government",
    "system",
    "better",
    "set",
    "told",
    "nothing",
    "night",
    "end",
    "why",
    "called",
    "didnt",
    "eyes",
    "find",
    "going",
    "look",
    "asked",
    "later",
    "knew",
    "point",
    "next",
    "city",
    "business",
    "give",
    "group",
    "toward",
    "young",
    "days",
    "let",
    "room",
    "president",
    "side",
    "social",
    "given",
    "present",
    "several",
    "order",
    "national",
    "possible",
    "rather",
    "second",
    "face",
    "per",
    "among",
    "form",
    "important",
    "often",
    "things",
    "looking",
    "early",
    "white",
    "case",
    "john",
    "become",
    "large",
    "big",
    "need",
    "four",
    "within",
    "felt",
    "children",
    "along",
    "saw",
    "best",
    "church",
    "ever",
    "least",
    "power",
    "development",
    "light",
    "seemed",
    "family",
    "interest",
    "want",
    "members",
    "mind",
    "country",
    "area",
    "others",
    "done",
    "turned",
    "although",
    "open",
    "god",
    "service",
    "certain",
    "kind",
    "problem",
    "began",
    "different",
    "door",
    "thus",
    "help",
    "means",
    "sense",
    "whole",
    "matter",
    "perhaps",
    "itself",
    "york",
    "times",
    "law",
    "human",
    "line",
    "above",
    "name",
    "example",
    "action",
    "company",
    "hands",
    "local",
    "show",
    "whether",
    "five",
    "history",
    "gave",
    "today",
    "either",
    "act",
    "feet",
    "across",
    "taken",
    "past",
    "quite",
    "anything",
    "having",
    "seen",
    "death",
    "experience",
    "body",
    "word",
    "half",
    "really",
    "week",
    "minister",
    "talks",
    "border",
    "ministry",
    "officials",
    "market",
    "prices",
    "court",
    "election",
    "council",
    "reform",
]


def zipf_cumulative_weights(count):
    """Cumulative weights for `count` ranks, most popular first."""
    return list(accumulate(1 / (rank + ZIPF_OFFSET) ** ZIPF_EXPONENT for rank in range(1, count + 1)))


class Archive:
    """Draws the parts of a synthetic archive from one random generator."""

    def __init__(self, rng, article_count):
        self.rng = rng
        self.article_count = article_count
        total_tags = max(3, article_count // 5)
        self.tag_counts = {key: max(1, round(total_tags * share)) for key, share in TAG_SHARE.items()}
        self.tag_counts["people"] += total_tags - sum(self.tag_counts.values())
        self.cumulative = {key: zipf_cumulative_weights(n) for key, n in self.tag_counts.items()}
        # Every tag is used at least once: tag i (in a shuffled order) goes into an article
        # spread evenly across the archive; the rest of each article's tags follow Zipf.
        self.coverage = {}
        for key, n in self.tag_counts.items():
            order = list(range(n))
            rng.shuffle(order)
            slots = {}
            for position, tag in enumerate(order):
                slots.setdefault(position * article_count // n, []).append(tag)
            self.coverage[key] = slots

    # Names ---------------------------------------------------------------------------------

    def unique_names(self, count, make):
        names, seen = [], set()
        while len(names) < count:
            name = make()
            if name.lower() in seen:
                # Rare at small counts; a middle initial or a numeral keeps names distinct.
                name = (
                    f"{name} {self.rng.choice('ABCDEFGHJKLMNPRSTVW')}."
                    if len(seen) % 2
                    else f"{name} {len(names)}"
                )
                if name.lower() in seen:
                    continue
            seen.add(name.lower())
            names.append(name)
        return names

    def person_name(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def place_name(self):
        root = self.rng.choice(PLACE_ROOTS)
        return f"{self.rng.choice(PLACE_KINDS)}{root}{self.rng.choice(PLACE_SUFFIXES)}"

    def event_name(self, places):
        return f"{self.rng.choice(places)} {self.rng.choice(EVENT_KINDS)} {self.rng.randint(2015, 2026)}"

    def tag_names(self):
        people = self.unique_names(self.tag_counts["people"], self.person_name)
        places = self.unique_names(self.tag_counts["places"], self.place_name)
        events = self.unique_names(self.tag_counts["events"], lambda: self.event_name(places))
        return {"people": people, "places": places, "events": events}

    def author_names(self, count):
        return self.unique_names(count, self.person_name)

    # Articles ------------------------------------------------------------------------------

    def tags_for(self, index):
        """Tag ranks (0 = most popular) per vocabulary for article number `index`."""
        chosen = {}
        for key, (low, high) in TAGS_PER_ARTICLE.items():
            wanted = self.rng.randint(low, high)
            ranks = list(dict.fromkeys(self.coverage[key].get(index, ())))
            cumulative, n = self.cumulative[key], self.tag_counts[key]
            wanted = min(max(wanted, len(ranks)), n)
            total = cumulative[-1]
            while len(ranks) < wanted:
                rank = bisect.bisect(cumulative, self.rng.random() * total)
                rank = min(rank, n - 1)
                if rank not in ranks:
                    ranks.append(rank)
            chosen[key] = ranks
        return chosen

    def headline(self, person, place):
        verb = self.rng.choice(VERBS).replace("-", " ")
        return f"{person} {verb} {self.rng.choice(SUBJECTS)} in {place}"

    def sentence(self, low=8, high=22):
        words = self.rng.choices(WORDS, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def body(self, names):
        """About 800 words of paragraphs, with the odd subheading, quotation and link."""
        target = self.rng.randint(550, 1050)
        parts, words = [], 0
        while words < target:
            roll = self.rng.random()
            if roll < 0.08 and parts:
                heading = self.sentence(3, 6)[:-1]
                parts.append(f"<h2>{heading}</h2>")
                words += len(heading.split())
                continue
            sentences = [self.sentence() for _ in range(self.rng.randint(3, 6))]
            if roll < 0.35:
                sentences.insert(1, f"{self.rng.choice(names)} said so on the record.")
            text = " ".join(sentences)
            words += len(text.split())
            if roll > 0.95:
                parts.append(f"<blockquote><p>{text}</p></blockquote>")
            elif roll > 0.9:
                parts.append(
                    f'<p>{text} <a href="https://example.org/{self.rng.randint(1, 9999)}">Read the report</a>.</p>'
                )
            else:
                parts.append(f"<p>{text}</p>")
        return "\n".join(parts)
