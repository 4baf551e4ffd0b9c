"""The demo content that `manage.py load_demo` puts on a fresh site, as plain data.

Sections, authors and articles are matched by slug and tags by name, so the loader can
tell what is already there. Publication times are ages ("published this long ago"), so
the home page looks current whenever the demo is loaded. Each article's artwork says
how its lead illustration is painted and what the picture shows (its alt text).
"""

from dataclasses import dataclass, field
from datetime import timedelta

IMAGE_CREDIT = "Illustration: HOLR Studio"


@dataclass(frozen=True)
class DemoSection:
    name: str
    slug: str
    description: str
    position: int


@dataclass(frozen=True)
class DemoAuthor:
    name: str
    slug: str
    bio: str


@dataclass(frozen=True)
class DemoTag:
    vocabulary: str  # "people", "places" or "events": the Article field
    name: str
    description: str = ""


@dataclass(frozen=True)
class Artwork:
    """An abstract lead illustration: a motif painted in a palette (RGB triples)."""

    motif: str  # "orbits", "bands", "blocks", "stripes", "waves", "rays" or "horizon"
    background: tuple  # two colours: a gradient from the first to the second
    colours: tuple  # the motif's colours, in order of prominence
    alt: str  # what the finished picture shows


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    dek: str
    section: str  # a DemoSection slug
    authors: tuple  # DemoAuthor slugs, in byline order; empty for a site byline
    people: tuple
    places: tuple
    events: tuple
    age: timedelta  # published this long before the demo is loaded
    artwork: Artwork
    caption: str
    body: str
    edited_after: timedelta | None = field(default=None)  # an edit this long after publication
    # Corrections and updates: (kind, this long after publication, text).
    notes: tuple = field(default=())


@dataclass(frozen=True)
class DemoPage:
    """One of the magazine's own pages (pages.Page), matched by slug."""

    slug: str
    title: str
    footer_order: int
    body: str


SECTIONS = (
    DemoSection("News", "news", "Reporting on the day's events, checked and put in context.", 1),
    DemoSection("World", "world", "Politics, cities and the way people live, beyond the headlines.", 2),
    DemoSection("Culture", "culture", "Museums, books, film and the arguments around them.", 3),
    DemoSection("Science", "science", "Climate, research and the people who do it.", 4),
)

AUTHORS = (
    DemoAuthor(
        "Helena Marsh",
        "helena-marsh",
        "Helena Marsh is HOLR's diplomatic correspondent. She reported from Moscow for six "
        "years and now covers Russia, China and the war in Ukraine from London.",
    ),
    DemoAuthor(
        "Ruth Achterberg",
        "ruth-achterberg",
        "Ruth Achterberg is Europe correspondent, based in Amsterdam. She writes about "
        "European politics and about how cities house and move their people.",
    ),
    DemoAuthor(
        "Daniel Okafor",
        "daniel-okafor",
        "Daniel Okafor is HOLR's culture editor. He writes about museums, books and the "
        "politics of who gets to tell a story.",
    ),
    DemoAuthor(
        "Ines Carvalho",
        "ines-carvalho",
        "Ines Carvalho covers climate and science. She trained as a geologist in Lisbon "
        "before turning to journalism.",
    ),
)

