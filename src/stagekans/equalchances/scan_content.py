"""Version 1 of the "Zelfscan werving en selectie" (Dutch, B1), published by a data migration.

The questions follow the steps of recruiting an intern. The advice per answer is based on what
the Delphi study of effective interventions against labour-market discrimination rates as
working: decide criteria in advance, anonymise the first selection, interview in a structured
way, assess with more than one person, account for every decision in writing and publish
vacancies widely. Later versions are written by SBB staff in the application itself.
Points: 0 = not yet, 1 = partly, 2 = fully in place.
"""

from __future__ import annotations

from typing import TypedDict


class OptionContent(TypedDict):
    label: str
    points: int
    advice: str


class QuestionContent(TypedDict):
    step: str
    text: str
    help_text: str
    options: list[OptionContent]


TITLE = "Zelfscan werving en selectie"
INTRO = (
    "Met deze zelfscan kijkt u stap voor stap naar hoe uw bedrijf stagiairs werft en kiest. "
    "Bij elk antwoord krijgt u een concreet advies. De adviezen komen uit onderzoek naar wat "
    "echt helpt tegen discriminatie op de arbeidsmarkt. Uw antwoorden ziet alleen uw eigen "
    "bedrijf. SBB ziet alleen cijfers per sector en regio, nooit uw bedrijf."
)

