# ruff: noqa: E501 - prose: one paragraph per line, as the text markup expects
"""Version 1 of the information text, seeded by migration 0002 (kept here so it can be read
and reviewed as text). Later versions are published with services.publish_text."""

TITLE_NL = "Discriminatie bij je stage: herken het, meld het"
TITLE_EN = "Discrimination in your internship: recognise it, report it"

BODY_NL = """\
Iedere mbo-student heeft recht op een eerlijke kans op een stage. Een leerbedrijf mag je kiezen op wat je kunt en wilt leren, niet op wie je bent. Toch gebeurt het dat studenten worden afgewezen of anders behandeld om hun afkomst, geloof, geslacht of een andere reden die er niet toe doet. Dat heet stagediscriminatie, en het is verboden.

## Wat is stagediscriminatie?
Je wordt anders behandeld dan anderen, en de reden is je afkomst of huidskleur, je nationaliteit, je geloof of levensovertuiging, je politieke mening, je geslacht of zwangerschap, je genderidentiteit, je seksuele gerichtheid, je burgerlijke staat, een handicap of chronische ziekte, of je leeftijd. Het kan gebeuren als je een stage zoekt, maar ook tijdens je stage. Een paar voorbeelden:
- Je hoort dat de plek al vergeven is, maar een klasgenoot met een Nederlands klinkende naam wordt daarna wel uitgenodigd.
- In een gesprek krijg je vragen over je geloof, je hoofddoek, je afkomst of of je zwanger wilt worden.
- Het bedrijf zegt dat klanten of collega's "liever niet" iemand zoals jij zien.
- Tijdens je stage word je uitgescholden, buitengesloten of krijg je steeds het vervelende werk vanwege wie je bent.
- Er wordt geen rekening gehouden met je handicap of ziekte, terwijl een kleine aanpassing genoeg zou zijn.

Twijfel je of het discriminatie was? Meld het toch. Jij hoeft het niet te bewijzen; wij kijken er samen met je naar. Het is nooit jouw schuld.

## Hoe meld je het?
- Ga naar het Meldpunt stagediscriminatie op Stagekans (knop "Discriminatie melden"). Dat kan ingelogd of helemaal anoniem.
- Vertel wat er gebeurde, wanneer en bij welk bedrijf. Een screenshot, mail of foto kun je meesturen (PDF, PNG of JPEG). Locatiegegevens in foto's halen we er automatisch af.
- Meld je anoniem, dan krijg je een ontvangstcode. Schrijf die goed op: alleen met die code lees je onze reactie. We bewaren de code niet en kunnen hem niet opnieuw sturen.
- Je kunt ook meteen praten met de vertrouwenspersoon van je school of je stagebegeleider. Zij kunnen ook namens jou melden.

## Wat gebeurt er na je melding?
- Je krijgt meteen een bevestiging op het scherm, en per e-mail als je een adres invult.
- Binnen 3 werkdagen reageert een medewerker van het meldpunt.
- Jij bepaalt wat er gebeurt: alleen registreren, steun en advies (bijvoorbeeld via de vertrouwenspersoon van je school of de antidiscriminatievoorziening in je regio), of een onderzoek door SBB naar het leerbedrijf.
- Je naam gaat alleen naar SBB of je school als jij daar apart toestemming voor geeft. Zonder toestemming krijgt SBB alleen een samenvatting zonder je gegevens. Het bedrijf hoort nooit wie er meldde zonder jouw toestemming.
- SBB kan na onderzoek afspraken maken met het bedrijf of de erkenning als leerbedrijf intrekken. Dan mag het bedrijf geen stagiairs meer begeleiden.

## Waarom helpt melden?
- Jij krijgt steun en hoeft er niet alleen mee te blijven zitten.
- Iedere melding telt. Samen laten meldingen zien bij welke bedrijven en in welke sectoren het misgaat, zodat scholen, SBB en de overheid gericht kunnen ingrijpen.
- Zo maak je het voor de studenten na jou makkelijker om een eerlijke stage te vinden.

Heb je nu hulp nodig? Praat met je stagebegeleider, je mentor of de vertrouwenspersoon van je school. Meld het, ook als het klein lijkt.
"""

BODY_EN = """\
Every MBO student has the right to a fair chance at an internship. A company may choose you for what you can do and want to learn, not for who you are. Yet students are sometimes turned down or treated differently because of their background, religion, sex or another reason that does not matter. That is internship discrimination, and it is against the law.

## What is internship discrimination?
You are treated differently from others because of your origin or skin colour, nationality, religion or belief, political opinion, sex or pregnancy, gender identity, sexual orientation, marital status, a disability or chronic illness, or your age. It can happen while you look for an internship and during the internship itself. A few examples:
- You are told the place has been filled, but a classmate with a Dutch-sounding name is invited afterwards.
- In an interview you are asked about your religion, your headscarf, your background or whether you plan to become pregnant.
- The company says customers or colleagues would "rather not" see someone like you.
- During your internship you are called names, left out, or always given the unpleasant jobs because of who you are.
- Nobody takes your disability or illness into account, while a small adjustment would be enough.

Not sure whether it was discrimination? Report it anyway. You do not have to prove it; we will look at it with you. It is never your fault.

## How do you report it?
- Go to the Meldpunt stagediscriminatie (reporting point) on Stagekans (button "Report discrimination"). You can report logged in or completely anonymously.
- Tell us what happened, when and at which company. You can attach a screenshot, e-mail or photo (PDF, PNG or JPEG). We automatically remove location data from photos.
- If you report anonymously, you get a receipt code. Write it down carefully: only with that code can you read our reply. We do not keep the code and cannot send it again.
- You can also talk to your school's confidential adviser (vertrouwenspersoon) or your internship supervisor straight away. They can also report on your behalf.

## What happens after you report?
- You get a confirmation on screen at once, and by e-mail if you give an address.
- Within 3 working days someone from the reporting point replies.
- You decide what happens: only register it, support and advice (for example from your school's confidential adviser or the anti-discrimination service in your region), or an investigation of the company by SBB.
- Your name only goes to SBB or your school if you separately agree to that. Without your consent SBB only gets a summary without your details. The company never learns who reported without your consent.
- After an investigation SBB can make agreements with the company or withdraw its recognition as a learning company. It may then no longer train interns.

## Why does reporting help?
- You get support and do not have to deal with it alone.
- Every report counts. Together, reports show at which companies and in which sectors things go wrong, so schools, SBB and the government can act where it matters.
- You make it easier for the students after you to find a fair internship.

Need help now? Talk to your internship supervisor, your mentor or your school's confidential adviser. Report it, even if it seems small.
"""