TAGS = (
    # People
    DemoTag(
        "people",
        "Vladimir Putin",
        "President of Russia since 2012, and before that from 2000 to 2008. In March 2023 "
        "the International Criminal Court issued a warrant for his arrest.",
    ),
    DemoTag(
        "people",
        "Xi Jinping",
        "Xi Jinping (习近平), general secretary of the Chinese Communist Party since 2012 and "
        "president of China since 2013. In March 2023 he began a third term as president.",
    ),
    DemoTag("people", "Antony Blinken", "United States secretary of state from 2021 to 2025."),
    DemoTag("people", "Volodymyr Zelensky", "President of Ukraine since 2019."),
    DemoTag("people", "Fumio Kishida", "Prime minister of Japan from 2021 to 2024."),
    DemoTag(
        "people",
        "Ángela Ruiz",
        "An architect born in Seville who designs cooperative housing in Zürich.",
    ),
    DemoTag(
        "people",
        "Gunay Uslu",
        "Dutch state secretary for culture and media from 2022 to 2024, who announced the "
        "return of colonial objects to Indonesia and Sri Lanka in 2023.",
    ),
    DemoTag(
        "people",
        "Lilian Gonçalves-Ho Kang You",
        "Dutch jurist who chaired the advisory committee whose 2020 report reshaped the "
        "Netherlands' policy on colonial collections.",
    ),
    DemoTag(
        "people",
        "Sofia Lemos",
        "Portuguese novelist; her debut, The Hour of Candles, is set in Lisbon after the "
        "earthquake of 1755.",
    ),
    DemoTag(
        "people",
        "Marquis of Pombal",
        "Sebastião José de Carvalho e Melo (1699–1782), the Portuguese chief minister who "
        "directed the rebuilding of Lisbon after the 1755 earthquake.",
    ),
    DemoTag(
        "people",
        "Matthias Huss",
        "Glaciologist who leads GLAMOS, the network that measures Switzerland's glaciers.",
    ),
    DemoTag("people", "Anne Hidalgo", "Mayor of Paris from 2014 to 2026."),
    DemoTag(
        "people",
        "Lise Meitner",
        "Austrian-born physicist (1878–1968) who, with Otto Robert Frisch, gave the first "
        "physical explanation of nuclear fission.",
    ),
    DemoTag(
        "people",
        "Otto Hahn",
        "German chemist (1879–1968), Lise Meitner's long-time collaborator; he alone "
        "received the 1944 Nobel Prize in Chemistry for the discovery of fission.",
    ),
    DemoTag("people", "Otto Robert Frisch", "Austrian-born physicist (1904–1979), Lise Meitner's nephew."),
    # Places
    DemoTag("places", "Moscow", "The capital of Russia."),
    DemoTag(
        "places",
        "the Kremlin",
        "The fortified complex in the centre of Moscow that houses the Russian presidency; "
        "also shorthand for the Russian government.",
    ),
    DemoTag("places", "Ukraine", "Invaded by Russia in February 2022."),
    DemoTag("places", "China"),
    DemoTag("places", "Russia"),
    DemoTag(
        "places",
        "Zürich",
        "Switzerland's largest city, where about a quarter of rented homes belong to "
        "non-profit landlords.",
    ),
    DemoTag("places", "Switzerland"),
    DemoTag("places", "Leiden", "Dutch university city, home of the national museum of ethnology."),
    DemoTag("places", "Indonesia"),
    DemoTag("places", "Sri Lanka"),
    DemoTag("places", "Lisbon", "The capital of Portugal, largely rebuilt after the earthquake of 1755."),
    DemoTag("places", "Swiss Alps"),
    DemoTag(
        "places",
        "Rhône Glacier",
        "The glacier in the canton of Valais where the Rhône rises, partly wrapped in "
        "white fleece each summer to slow its melt.",
    ),
    DemoTag(
        "places",
        "Blatten",
        "Village in the Lötschental, Valais, buried by a glacier collapse in May 2025.",
    ),
    DemoTag("places", "Paris"),
    DemoTag("places", "Vienna"),
    DemoTag("places", "Berlin"),
    DemoTag("places", "Stockholm"),
    # Events
    DemoTag(
        "events",
        "ICC arrest warrant for Putin",
        "On 17 March 2023 the International Criminal Court issued a warrant for Vladimir "
        "Putin's arrest over the unlawful deportation of children from occupied Ukraine.",
    ),
    DemoTag(
        "events",
        "Xi's 2023 state visit to Moscow",
        "Xi Jinping's visit to Russia on 20–22 March 2023, his first trip abroad after "
        "beginning a third term as China's president.",
    ),
    DemoTag(
        "events",
        "Russian invasion of Ukraine",
        "The full-scale invasion that Russia began on 24 February 2022.",
    ),
    DemoTag(
        "events",
        "Zürich's 2011 vote on non-profit housing",
        "The 2011 referendum that set Zürich the goal of making one rented home in three "
        "non-profit by 2050.",
    ),
    DemoTag(
        "events",
        "Dutch return of colonial objects, 2023",
        "The Netherlands' decision in July 2023 to return 478 objects taken in the colonial "
        "era to Indonesia and Sri Lanka.",
    ),
    DemoTag(
        "events",
        "1755 Lisbon earthquake",
        "The earthquake, tsunami and fires that destroyed much of Lisbon on 1 November 1755.",
    ),
    DemoTag(
        "events",
        "Swiss glacier melt of 2022–23",
        "Two summers in which Switzerland's glaciers lost about a tenth of their remaining volume.",
    ),
    DemoTag(
        "events",
        "Blatten glacier collapse",
        "The collapse of the Birch glacier above Blatten on 28 May 2025.",
    ),
    DemoTag(
        "events",
        "Paris SUV parking referendum, 2024",
        "The February 2024 vote that tripled visitors' parking charges for heavy cars in Paris.",
    ),
    DemoTag("events", "Paris e-scooter referendum, 2023"),
    DemoTag(
        "events",
        "Discovery of nuclear fission",
        "Hahn and Strassmann's experiments of December 1938 and Meitner and Frisch's "
        "explanation of them, published in February 1939.",
    ),
)