QUESTIONS: list[QuestionContent] = [
    # --- vacancy publication -------------------------------------------------------------
    {
        "step": "publication",
        "text": "Waar publiceert u uw stagevacatures?",
        "help_text": "Denk aan Stagemarkt.nl, uw eigen website, scholen en uw netwerk.",
        "options": [
            {
                "label": "Alleen via ons eigen netwerk of via bekenden",
                "points": 0,
                "advice": (
                    "Via uw netwerk bereikt u vooral mensen die op u lijken. Zet elke "
                    "stagevacature ook op Stagemarkt.nl. Zo heeft iedere student dezelfde "
                    "kans om haar te zien."
                ),
            },
            {
                "label": "Op één openbare plek, bijvoorbeeld Stagemarkt.nl",
                "points": 1,
                "advice": (
                    "Goed dat uw vacature openbaar is. Deel haar ook met meerdere scholen in "
                    "de regio. Zo bereikt u studenten met verschillende achtergronden."
                ),
            },
            {
                "label": "Op Stagemarkt.nl én via meerdere scholen of kanalen",
                "points": 2,
                "advice": (
                    "Dit is precies wat werkt: een brede, openbare werving. Houd dit vast en "
                    "kijk één keer per jaar of u nieuwe groepen studenten mist."
                ),
            },
        ],
    },
    {
        "step": "publication",
        "text": "Hoe schrijft u de tekst van uw vacature?",
        "help_text": "Bijvoorbeeld: eisen over taal, uiterlijk of 'past in het team'.",
        "options": [
            {
                "label": "We gebruiken een oude tekst en kijken er niet opnieuw naar",
                "points": 0,
                "advice": (
                    "Lees uw vacaturetekst opnieuw. Schrap eisen die niet nodig zijn voor het "
                    "werk, zoals 'vloeiend Nederlands' voor werk zonder klantcontact of 'past "
                    "in ons team'. Zulke eisen houden studenten onnodig tegen."
                ),
            },
            {
                "label": "We letten erop, maar hebben geen vaste werkwijze",
                "points": 1,
                "advice": (
                    "Maak een korte checklist voor vacatureteksten: alleen eisen die nodig "
                    "zijn voor het werk, duidelijke taal en een zin dat iedereen welkom is. "
                    "Laat een collega de tekst controleren."
                ),
            },
            {
                "label": "Elke tekst noemt alleen eisen die nodig zijn voor het werk",
                "points": 2,
                "advice": (
                    "Goed. Noem in uw vacature ook welke begeleiding u biedt, bijvoorbeeld "
                    "'Begeleiding op maat'. Dat maakt de drempel lager voor studenten die "
                    "twijfelen."
                ),
            },
        ],
    },
    # --- criteria set in advance ---------------------------------------------------------
    {
        "step": "criteria",
        "text": "Legt u vooraf vast waarop u stagiairs kiest?",
        "help_text": "Vaste eisen die u opschrijft voordat u brieven of profielen leest.",
        "options": [
            {
                "label": "Nee, we kiezen op gevoel",
                "points": 0,
                "advice": (
                    "Kiezen op gevoel geeft ruimte aan vooroordelen, ook als u dat niet wilt. "
                    "Schrijf vóór de werving drie tot vijf eisen op die echt nodig zijn voor "
                    "de stage. Beoordeel iedere student op precies die eisen."
                ),
            },
            {
                "label": "Soms, of alleen in ons hoofd",
                "points": 1,
                "advice": (
                    "Zet de eisen op papier en bewaar ze bij de vacature. Dan kunt u later "
                    "laten zien waarom u iemand koos, en gebruikt iedere collega dezelfde "
                    "eisen."
                ),
            },
            {
                "label": "Ja, altijd op papier, vóór de werving begint",
                "points": 2,
                "advice": (
                    "Zo hoort het. Verander de eisen niet meer als de werving al loopt. Wilt "
                    "u iets aanpassen, doe dat dan voor de volgende vacature."
                ),
            },
        ],
    },
    {
        "step": "criteria",
        "text": "Gebruikt u bij elke student dezelfde eisen?",
        "help_text": "",
        "options": [
            {
                "label": "Nee, dat verschilt per student",
                "points": 0,
                "advice": (
                    "Als de eisen per student verschillen, is de kans groot dat u studenten "
                    "ongelijk behandelt. Gebruik één lijst met eisen voor iedereen die op "
                    "dezelfde stage reageert."
                ),
            },
            {
                "label": "Meestal wel",
                "points": 1,
                "advice": (
                    "Gebruik een eenvoudig scoreformulier met de eisen. Vul het in voor elke "
                    "student. Zo ziet u snel of u iemand anders behandelt."
                ),
            },
            {
                "label": "Ja, met een vast scoreformulier",
                "points": 2,
                "advice": (
                    "Prima. Bewaar de scoreformulieren een jaar. Dan kunt u uitleggen hoe een "
                    "keuze tot stand kwam als een student of school ernaar vraagt."
                ),
            },
        ],
    },
    # --- anonymised first selection -------------------------------------------------------
    {
        "step": "anonymised",
        "text": "Ziet u bij de eerste selectie de naam, foto of leeftijd van de student?",
        "help_text": "De eerste selectie is het moment waarop u kiest wie u uitnodigt.",
        "options": [
            {
                "label": "Ja, we zien alles",
                "points": 0,
                "advice": (
                    "Naam, foto en leeftijd zeggen niets over hoe goed iemand werkt, maar ze "
                    "beïnvloeden wel uw keuze. Gebruik de anonieme sollicitatie in Stagekans: "
                    "u ziet eerst alleen motivatie, competenties en reisafstand."
                ),
            },
            {
                "label": "Soms anoniem, niet altijd",
                "points": 1,
                "advice": (
                    "Maak anoniem selecteren de vaste regel voor alle stages. Kijk pas naar de "
                    "naam als u al besloten hebt wie u uitnodigt."
                ),
            },
            {
                "label": "Nee, de eerste selectie is altijd anoniem",
                "points": 2,
                "advice": (
                    "Heel goed: dit is een van de best werkende maatregelen. Let er ook op dat "
                    "een cv of motivatiebrief geen foto of geboortedatum bevat."
                ),
            },
        ],
    },
    {
        "step": "anonymised",
        "text": "Vraagt u in de eerste ronde naar informatie die niet nodig is voor de stage?",
        "help_text": "Bijvoorbeeld geboorteland, religie, thuistaal of een pasfoto.",
        "options": [
            {
                "label": "Ja, dat vragen we standaard",
                "points": 0,
                "advice": (
                    "Vraag alleen wat u nodig hebt om te kiezen. Haal vragen naar afkomst, "
                    "geloof, thuistaal of een foto uit uw formulier. Sommige vragen zijn zelfs "
                    "in strijd met de Algemene wet gelijke behandeling."
                ),
            },
            {
                "label": "Soms, als het zo uitkomt",
                "points": 1,
                "advice": (
                    "Spreek met collega's af welke vragen wel en niet mogen. Schrijf dat op en "
                    "deel het met iedereen die gesprekken voert."
                ),
            },
            {
                "label": "Nee, we vragen alleen wat nodig is",
                "points": 2,
                "advice": (
                    "Goed. Controleer dit ook als u een nieuw formulier of systeem gaat gebruiken."
                ),
            },
        ],
    },
    # --- structured interviews -------------------------------------------------------------
    {
        "step": "interview",
        "text": "Stelt u in sollicitatiegesprekken aan iedere student dezelfde vragen?",
        "help_text": "",
        "options": [
            {
                "label": "Nee, het gesprek loopt vanzelf",
                "points": 0,
                "advice": (
                    "Een vrij gesprek voelt prettig, maar u beoordeelt dan vooral of iemand "
                    "op u lijkt. Maak een lijst van vijf tot acht vragen die passen bij uw "
                    "eisen en stel die aan iedere student, in dezelfde volgorde."
                ),
            },
            {
                "label": "Grotendeels, met ruimte voor eigen vragen",
                "points": 1,
                "advice": (
                    "Houd de vaste vragen aan en stel extra vragen pas aan het eind, aan "
                    "iedereen. Zo kunt u de antwoorden van studenten eerlijk vergelijken."
                ),
            },
            {
                "label": "Ja, altijd dezelfde vragen in dezelfde volgorde",
                "points": 2,
                "advice": (
                    "Dit werkt aantoonbaar tegen vooroordelen. Houd de vragen kort en "
                    "duidelijk, zodat ook studenten met minder ervaring ze goed begrijpen."
                ),
            },
        ],
    },
    {
        "step": "interview",
        "text": "Geeft u een score op elk antwoord, direct na het gesprek?",
        "help_text": "",
        "options": [
            {
                "label": "Nee, we kijken naar de totale indruk",
                "points": 0,
                "advice": (
                    "Een totale indruk wordt snel gekleurd door één moment of één detail. "
                    "Geef per vraag een score, bijvoorbeeld van 1 tot 5, meteen na het "
                    "gesprek."
                ),
            },
            {
                "label": "Soms, of pas later",
                "points": 1,
                "advice": (
                    "Scoor direct na elk gesprek, voordat u met collega's praat. Later "
                    "onthoudt u vooral wat opviel en niet wat de student echt zei."
                ),
            },
            {
                "label": "Ja, per vraag en direct na het gesprek",
                "points": 2,
                "advice": "Prima. Bespreek de scores daarna pas met andere beoordelaars.",
            },
        ],
    },
    # --- more than one assessor -------------------------------------------------------------
    {
        "step": "assessors",
        "text": "Hoeveel mensen beoordelen een student?",
        "help_text": "",
        "options": [
            {
                "label": "Eén persoon beslist",
                "points": 0,
                "advice": (
                    "Laat ten minste twee mensen elke student beoordelen. Twee mensen zien "
                    "meer dan één en houden elkaar scherp op vooroordelen."
                ),
            },
            {
                "label": "Soms twee, als er tijd is",
                "points": 1,
                "advice": (
                    "Maak twee beoordelaars de vaste regel, ook als het druk is. Een korte "
                    "tweede blik via een videogesprek is ook goed."
                ),
            },
            {
                "label": "Altijd twee of meer mensen",
                "points": 2,
                "advice": (
                    "Goed. Zet het liefst mensen met verschillende achtergronden of functies "
                    "samen in de beoordeling."
                ),
            },
        ],
    },
    {
        "step": "assessors",
        "text": "Beoordelen de beoordelaars eerst ieder voor zich?",
        "help_text": "",
        "options": [
            {
                "label": "Nee, we overleggen meteen",
                "points": 0,
                "advice": (
                    "Als u meteen overlegt, neemt vaak de mening van één persoon het over. "
                    "Laat iedereen eerst zelf scores geven en vergelijk daarna."
                ),
            },
            {
                "label": "Soms",
                "points": 1,
                "advice": (
                    "Spreek af dat eerst ieder apart scoort. Bespreek daarna vooral de "
                    "punten waarop u van elkaar verschilt."
                ),
            },
            {
                "label": "Ja, eerst apart, dan samen",
                "points": 2,
                "advice": "Prima. Schrijf kort op hoe u tot een gezamenlijk besluit kwam.",
            },
        ],
    },
    # --- written reasons for refusals -------------------------------------------------------
    {
        "step": "refusal",
        "text": "Krijgt een student die u afwijst een reden op papier?",
        "help_text": "In Stagekans kiest u bij elke afwijzing een reden en kunt u die toelichten.",
        "options": [
            {
                "label": "Nee, of geen reactie",
                "points": 0,
                "advice": (
                    "Geen reactie of geen reden voelt voor een student als een dichte deur. "
                    "Geef bij elke afwijzing een korte, eerlijke reden die past bij uw "
                    "eisen. Dat dwingt u ook zelf om uw keuze goed te onderbouwen."
                ),
            },
            {
                "label": "Alleen een standaardbericht",
                "points": 1,
                "advice": (
                    "Vul het standaardbericht aan met één of twee zinnen over deze student: "
                    "op welke eis viel de keuze anders uit? Zo leert de student ervan."
                ),
            },
            {
                "label": "Ja, altijd een reden die past bij onze eisen",
                "points": 2,
                "advice": (
                    "Heel goed. Kijk af en toe of uw redenen echt bij de vooraf gekozen eisen "
                    "horen, en niet bij iets als 'past niet in het team'."
                ),
            },
        ],
    },
    {
        "step": "refusal",
        "text": "Bewaart u waarom u een student afwees?",
        "help_text": "",
        "options": [
            {
                "label": "Nee",
                "points": 0,
                "advice": (
                    "Bewaar bij elke afwijzing de reden en het scoreformulier. Zonder die "
                    "gegevens kunt u bij een vraag of klacht niet laten zien dat u eerlijk "
                    "koos."
                ),
            },
            {
                "label": "Soms",
                "points": 1,
                "advice": (
                    "Leg de reden altijd vast, op één plek. In Stagekans gebeurt dat "
                    "vanzelf als u een sollicitatie afwijst."
                ),
            },
            {
                "label": "Ja, altijd",
                "points": 2,
                "advice": (
                    "Goed. Kijk één keer per jaar naar alle redenen samen: valt u iets op, "
                    "bijvoorbeeld dat bepaalde groepen vaker worden afgewezen?"
                ),
            },
        ],
    },
    # --- complaint route ---------------------------------------------------------------------
    {
        "step": "complaint",
        "text": "Weet een student waar hij of zij terecht kan met een klacht over de werving?",
        "help_text": (
            "Bijvoorbeeld een contactpersoon in uw bedrijf of het Meldpunt stagediscriminatie."
        ),
        "options": [
            {
                "label": "Nee, dat staat nergens",
                "points": 0,
                "advice": (
                    "Noem in elke vacature en elke afwijzing waar een student terecht kan met "
                    "een klacht: een contactpersoon bij u en het Meldpunt "
                    "stagediscriminatie. Dat laat zien dat u klachten serieus neemt."
                ),
            },
            {
                "label": "Alleen als de student ernaar vraagt",
                "points": 1,
                "advice": (
                    "Studenten vragen er zelden naar, zeker als ze zich al buitengesloten "
                    "voelen. Zet de klachtroute daarom standaard in uw vacature en "
                    "afwijzingsbericht."
                ),
            },
            {
                "label": "Ja, de klachtroute staat in vacature en afwijzing",
                "points": 2,
                "advice": "Goed. Controleer één keer per jaar of de contactgegevens nog kloppen.",
            },
        ],
    },
    {
        "step": "complaint",
        "text": "Wat doet u met een klacht over discriminatie bij werving?",
        "help_text": "",
        "options": [
            {
                "label": "Daar hebben we geen afspraken over",
                "points": 0,
                "advice": (
                    "Spreek af wie een klacht behandelt, binnen welke termijn u reageert en "
                    "dat u de student en de school op de hoogte houdt. Leg dit vast in uw "
                    "beleid voor gelijke kansen bij werving."
                ),
            },
            {
                "label": "We bekijken het per geval",
                "points": 1,
                "advice": (
                    "Maak van 'per geval' een vaste werkwijze: wie, hoe snel en wat u "
                    "terugkoppelt. Leer van elke klacht: past u daarna iets aan in uw "
                    "werving?"
                ),
            },
            {
                "label": "Er is een vaste werkwijze, en we leren ervan",
                "points": 2,
                "advice": (
                    "Heel goed. Bespreek klachten (zonder namen) ook in uw team, zodat "
                    "iedereen die werft ervan leert."
                ),
            },
        ],
    },
]