ARTICLES = (
    DemoArticle(
        slug="xi-jinping-visits-putin-in-moscow",
        title="In Moscow, Xi offers Putin friendship days after the ICC warrant",
        dek=(
            "China's leader chose Russia for his first trip abroad since taking a third term, "
            "arriving at the Kremlin three days after the International Criminal Court issued "
            "a warrant for Vladimir Putin's arrest."
        ),
        section="news",
        authors=("helena-marsh", "ruth-achterberg"),
        people=("Vladimir Putin", "Xi Jinping", "Antony Blinken", "Volodymyr Zelensky", "Fumio Kishida"),
        places=("Moscow", "the Kremlin", "Ukraine", "China", "Russia"),
        events=(
            "Xi's 2023 state visit to Moscow",
            "ICC arrest warrant for Putin",
            "Russian invasion of Ukraine",
        ),
        age=timedelta(hours=5),
        notes=(
            (
                "correction",
                timedelta(hours=2),
                "An earlier version of this article said the two leaders' informal conversation "
                "lasted about three hours. The Kremlin put it at about four and a half.",
            ),
        ),
        artwork=Artwork(
            motif="orbits",
            background=((12, 22, 48), (28, 44, 86)),
            colours=((196, 40, 48), (222, 170, 62), (226, 222, 208)),
            alt="Abstract illustration: a red circle and a gold circle overlapping on a deep "
            "navy field, ringed by thin pale lines.",
        ),
        caption="Two leaders, one long conversation: Xi Jinping and Vladimir Putin talked for "
        "more than four hours on the first day of the visit.",
        body="""
<p>Xi Jinping arrived in Moscow on 20 March 2023 for a three-day state visit, his first
journey outside China since the National People's Congress handed him an unprecedented
third term as president ten days earlier. That he went to Russia, and that he went now, was
the message. The trip began three days after judges at the
International Criminal Court in The Hague issued a warrant for the arrest of his host.</p>

<p>Vladimir Putin received Xi at the Kremlin that afternoon for what both sides called an
informal conversation. It lasted about four and a half hours, according to the Kremlin. The
formal talks between the two delegations followed on Tuesday, 21 March, and ended with joint
statements on a deeper partnership and on economic cooperation for the rest of the decade.</p>

<h2>Warm words on both sides</h2>

<p>The public remarks were studiously friendly. Xi told Putin he was confident that Russians
would keep backing him, a pointed endorsement a year before Russia's presidential election,
and said the two countries were pursuing much the same aims. Putin replied that he had read
Beijing's plan for ending the war in Ukraine closely and treated it with respect, and he
praised China's model of government as an efficient engine of growth and state power.</p>

<p>Neither leader said much about what the meetings would change in practice. Energy was on
the table, including Power of Siberia 2, a long-planned pipeline that would carry Russian gas
to China across Mongolia, but Beijing made no public commitment to build it.</p>

<h2>The warrant in the background</h2>

<p>The court's warrant, issued on 17 March, accuses Putin of responsibility for the unlawful
deportation of children from occupied parts of Ukraine to Russia. A second warrant on the same
charge names Maria Lvova-Belova, Russia's commissioner for children's rights. Moscow rejects
the accusation, says it moved children away from the fighting to keep them safe, and calls
the warrant void. China's foreign ministry urged the court to avoid what it called
politicisation and double standards.</p>

<p>Neither Russia nor China is a party to the Rome Statute, so neither is bound to act on the
warrant. The 123 states that are would be expected to arrest Putin on their soil, which
shortens the list of places he can visit. Against that backdrop, a state visit with full
ceremony from the leader of the world's second-largest economy was worth a great deal to the
Kremlin.</p>

<h2>Washington objects</h2>

<p>In Washington the timing drew sharp criticism. Secretary of State Antony Blinken said a
visit so soon after the warrant suggested that China felt no responsibility to hold the
Kremlin to account, and that Beijing was giving Russia diplomatic cover to go on committing
the crimes the court described. American officials also warned that a renewed Chinese call
for a ceasefire would freeze the front line where it stands, locking in Russia's gains on
the battlefield.</p>

<p>China's twelve-point position paper, published on 24 February, the first anniversary of
the full-scale invasion, asks among other things for:</p>
<ul>
<li>respect for the sovereignty of all countries, without saying whose borders it means;</li>
<li>a ceasefire and a return to peace talks;</li>
<li>an end to sanctions that the UN Security Council has not approved;</li>
<li>safe nuclear power plants and no use of nuclear weapons;</li>
<li>protection for civilians and prisoners of war, and safe grain exports.</li>
</ul>

<p>Western governments largely dismissed the paper as a pause that would let Russia consolidate
what it has seized, noting that it nowhere asks Russian forces to withdraw. Ukraine's president,
Volodymyr Zelensky, has said he is willing to discuss it with Beijing, but that any settlement
must begin with Russian troops leaving.</p>

<p>On the day of the formal talks, Japan's prime minister, Fumio Kishida, made an unannounced
visit to Kyiv, a reminder that this war's diplomacy is being conducted on both sides. For now,
the Moscow summit has shown a partnership that is close and growing closer, and left Western
hopes that Beijing might push Moscow towards peace looking, at best, unproven.</p>
""",
    ),
    DemoArticle(
        slug="paris-votes-on-its-streets",
        title="How Paris voted its streets back from the car",
        dek=(
            "A run of local referendums, from dearer parking for heavy cars to hundreds of new "
            "pedestrian streets, has made traffic the city's favourite argument."
        ),
        section="world",
        authors=("ruth-achterberg",),
        people=("Anne Hidalgo",),
        places=("Paris",),
        events=("Paris SUV parking referendum, 2024", "Paris e-scooter referendum, 2023"),
        age=timedelta(days=2, hours=3),
        artwork=Artwork(
            motif="bands",
            background=((214, 216, 210), (186, 190, 184)),
            colours=((46, 112, 84), (244, 242, 234), (78, 88, 100)),
            alt="Abstract illustration: green, off-white and slate-grey diagonal bands over a "
            "pale grey field.",
        ),
        caption="Paris has asked its residents about scooters, parking and planting; each "
        "time, most of those who voted backed the change.",
        body="""
<p>Ten years ago the Rue de Rivoli was one of the loudest streets in Paris, lanes of
traffic pressed between the Louvre and the shops. Today most of it belongs to bicycles, buses
and delivery vans, and on a fine evening the cyclists queue at the lights. The change did not
happen in a single stroke. It was argued over, block by block, and lately it has been put to
the vote.</p>

<h2>A city that asks</h2>

<p>Under Anne Hidalgo, mayor from 2014 until she chose not to run again in 2026, the city hall took to
consulting residents directly on questions that most capitals leave to their engineers. The
results have been lopsided, and the turnout low:</p>
<ul>
<li>In April 2023 Parisians voted on rental e-scooters. Almost nine in ten of those who took
part wanted them gone, and the operators left the city that summer.</li>
<li>In February 2024 a narrow majority approved tripling the hourly parking charge for
visitors in heavy cars, a measure aimed squarely at SUVs.</li>
<li>In March 2025 about two-thirds of voters backed turning some five hundred more streets
into planted, largely car-free spaces.</li>
</ul>

<p>Critics point out that each of these votes drew well under a tenth of registered voters,
and that the people most affected, commuters from the suburbs who drive into the city, had no
say at all. Supporters answer that the votes confirmed a direction the city had already taken
at two municipal elections, and that nobody was prevented from turning up.</p>

<h2>What the street feels like</h2>

<p>For anyone who knew Paris in the 2000s, the difference is audible first. On many streets
near schools, traffic has been cut back so children can gather outside the gate. Cycle lanes
that were laid as temporary lines of plastic bollards during the pandemic have been rebuilt
in kerbstone. Counts on several main routes now find more bicycles than cars at rush
hour, something that would have sounded like a joke at the turn of the
century.</p>

<p>Shopkeepers remain divided. Some on the newly quiet streets say their customers linger
longer; others, especially in trades that depend on deliveries, complain of longer routes and
stricter loading times. Taxi drivers, predictably, have views.</p>

<h2>The harder part</h2>

<p>What the votes cannot settle is the region beyond the ring road, where most of greater
Paris lives and where the car is still, for many people, the only sensible way to get to work.
The Grand Paris Express, a ring of new metro lines through the suburbs, is meant to change
that, but most of it is years behind its first timetable. Until it is finished, the city's
success at taming traffic inside its own boundary will look to some like a luxury of the centre.</p>

<p>Other European cities are watching closely. Paris has shown that a dense capital can take
space back from cars faster than almost anyone expected, and that its residents, when asked,
will mostly say yes. Whether the same approach works where people live farther apart is the
question the next decade will answer.</p>
""",
    ),
    DemoArticle(
        slug="dutch-museums-return-lombok-treasure",
        title="The Lombok treasure goes home",
        dek=(
            "The Netherlands has begun handing back objects taken in its colonial wars. The "
            "return of 478 pieces to Indonesia and Sri Lanka shows how a country changes its "
            "mind, and how slowly."
        ),
        section="culture",
        authors=("daniel-okafor",),
        people=("Gunay Uslu", "Lilian Gonçalves-Ho Kang You"),
        places=("Leiden", "Indonesia", "Sri Lanka"),
        events=("Dutch return of colonial objects, 2023",),
        age=timedelta(days=4, hours=6),
        artwork=Artwork(
            motif="stripes",
            background=((34, 52, 40), (20, 32, 26)),
            colours=((176, 122, 62), (214, 190, 140), (60, 98, 74), (232, 184, 72)),
            alt="Abstract illustration: vertical stripes of bronze, sand and deep green on a "
            "dark green field, with a single gold disc.",
        ),
        caption="Gold, silver and stone taken in 1894 are among the first objects the "
        "Netherlands has agreed to return.",
        body="""
<p>For more than a century, visitors to Dutch museums could admire the glitter of the Lombok
treasure without learning much about how it got there. The gold and silver jewellery, coins
and precious stones were carried off in 1894, when a Dutch colonial army stormed the palace
of the ruler of Lombok at Cakranegara and plundered it. In July 2023 the Dutch government said
that those objects, along with hundreds of others, would go back.</p>

<p>The announcement, made by the state secretary for culture, Gunay Uslu, covered 478 objects:
472 for Indonesia and six for Sri Lanka. The list reads like a tour of the finest rooms in two
national collections.</p>

<ul>
<li>The Lombok treasure, part of which had already been returned in 1977.</li>
<li>Four Hindu-Javanese statues from the Singasari temple complex on Java, long among the most
admired pieces in the ethnology museum in Leiden.</li>
<li>The kris of Klungkung, a ceremonial dagger taken during a Dutch military expedition on
Bali in 1908.</li>
<li>More than a hundred works of modern Balinese art known as the Pita Maha collection.</li>
<li>For Sri Lanka, a bronze cannon inlaid with gold, silver and rubies, seized from the King
of Kandy by the Dutch East India Company in 1765 and for decades on show in the Rijksmuseum in
Amsterdam.</li>
</ul>

<h2>From principle to practice</h2>

<p>The returns are the first large result of a policy the Netherlands adopted in 2021. It
followed a report by an advisory committee chaired by the jurist Lilian Gonçalves-Ho Kang You,
which argued that the state should be willing to return, without conditions, cultural objects
taken from its former colonies against the will of their owners. The policy changed the shape
of the conversation. A museum no longer asks whether a claim has been proven beyond all doubt;
an independent committee examines requests from the countries concerned and asks whether an
object was taken involuntarily.</p>

<p>Provenance work is painstaking. Colonial-era museum records were often written to justify an
acquisition, not to describe it, and a label that says "gift" or "found" can conceal a looting.
Researchers from both countries have had to rebuild the paper trail object by object, and in
some cases the honest answer is that nobody knows.</p>

<h2>What changes in the galleries</h2>

<p>For the museums, restitution leaves gaps on the wall and raises harder questions about
everything that stays. Most of what the Dutch national collections hold was bought,
commissioned or exchanged; some of it came through pressure that the records do not show. The
returns are no reason to empty the buildings. They are a reason to tell visitors plainly where
things came from, and to invite the people whose history is on display to help tell it.</p>

<p>The Netherlands is not alone. Germany handed over its first Benin Bronzes to Nigeria in
December 2022, and museums in France, Belgium and Britain are working through claims of their
own. What the Dutch case shows is that a policy written in general terms only becomes real when
named objects are packed in crates and put on a plane, and that for every object returned,
there are many more whose stories are still waiting to be read.</p>
""",
    ),
    DemoArticle(
        slug="swiss-glaciers-alps-retreat",
        title="The Alps are losing their ice, and their footing",
        dek=(
            "Two record summers took a tenth of Switzerland's glacier ice, and the collapse above "
            "Blatten showed what a warming mountain can do to a valley."
        ),
        section="science",
        authors=("ines-carvalho",),
        people=("Matthias Huss",),
        places=("Swiss Alps", "Rhône Glacier", "Blatten", "Switzerland"),
        events=("Swiss glacier melt of 2022–23", "Blatten glacier collapse"),
        age=timedelta(days=7, hours=2),
        edited_after=timedelta(days=1),
        notes=(
            (
                "update",
                timedelta(days=1),
                "This article was updated with the final figures of the Swiss glacier monitoring "
                "network for the 2023 melt season.",
            ),
        ),
        artwork=Artwork(
            motif="waves",
            background=((196, 222, 238), (238, 244, 248)),
            colours=((255, 255, 255), (132, 176, 206), (46, 62, 78)),
            alt="Abstract illustration: white and pale blue horizontal waves above a dark "
            "slate band, on a light blue field.",
        ),
        caption="Where the ice was: glaciologists now measure the Alps' retreat in tenths of "
        "the total, not in metres of ice.",
        body="""
<p>Every autumn, teams from GLAMOS, the network that monitors Switzerland's glaciers, climb to
the stakes they drilled into the ice the year before and measure how much of each stake now
sticks out. For most of the network's history the numbers changed slowly enough to be read as
a trend. In 2022 and 2023 they changed fast enough to be read as news.</p>

<h2>Two summers, a tenth of the ice</h2>

<p>In 2022, a winter with little snow was followed by a long, hot summer, and Saharan dust
carried north in the spring darkened the snow that remained, so that it absorbed more sunlight.
Switzerland's glaciers lost about six per cent of their volume, by far the largest loss on
record. The next year was barely kinder, at about four per cent. Together, the two summers
removed roughly as much ice as the thirty years from 1960 to 1990.</p>

<p>The figures that stood out in the glaciologists' reports:</p>
<ul>
<li>about 10 per cent of the country's remaining glacier volume lost in two years;</li>
<li>a freezing level measured above 5,200 metres over Switzerland in August 2023, higher than
the summit of Mont Blanc;</li>
<li>small glaciers that had been monitored for decades declared no longer worth measuring,
because there was no longer enough of them to measure.</li>
</ul>

<p>The measurements, run by a network led by the glaciologist Matthias Huss, showed something
the long-term averages had hidden: a single bad year can now do the damage that used to take a
decade, and forecasts made only a few years ago already look optimistic.</p>

<h2>When the mountain moves</h2>

<p>Melting is not only a matter of lost scenery or summer water for the Rhône and the Rhine.
As ice retreats it stops holding up the slopes around it, and permafrost that binds rock
together thaws. In May 2025 the Birch glacier above the village of Blatten, in the
Lötschental, collapsed under the weight of rock that had been falling onto it for days,
burying most of the village under ice and debris. Almost all of its residents had been
evacuated days earlier, thanks to monitoring that detected the movement, but a village that
had stood for centuries was gone in minutes.</p>

<p>Scientists caution against drawing a straight line from one disaster to the climate, since
rockfalls and ice avalanches have always happened in the Alps. But they agree that warming is
making the high mountains less stable, and that monitoring of the kind that saved Blatten's
residents will be needed in many more valleys.</p>

<h2>Blankets and limits</h2>

<p>Some of the responses look almost tender. At the Rhône Glacier, where the river begins,
white fleece blankets are spread across the ice each summer to reflect sunlight and protect an
ice grotto that draws tourists. The blankets work, locally, but they could never be laid across
a mountain range. The only lasting remedy, glaciologists say, is the obvious one: cut the
emissions that are warming the air.</p>

<p>Even then, much of the ice is already committed to melting. Projections suggest that the
Alps will lose most of their glaciers this century, and that how much remains depends almost
entirely on how quickly the world stops burning fossil fuels.</p>

<p><em>This article was updated a day after publication to say that the 2023 loss is a share of
the glaciers' remaining volume.</em></p>
""",
    ),
    DemoArticle(
        slug="review-the-hour-of-candles-sofia-lemos",
        title="Review: The Hour of Candles, by Sofia Lemos",
        dek=(
            "A debut novel set in the weeks after the Lisbon earthquake of 1755 turns one of "
            "Europe's great catastrophes into an intimate story of a city learning to stand up again."
        ),
        section="culture",
        authors=("daniel-okafor",),
        people=("Sofia Lemos", "Marquis of Pombal"),
        places=("Lisbon",),
        events=("1755 Lisbon earthquake",),
        age=timedelta(days=10, hours=4),
        artwork=Artwork(
            motif="horizon",
            background=((28, 52, 96), (236, 200, 140)),
            colours=((232, 112, 52), (40, 86, 150), (204, 150, 62), (244, 236, 220)),
            alt="Abstract illustration: a low orange sun under a dusky blue sky, half hidden "
            "behind horizontal bands of tile blue, ochre and cream.",
        ),
        caption="Lisbon rebuilt its centre on a grid after 1755; Sofia Lemos's novel lives in "
        "the weeks before the plans were drawn.",
        body="""
<p>The earthquake struck Lisbon on the morning of All Saints' Day, 1 November 1755, when the
churches were full and every altar was lit. What the shaking began, a tsunami and then days of
fire finished. Tens of thousands died; the royal palace, the opera house and much of the lower
city disappeared. The disaster unsettled the philosophers of Europe, and Voltaire wrote a poem
about it before he wrote <em>Candide</em>. It has rarely been told from the level of the
street.</p>

<p>That is what Sofia Lemos sets out to do in <em>The Hour of Candles</em>, her first novel,
and for most of its length she succeeds remarkably well. Her heroine, Teresa, is a widowed
candlemaker whose shop in the Baixa survives the shaking only to be consumed by the fire that
follows, a fire that may have been started by candles she made. Teresa spends the rest of the
book trying to find her apprentice, a boy last seen running towards the river, and trying to
decide whether she is guilty of anything at all.</p>

<h2>A city in pieces</h2>

<p>Lemos is very good on the physical world of the ruined city: the smell of wet ash, the
improvised tents on the hills, the rumours that travel faster than the soldiers. She is better
still on the moral confusion of the aftermath, when priests preached that the city had been
punished for its sins and the king's minister, the future Marquis of Pombal, answered with
gallows for looters and surveyors' chains for the streets. Pombal appears only a handful of
times, always at a distance, which is the right choice; the book belongs to the people he
governed.</p>

<blockquote>
<p>"The bells had stopped, but the city kept ringing, as a glass goes on humming after a
finger leaves its rim. Teresa walked inside that sound for three days and did not know it was
in her own head."</p>
</blockquote>

<p>Passages like that one are the novel at its best: exact, unhurried, and alert to the way
shock changes the senses. Lemos, who spent years reading parish records from the period, wears
her research lightly. Details arrive because Teresa would notice them, never because the author
wants to show her notes.</p>

<h2>Where it falters</h2>

<p>The last third is less sure. A subplot involving a merchant's stolen ledgers ties up too
neatly, and the final chapters, set as the first new buildings rise on Pombal's grid, hurry
through years that the rest of the book would have lingered over for pages. One senses a
publisher's deadline, or a writer who loved her disaster more than her recovery.</p>

<p>These are the faults of an ambitious debut, not a careless one. <em>The Hour of
Candles</em> is a serious, humane novel about the oldest question a catastrophe asks: not why
it happened, but how to go on living in the place where it did. Readers who know Lisbon's
orderly downtown will not walk through it in quite the same way again.</p>
""",
    ),
    DemoArticle(
        slug="zurich-housing-cooperatives",
        title="Zürich's quiet housing experiment, a century old and still growing",
        dek=(
            "About a quarter of the city's rented flats belong to non-profit landlords. As rents "
            "climb across Europe, planners keep coming to see how Zürich does it."
        ),
        section="world",
        authors=("ruth-achterberg",),
        people=("Ángela Ruiz",),
        places=("Zürich", "Switzerland"),
        events=("Zürich's 2011 vote on non-profit housing",),
        age=timedelta(days=14, hours=1),
        artwork=Artwork(
            motif="blocks",
            background=((44, 44, 48), (30, 30, 34)),
            colours=((190, 96, 64), (214, 164, 74), (236, 226, 204)),
            alt="Abstract illustration: a grid of terracotta, ochre and cream rectangles, like "
            "lit windows, on a charcoal background.",
        ),
        caption="Cooperative housing in Zürich charges what a home costs to build and run, and "
        "no more.",
        body="""
<p>On a weekday morning in the courtyard of a cooperative building in Zürich, the rush looks
much like anywhere else: bicycles unlocked, children steered towards school, someone arguing
gently with a recycling bin. What is unusual is the rent. Tenants here pay what it costs to
build, finance and maintain their homes, and nothing more. In one of Europe's most expensive
cities, that difference can be worth hundreds of francs a month.</p>

<p>Zürich has been building this way for more than a century. Housing cooperatives, owned by
their members and bound to charge cost rents, spread through the city in the early twentieth
century, often on cheap land and with loans from the municipality. Together with flats the city
owns directly, non-profit landlords now hold around a quarter of Zürich's rented homes. In
2011 the city's voters went further and wrote a goal into the municipal code: by 2050, one
rented home in three should be non-profit.</p>

<h2>More than a roof</h2>

<p>The newer cooperatives are not only cheaper; they are experiments in living together.
Projects such as Kalkbreite, built over a tram depot, and the Hunziker Areal in the north of
the city mix ordinary flats with clusters of small private rooms around shared kitchens, guest
rooms any resident can book, workshops, and ground floors let to shops and cafés. Owning a car
is discouraged, sometimes by contract.</p>

<p>Ángela Ruiz, an architect who moved from Seville to Zürich twelve years ago and now designs
cooperative housing, lives in one such building with her partner and their daughter. "When I
arrived, I thought a cooperative was something from the past, like a union holiday camp," she
says. "Then I saw the waiting lists."</p>

<blockquote>
<p>"The rent is the visible part. The invisible part is that nobody can sell the building from
under you. That changes how you plan a life."</p>
</blockquote>

<p>The real work of her profession here, Ruiz says, is no longer drawing the flats but drawing
the rules: how large a household must be for a given flat, how new members are chosen, how the
shared rooms are run. Many cooperatives set minimum occupancy, so a couple whose children have
left is expected to move to something smaller within the same cooperative.</p>

<h2>The limits of the model</h2>

<p>The system has its critics. Because cooperative flats are cheap and tenancies secure, people
rarely leave, and newcomers can wait years. Allocation has at times favoured those with the
right connections, and some cooperatives have moved to more transparent lotteries. None of it
solves the underlying shortage either: Zürich keeps growing, land is scarce, and private rents
on new leases continue to rise.</p>

<p>The one-third goal also depends on land the city does not yet own. To reach it, Zürich buys
plots and buildings when they come on the market and leases land to cooperatives on long
terms, a slow and costly strategy that voters have so far continued to support.</p>

<p>Still, the visitors keep coming, from Berlin, Munich, Barcelona and London, to walk through
the courtyards and ask the same question: can it be copied? Ruiz thinks so, but not quickly.
"We did not invent anything clever," she says. "We just kept doing the same thing for a hundred
years."</p>
""",
    ),
    DemoArticle(
        slug="lise-meitner-explained-fission",
        title="Lise Meitner, who explained how the atom splits",
        dek=(
            "She and Otto Hahn worked side by side for three decades. When the decisive result "
            "came she was in exile, and the Nobel Prize went to him alone."
        ),
        section="science",
        authors=(),
        people=("Lise Meitner", "Otto Hahn", "Otto Robert Frisch"),
        places=("Vienna", "Berlin", "Stockholm"),
        events=("Discovery of nuclear fission",),
        age=timedelta(days=20, hours=5),
        artwork=Artwork(
            motif="rays",
            background=((14, 14, 20), (30, 26, 34)),
            colours=((236, 168, 64), (250, 246, 236)),
            alt="Abstract illustration: thin amber lines radiating from two small white circles "
            "on a near-black field.",
        ),
        caption="Two fragments and a burst of energy: the picture Meitner and Frisch drew of a "
        "uranium nucleus splitting.",
        body="""
<p>Just before Christmas 1938, Lise Meitner received a letter in Stockholm that made no sense.
Otto Hahn, her colleague of thirty years, wrote from Berlin that when he and Fritz Strassmann
bombarded uranium with neutrons, they found barium among the products, an element little more than
half as heavy. Hahn was a superb chemist and trusted his results. He could not explain them. He was
asking, in effect, for a physicist.</p>

<h2>A walk in the snow</h2>

<p>Meitner spent that Christmas in the small Swedish town of Kungälv with her nephew, the
physicist Otto Robert Frisch. On a walk through the snow, Frisch on skis and Meitner keeping up
on foot, they sat on a tree trunk and worked it out on scraps of paper. A uranium nucleus, they
reasoned, might behave less like a hard ball than like a drop of liquid. Struck by a neutron,
it could wobble, stretch and pinch in two. Meitner calculated that the two fragments together
would weigh slightly less than the original, and that the missing mass, through Einstein's
equation, accounted for an enormous release of energy. The numbers matched.</p>

<p>Their short paper appeared in <em>Nature</em> in February 1939. Frisch borrowed a word from
biology for the process: fission.</p>

<h2>A career against the odds</h2>

<p>By then Meitner had been overcoming obstacles for most of her life. Born in Vienna in 1878,
she was among the first women to earn a doctorate in physics at the university there. In
Berlin, where she went in 1907 to hear Max Planck lecture, she began working with Hahn in a
converted carpentry workshop in the basement, because women were not yet allowed in the
chemistry institute's laboratories. She became one of Germany's first women professors of
physics and headed the physics department of the Kaiser Wilhelm Institute for Chemistry,
where Hahn ran the chemistry.</p>

<p>Her Austrian citizenship had protected her from Nazi racial laws, as she was of Jewish
descent. When Germany annexed Austria in 1938 that protection vanished, and that summer she
crossed into the Netherlands with little more than a small suitcase, eventually settling in
Stockholm. The collaboration with Hahn continued by letter, which is why the crucial exchange
of December 1938 was on paper at all.</p>

<h2>The prize, and what came after</h2>

<p>The Nobel Prize in Chemistry for 1944 went to Hahn alone. Historians have since traced how
the committee misread the physics and overlooked her share, a judgement the scientific world
has spent decades trying to correct. Meitner refused invitations to work on the atomic bomb,
and she never returned to live in Germany.</p>

<ul>
<li>Element 109, meitnerium, has been named after her since 1997.</li>
<li>She died in Cambridge in 1968, a few months after Hahn.</li>
<li>Frisch chose the words on her headstone: a physicist who never lost her humanity.</li>
</ul>
""",
    ),
)


PAGES = (
    DemoPage(
        slug="about",
        title="About HOLR Magazine",
        footer_order=1,
        body="""
<p>HOLR Magazine is an independent magazine of reporting and ideas. We write about power and
the people it touches: the summits and the streets, the museums and the mountains, the
arguments a city has with itself.</p>
<h2>What we publish</h2>
<p>Our correspondents file news, analysis and long reads from Europe and beyond, sorted into
four sections: News, World, Culture and Science. Every story is tagged with the people, places
and events it is about, so a reader who wants to follow one thread (a leader, a city, a
referendum) can find every piece we have written on it.</p>
<h2>How we work</h2>
<ul>
<li>Every story is read by an editor before it is published.</li>
<li>When we get something wrong we say so at the end of the story, with the date of the
correction, and we do not quietly rewrite the record.</li>
<li>We do not put trackers on our pages. Video and social posts load only when you ask for
them.</li>
</ul>
<p>HOLR Magazine runs on HOLR, the open-source publishing system its editors built for
themselves.</p>
""",
    ),
    DemoPage(
        slug="contact",
        title="Contact",
        footer_order=2,
        body="""
<p>We read everything that reaches us, though we cannot answer every message.</p>
<h2>Tips and stories</h2>
<p>If you have a story we should know about, write to the news desk at
<a href="mailto:news@holr.example">news@holr.example</a>. Tell us what you know, how you know
it, and how we can reach you safely.</p>
<h2>Corrections</h2>
<p>If you think we got something wrong, write to
<a href="mailto:corrections@holr.example">corrections@holr.example</a> and name the story. An
editor looks at every request; corrections we make are noted and dated at the end of the
story.</p>
<h2>Everything else</h2>
<p>For letters to the editor, partnerships and press enquiries, write to
<a href="mailto:editors@holr.example">editors@holr.example</a>.</p>
""",
    ),
)
