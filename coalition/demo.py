"""The fictional demo coalition loaded by `flask demo seed` (demo mode only).

Every organisation, person, address and enterprise number here is invented (the numbers
pass the mod-97 check but were picked at random). Seeding is idempotent: what exists
(by slug, e-mail, external id or enterprise number) is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from coalition.extensions import db
from coalition.models import (
    MembershipApplication,
    Organisation,
    OrganisationRole,
    Programme,
    Role,
    User,
)
from coalition.models.base import utcnow
from coalition.services import members
from coalition.signals import demo_seeded

DEMO_PASSWORD = "demo-mentoring-2026"  # noqa: S105 - documented, demo mode only
COALITION_ADMIN = ("admin@coalition.example", "Coalition Office")
#: the lead organisation's staff: one user of each role (documented in README.md)
DUO_STAFF = (
    ("admin@duo-for-a-job.example", "Nadia Org-Admin", Role.org_admin),
    ("editor@duo-for-a-job.example", "Pieter Editor", Role.editor),
    ("referrals@duo-for-a-job.example", "Karim Referrals", Role.referral_officer),
    ("policy@duo-for-a-job.example", "Sofie Policy", Role.policy_author),
)


def kbo(base: int) -> str:
    """A valid 10-digit enterprise number from an 8-digit base."""
    return f"{base:08d}{97 - base % 97:02d}"


@dataclass
class DemoProgramme:
    key: str
    titles: dict[str, str]
    summaries: dict[str, str]
    themes: list[str]
    audiences: list[str]
    formats: list[str]
    ages: tuple[int, int]
    weeks: int
    hours: float
    #: postcodes of the organisation's branches where it runs; empty: all branches
    at: list[str] = field(default_factory=list)
    status: str = "published"
    online_region: str | None = None


@dataclass
class DemoOrganisation:
    slug: str
    name: str
    kbo_base: int
    website: str
    languages: list[str]
    names: dict[str, str]
    descriptions: dict[str, str]
    #: (name, address, postcode, country, opening date)
    branches: list[tuple[str, str, str, str, date]]
    programmes: list[DemoProgramme]


def T(fr: str, nl: str, en: str) -> dict[str, str]:
    return {"fr": fr, "nl": nl, "en": en}


DUO = DemoOrganisation(
    slug="duo-for-a-job",
    name="Duo for a Job",
    kbo_base=8_312_457,
    website="https://duo-for-a-job.example",
    languages=["fr", "nl", "en"],
    names=T("Duo for a Job", "Duo for a Job", "Duo for a Job"),
    descriptions=T(
        "Nous formons des duos intergénérationnels : un·e mentor de plus de 50 ans accompagne "
        "pendant six mois un·e jeune de 18 à 30 ans issu·e de l'immigration dans sa recherche "
        "d'emploi ou de formation.",
        "Wij vormen intergenerationele duo's: een mentor van 50+ begeleidt zes maanden lang "
        "een jongere van 18 tot 30 jaar met een migratieachtergrond naar werk of opleiding.",
        "We form intergenerational duos: a mentor aged 50+ accompanies a young person aged "
        "18 to 30 with a migration background for six months on the way to a job or training.",
    ),
    branches=[
        ("Bruxelles", "Rue de la Loi 1", "1000", "BE", date(2013, 3, 1)),
        ("Antwerpen", "Kammenstraat 10", "2000", "BE", date(2015, 9, 1)),
        ("Gent", "Korenmarkt 5", "9000", "BE", date(2016, 1, 15)),
        ("Liège", "Place Saint-Lambert 3", "4000", "BE", date(2017, 5, 1)),
        ("Charleroi", "Boulevard Tirou 20", "6000", "BE", date(2019, 2, 1)),
        ("Lille", "Rue Nationale 12", "59000", "FR", date(2020, 10, 1)),
        ("Paris", "Rue de Rivoli 40", "75001", "FR", date(2021, 4, 1)),
        ("Marseille", "La Canebière 8", "13001", "FR", date(2022, 9, 1)),
        ("Rotterdam", "Coolsingel 15", "3011", "NL", date(2023, 1, 9)),
        ("Leuven", "Bondgenotenlaan 30", "3000", "BE", date(2025, 9, 1)),
    ],
    programmes=[
        DemoProgramme(
            "duo-job",
            T(
                "Un mentor pour trouver un emploi",
                "Een mentor om werk te vinden",
                "A mentor to find a job",
            ),
            T(
                "Six mois en duo avec un·e mentor expérimenté·e de plus de 50 ans pour "
                "préparer tes candidatures, tes entretiens et ton réseau.",
                "Zes maanden in duo met een ervaren mentor van 50+ om je sollicitaties, "
                "gesprekken en netwerk voor te bereiden.",
                "Six months with an experienced mentor aged 50+ to prepare your job "
                "applications, interviews and network.",
            ),
            ["employment"],
            ["neet", "newcomers"],
            ["one_to_one"],
            (18, 30),
            26,
            2,
        ),
        DemoProgramme(
            "duo-training",
            T(
                "Un mentor pour choisir une formation",
                "Een mentor om een opleiding te kiezen",
                "A mentor to choose a training course",
            ),
            T(
                "Ton mentor t'aide à trouver la formation qui mène au métier qui te plaît, "
                "et à t'y inscrire.",
                "Je mentor helpt je de opleiding te vinden die leidt naar het beroep dat je "
                "wil, en je in te schrijven.",
                "Your mentor helps you find the training that leads to the job you want, "
                "and to enrol.",
            ),
            ["orientation", "education"],
            ["neet"],
            ["one_to_one"],
            (18, 30),
            26,
            2,
            at=["1000", "2000", "9000", "4000"],
        ),
        DemoProgramme(
            "duo-refugees",
            T(
                "Duo emploi pour réfugiés",
                "Duo werk voor vluchtelingen",
                "Job duo for refugees",
            ),
            T(
                "Un accompagnement vers l'emploi adapté aux personnes réfugiées : "
                "reconnaissance des diplômes, codes du marché du travail belge.",
                "Begeleiding naar werk op maat van vluchtelingen: erkenning van diploma's, "
                "de codes van de Belgische arbeidsmarkt.",
                "Job coaching tailored to refugees: recognition of diplomas and the codes of "
                "the Belgian labour market.",
            ),
            ["employment"],
            ["refugees"],
            ["one_to_one", "group"],
            (18, 30),
            26,
            3,
            at=["1000", "2000", "6000"],
        ),
        DemoProgramme(
            "duo-mentors",
            T(
                "Devenir mentor (50+)",
                "Mentor worden (50+)",
                "Become a mentor (50+)",
            ),
            T(
                "Vous avez plus de 50 ans et de l'expérience professionnelle ? Formez-vous "
                "et accompagnez un·e jeune pendant six mois.",
                "Ben je 50+ en heb je beroepservaring? Volg de opleiding en begeleid zes "
                "maanden een jongere.",
                "Aged 50+ with work experience? Take the training and mentor a young person "
                "for six months.",
            ),
            ["employment"],
            [],
            ["group", "hybrid"],
            (50, 99),
            4,
            2,
            status="draft",
        ),
    ],
)


def _simple(
    slug: str,
    name: str,
    kbo_base: int,
    languages: list[str],
    descriptions: dict[str, str],
    branches: list[tuple[str, str, str, str, date]],
    programmes: list[DemoProgramme],
    names: dict[str, str] | None = None,
) -> DemoOrganisation:
    return DemoOrganisation(
        slug=slug,
        name=name,
        kbo_base=kbo_base,
        website=f"https://{slug}.example",
        languages=languages,
        names=names or {},
        descriptions=descriptions,
        branches=branches,
        programmes=programmes,
    )


OTHERS = [
    _simple(
        "passerelle-ecole",
        "Passerelle École",
        5_527_031,
        ["fr"],
        T(
            "Des étudiant·es du supérieur accompagnent chaque semaine des élèves du "
            "secondaire dans leurs devoirs et leur orientation.",
            "Studenten uit het hoger onderwijs begeleiden wekelijks leerlingen uit het "
            "secundair bij hun huiswerk en studiekeuze.",
            "University students support secondary-school pupils every week with homework "
            "and study choices.",
        ),
        [
            ("Schaerbeek", "Place Colignon 2", "1030", "BE", date(2014, 9, 1)),
            ("Liège", "Rue Léopold 7", "4000", "BE", date(2018, 9, 1)),
        ],
        [
            DemoProgramme(
                "pe-devoirs",
                T("Soutien scolaire en duo", "Huiswerkbegeleiding in duo", "Homework duo"),
                T(
                    "Un·e étudiant·e t'aide une fois par semaine à faire tes devoirs et à "
                    "préparer tes examens.",
                    "Een student helpt je één keer per week met je huiswerk en je examens.",
                    "A student helps you once a week with homework and exam preparation.",
                ),
                ["education"],
                ["students", "newcomers"],
                ["one_to_one"],
                (12, 18),
                30,
                1.5,
            ),
            DemoProgramme(
                "pe-orientation",
                T(
                    "Quelles études après le secondaire ?",
                    "Welke studie na het secundair?",
                    "Which studies after secondary school?",
                ),
                T(
                    "Ateliers et rencontres avec des étudiant·es pour choisir tes études "
                    "supérieures.",
                    "Workshops en ontmoetingen met studenten om je hogere studies te kiezen.",
                    "Workshops and meetings with students to choose your higher education.",
                ),
                ["orientation", "education"],
                ["students"],
                ["group"],
                (16, 19),
                8,
                2,
            ),
        ],
    ),
    _simple(
        "schoolmaatjes",
        "Schoolmaatjes",
        6_104_288,
        ["nl"],
        T(
            "Des mentors bénévoles accompagnent des élèves nouvellement arrivés dans les "
            "écoles d'Anvers et de Gand.",
            "Vrijwillige mentoren begeleiden nieuwkomende leerlingen in Antwerpse en Gentse "
            "scholen.",
            "Volunteer mentors support newly arrived pupils in schools in Antwerp and Ghent.",
        ),
        [
            ("Borgerhout", "Turnhoutsebaan 50", "2140", "BE", date(2016, 9, 1)),
            ("Gent", "Sint-Pietersnieuwstraat 25", "9000", "BE", date(2019, 9, 1)),
        ],
        [
            DemoProgramme(
                "sm-okan",
                T(
                    "Un mentor pour les élèves primo-arrivants",
                    "Een mentor voor OKAN-leerlingen",
                    "A mentor for newly arrived pupils",
                ),
                T(
                    "Pendant l'année d'accueil, un·e mentor t'aide à trouver tes repères à "
                    "l'école et en néerlandais.",
                    "Tijdens je OKAN-jaar helpt een mentor je je weg te vinden op school en "
                    "in het Nederlands.",
                    "During your reception year, a mentor helps you find your way at school "
                    "and in Dutch.",
                ),
                ["education", "language"],
                ["newcomers", "students"],
                ["one_to_one"],
                (12, 18),
                36,
                1,
            ),
            DemoProgramme(
                "sm-studiekeuze",
                T(
                    "Coaching pour le choix d'études",
                    "Studiekeuzecoaching",
                    "Study choice coaching",
                ),
                T(
                    "Trois rencontres avec un·e coach pour choisir ta filière.",
                    "Drie gesprekken met een coach om je studierichting te kiezen.",
                    "Three sessions with a coach to choose your field of study.",
                ),
                ["orientation"],
                ["students"],
                ["one_to_one"],
                (15, 19),
                6,
                1,
            ),
            DemoProgramme(
                "sm-ouders",
                T("Café des parents", "Oudercafé", "Parents' café"),
                T(
                    "Des rencontres pour les parents sur l'école en Flandre.",
                    "Ontmoetingen voor ouders over school in Vlaanderen.",
                    "Meetings for parents about school in Flanders.",
                ),
                ["education"],
                ["parents"],
                ["group"],
                (25, 65),
                10,
                2,
                status="draft",
            ),
        ],
    ),
    _simple(
        "jeunes-entrepreneurs-solidaires",
        "Jeunes Entrepreneurs Solidaires",
        7_230_519,
        ["fr", "en"],
        T(
            "Des entrepreneur·es expérimenté·es accompagnent des jeunes qui lancent leur activité.",
            "Ervaren ondernemers begeleiden jongeren die een zaak opstarten.",
            "Experienced entrepreneurs mentor young people who start a business.",
        ),
        [
            ("Bruxelles", "Chaussée de Gand 100", "1080", "BE", date(2017, 1, 10)),
            ("Charleroi", "Rue de la Montagne 4", "6000", "BE", date(2021, 3, 1)),
        ],
        [
            DemoProgramme(
                "jes-start",
                T("Lancer mon projet", "Mijn project starten", "Launch my project"),
                T(
                    "Six mois avec un·e mentor entrepreneur·e pour passer de l'idée au "
                    "premier client.",
                    "Zes maanden met een ondernemer als mentor, van idee tot eerste klant.",
                    "Six months with an entrepreneur mentor, from idea to first customer.",
                ),
                ["entrepreneurship"],
                ["neet", "women"],
                ["one_to_one", "group"],
                (18, 35),
                26,
                3,
            ),
            DemoProgramme(
                "jes-women",
                T(
                    "Entreprendre au féminin",
                    "Vrouwelijk ondernemerschap",
                    "Women in business",
                ),
                T(
                    "Un cercle de mentorat pour les jeunes femmes qui créent leur entreprise.",
                    "Een mentorkring voor jonge vrouwen die een onderneming starten.",
                    "A mentoring circle for young women starting a business.",
                ),
                ["entrepreneurship"],
                ["women"],
                ["group"],
                (18, 35),
                12,
                2,
                at=["1080"],
            ),
        ],
    ),
    _simple(
        "startkracht",
        "StartKracht",
        4_418_760,
        ["nl", "en"],
        T(
            "Coaching et microcrédit pour jeunes entrepreneur·es à Gand et Anvers.",
            "Coaching en microkrediet voor jonge ondernemers in Gent en Antwerpen.",
            "Coaching and micro-credit for young entrepreneurs in Ghent and Antwerp.",
        ),
        [
            ("Gent", "Dok Noord 3", "9000", "BE", date(2018, 5, 1)),
            ("Antwerpen", "Londenstraat 8", "2000", "BE", date(2020, 2, 1)),
        ],
        [
            DemoProgramme(
                "sk-coach",
                T("Coach pour starters", "Startercoach", "Starter coach"),
                T(
                    "Un·e coach t'aide à écrire ton plan d'affaires et à trouver un financement.",
                    "Een coach helpt je je ondernemingsplan te schrijven en financiering te "
                    "vinden.",
                    "A coach helps you write your business plan and find funding.",
                ),
                ["entrepreneurship"],
                ["neet"],
                ["one_to_one"],
                (18, 30),
                20,
                2,
            ),
            DemoProgramme(
                "sk-online",
                T(
                    "Atelier en ligne : ma première facture",
                    "Online workshop: mijn eerste factuur",
                    "Online workshop: my first invoice",
                ),
                T(
                    "Quatre sessions en ligne sur les bases administratives d'une entreprise.",
                    "Vier online sessies over de administratieve basis van een zaak.",
                    "Four online sessions on the administrative basics of a business.",
                ),
                ["entrepreneurship", "digital"],
                [],
                ["online"],
                (18, 30),
                4,
                1.5,
                at=["9000"],
                online_region="BE-VLG",
            ),
        ],
    ),
    _simple(
        "taalbrug",
        "Taalbrug",
        3_907_114,
        ["nl", "fr", "en"],
        T(
            "Des binômes linguistiques : un·e bénévole néerlandophone et un·e jeune "
            "nouvel·le arrivant·e se retrouvent pour parler.",
            "Taalmaatjes: een Nederlandstalige vrijwilliger en een jonge nieuwkomer spreken "
            "af om te praten.",
            "Language buddies: a Dutch-speaking volunteer and a young newcomer meet to talk.",
        ),
        [
            ("Gent", "Vrijdagmarkt 11", "9000", "BE", date(2015, 3, 1)),
            ("Antwerpen", "De Keyserlei 20", "2018", "BE", date(2017, 10, 1)),
            ("Mechelen", "Grote Markt 9", "2800", "BE", date(2024, 9, 1)),
        ],
        [
            DemoProgramme(
                "tb-maatje",
                T("Binôme linguistique", "Taalmaatje", "Language buddy"),
                T(
                    "Tu pratiques le néerlandais une heure par semaine avec un·e bénévole, "
                    "autour d'un café ou d'une balade.",
                    "Je oefent één uur per week Nederlands met een vrijwilliger, bij een "
                    "koffie of tijdens een wandeling.",
                    "Practise Dutch one hour a week with a volunteer, over coffee or on a walk.",
                ),
                ["language"],
                ["newcomers", "refugees"],
                ["one_to_one"],
                (16, 30),
                20,
                1,
            ),
            DemoProgramme(
                "tb-werk",
                T(
                    "Le néerlandais pour le travail",
                    "Nederlands op de werkvloer",
                    "Dutch for work",
                ),
                T(
                    "Un·e buddy t'aide à préparer le vocabulaire de ton futur métier.",
                    "Een buddy helpt je de woordenschat van je toekomstige job te oefenen.",
                    "A buddy helps you practise the vocabulary of your future job.",
                ),
                ["language", "employment"],
                ["newcomers"],
                ["one_to_one"],
                (18, 30),
                12,
                1,
                at=["9000", "2800"],
            ),
        ],
    ),
    _simple(
        "voix-du-quartier",
        "Les Voix du Quartier",
        2_640_385,
        ["fr"],
        T(
            "Tables de conversation et binômes en français pour jeunes primo-arrivant·es à "
            "Liège et à Namur.",
            "Conversatietafels en taalduo's in het Frans voor jonge nieuwkomers in Luik en Namen.",
            "French conversation tables and buddies for young newcomers in Liège and Namur.",
        ),
        [
            ("Liège Outremeuse", "Rue Puits-en-Sock 30", "4020", "BE", date(2016, 10, 1)),
            ("Namur", "Rue de Fer 15", "5000", "BE", date(2025, 2, 1)),
        ],
        [
            DemoProgramme(
                "vq-tables",
                T(
                    "Tables de conversation en français",
                    "Conversatietafels Frans",
                    "French conversation tables",
                ),
                T(
                    "Chaque mercredi, on parle français en petit groupe avec des bénévoles.",
                    "Elke woensdag spreken we Frans in een kleine groep met vrijwilligers.",
                    "Every Wednesday, speak French in a small group with volunteers.",
                ),
                ["language"],
                ["newcomers", "refugees"],
                ["group"],
                (16, 30),
                30,
                2,
            ),
            DemoProgramme(
                "vq-binome",
                T("Binôme de français", "Taalduo Frans", "French buddy"),
                T(
                    "Un·e bénévole t'accompagne pour pratiquer le français dans la vie de "
                    "tous les jours.",
                    "Een vrijwilliger helpt je Frans te oefenen in het dagelijks leven.",
                    "A volunteer helps you practise French in everyday life.",
                ),
                ["language", "wellbeing"],
                ["newcomers"],
                ["one_to_one"],
                (16, 30),
                16,
                1,
            ),
        ],
    ),
    _simple(
        "codeduo",
        "CodeDuo",
        1_578_902,
        ["fr", "nl", "en"],
        T(
            "Des professionnel·les de l'informatique transmettent les compétences "
            "numériques aux jeunes.",
            "IT-professionals geven digitale vaardigheden door aan jongeren.",
            "IT professionals pass digital skills on to young people.",
        ),
        [
            ("Molenbeek", "Boulevard Léopold II 44", "1080", "BE", date(2019, 9, 1)),
            ("Antwerpen", "Ledeganckkaai 7", "2000", "BE", date(2022, 1, 10)),
        ],
        [
            DemoProgramme(
                "cd-bases",
                T(
                    "Les bases du numérique pour chercher un emploi",
                    "Digitale basis om werk te zoeken",
                    "Digital basics for job hunting",
                ),
                T(
                    "Courriel, CV en ligne, plateformes d'emploi : un·e mentor t'apprend "
                    "l'essentiel.",
                    "E-mail, online cv, vacatureplatformen: een mentor leert je de basis.",
                    "E-mail, online CV, job platforms: a mentor teaches you the essentials.",
                ),
                ["digital", "employment"],
                ["neet"],
                ["one_to_one", "group"],
                (16, 30),
                8,
                2,
            ),
            DemoProgramme(
                "cd-code",
                T(
                    "Apprendre à coder avec un mentor",
                    "Leren programmeren met een mentor",
                    "Learn to code with a mentor",
                ),
                T(
                    "Douze semaines de projets web accompagnés par un·e développeur·se.",
                    "Twaalf weken webprojecten met een ontwikkelaar als mentor.",
                    "Twelve weeks of web projects mentored by a developer.",
                ),
                ["digital", "orientation"],
                ["neet", "students"],
                ["hybrid"],
                (16, 26),
                12,
                4,
            ),
            DemoProgramme(
                "cd-online",
                T(
                    "Mentorat numérique en ligne",
                    "Online digitale mentoring",
                    "Online digital mentoring",
                ),
                T(
                    "Des sessions à distance pour progresser sur ordinateur à ton rythme.",
                    "Sessies op afstand om op je eigen tempo beter met de computer te werken.",
                    "Remote sessions to improve your computer skills at your own pace.",
                ),
                ["digital"],
                [],
                ["online"],
                (16, 30),
                10,
                1,
                at=["1080"],
                online_region="BE",
            ),
        ],
    ),
    _simple(
        "numerique-pour-toutes",
        "Numérique Pour Toutes",
        9_016_443,
        ["fr"],
        T(
            "Des ateliers et du mentorat numérique pour les jeunes femmes à Charleroi et à Mons.",
            "Workshops en digitale mentoring voor jonge vrouwen in Charleroi en Bergen.",
            "Workshops and digital mentoring for young women in Charleroi and Mons.",
        ),
        [
            ("Charleroi", "Place Charles II 6", "6000", "BE", date(2020, 9, 1)),
            ("Mons", "Grand-Place 22", "7000", "BE", date(2024, 3, 1)),
        ],
        [
            DemoProgramme(
                "npt-ateliers",
                T(
                    "Ateliers numériques entre femmes",
                    "Digitale workshops voor vrouwen",
                    "Digital workshops for women",
                ),
                T(
                    "Smartphone, démarches en ligne, bureautique : en petit groupe, avec garderie.",
                    "Smartphone, online formaliteiten, kantoorsoftware: in kleine groep, met "
                    "kinderopvang.",
                    "Smartphone, online procedures, office software: in small groups, with "
                    "childcare.",
                ),
                ["digital"],
                ["women", "parents"],
                ["group"],
                (18, 35),
                10,
                3,
            ),
            DemoProgramme(
                "npt-mentor",
                T(
                    "Une mentore dans le numérique",
                    "Een mentor in de digitale sector",
                    "A mentor in tech",
                ),
                T(
                    "Une professionnelle du numérique t'accompagne vers une formation ou un "
                    "emploi du secteur.",
                    "Een vrouw uit de digitale sector begeleidt je naar een opleiding of job.",
                    "A woman working in tech guides you towards training or a job in the sector.",
                ),
                ["digital", "employment"],
                ["women"],
                ["one_to_one"],
                (18, 30),
                24,
                1,
                at=["6000"],
            ),
        ],
    ),
    _simple(
        "kompas-mentoring",
        "Kompas Mentoring",
        5_872_306,
        ["nl", "en"],
        T(
            "Mentorat d'orientation pour jeunes réfugié·es : logement, études, travail et "
            "bien-être.",
            "Oriëntatiementoring voor jonge vluchtelingen: wonen, studeren, werken en welzijn.",
            "Orientation mentoring for young refugees: housing, studies, work and wellbeing.",
        ),
        [
            ("Leuven", "Tiensestraat 60", "3000", "BE", date(2018, 1, 15)),
            ("Mechelen", "Bruul 40", "2800", "BE", date(2023, 6, 1)),
        ],
        [
            DemoProgramme(
                "km-kompas",
                T("Trouver son cap", "Je koers vinden", "Find your way"),
                T(
                    "Un·e mentor t'aide à t'orienter dans ta nouvelle vie en Belgique.",
                    "Een mentor helpt je je weg te vinden in je nieuwe leven in België.",
                    "A mentor helps you find your way in your new life in Belgium.",
                ),
                ["orientation", "wellbeing"],
                ["refugees", "newcomers"],
                ["one_to_one"],
                (17, 25),
                26,
                1.5,
            ),
            DemoProgramme(
                "km-unaccompanied",
                T(
                    "Mentor pour mineurs non accompagnés",
                    "Mentor voor niet-begeleide minderjarigen",
                    "Mentor for unaccompanied minors",
                ),
                T(
                    "Un adulte de confiance pour préparer tes 18 ans.",
                    "Een volwassene die je vertrouwt, om je 18de verjaardag voor te bereiden.",
                    "A trusted adult to prepare for your 18th birthday.",
                ),
                ["orientation", "wellbeing"],
                ["refugees"],
                ["one_to_one"],
                (15, 18),
                52,
                1,
                at=["3000"],
            ),
        ],
    ),
    _simple(
        "mentorat-horizon",
        "Mentorat Horizon",
        6_731_258,
        ["fr"],
        T(
            "Des retraité·es accompagnent des lycéen·nes et étudiant·es de Lille et de "
            "Tournai dans leurs études.",
            "Gepensioneerden begeleiden scholieren en studenten in Rijsel en Doornik bij hun "
            "studies.",
            "Retired volunteers support pupils and students in Lille and Tournai with their "
            "studies.",
        ),
        [
            ("Lille Moulins", "Rue d'Arras 5", "59000", "FR", date(2019, 9, 1)),
            ("Tournai", "Grand-Place 1", "7500", "BE", date(2025, 9, 15)),
        ],
        [
            DemoProgramme(
                "mh-etudes",
                T(
                    "Réussir ses études avec un mentor",
                    "Slagen in je studies met een mentor",
                    "Succeed in your studies with a mentor",
                ),
                T(
                    "Un·e retraité·e t'accompagne toute l'année scolaire : méthode, "
                    "motivation, orientation.",
                    "Een gepensioneerde begeleidt je het hele schooljaar: methode, motivatie, "
                    "studiekeuze.",
                    "A retired volunteer supports you all school year: method, motivation, "
                    "study choice.",
                ),
                ["education", "orientation"],
                ["students"],
                ["one_to_one"],
                (15, 22),
                36,
                1,
            ),
            DemoProgramme(
                "mh-stage",
                T(
                    "Trouver un stage",
                    "Een stageplaats vinden",
                    "Find an internship",
                ),
                T(
                    "Ton mentor ouvre son carnet d'adresses pour ton stage.",
                    "Je mentor opent zijn netwerk voor je stage.",
                    "Your mentor opens their network for your internship.",
                ),
                ["employment", "education"],
                ["students"],
                ["one_to_one"],
                (16, 25),
                8,
                1,
                at=["59000"],
            ),
        ],
    ),
    _simple(
        "rotterdam-maatjes",
        "Rotterdam Maatjes",
        4_905_617,
        ["nl", "en"],
        T(
            "À Rotterdam, des binômes accompagnent les jeunes nouvel·les arrivant·es vers la "
            "langue et le travail.",
            "In Rotterdam begeleiden maatjes jonge nieuwkomers naar taal en werk.",
            "In Rotterdam, buddies help young newcomers into the language and work.",
        ),
        [("Rotterdam Centrum", "Witte de Withstraat 40", "3012", "NL", date(2021, 9, 1))],
        [
            DemoProgramme(
                "rm-maatje",
                T(
                    "Un buddy à Rotterdam",
                    "Een maatje in Rotterdam",
                    "A buddy in Rotterdam",
                ),
                T(
                    "Un·e bénévole t'aide avec le néerlandais et ta recherche d'emploi.",
                    "Een vrijwilliger helpt je met Nederlands en met werk zoeken.",
                    "A volunteer helps you with Dutch and with finding work.",
                ),
                ["language", "employment"],
                ["newcomers", "refugees"],
                ["one_to_one"],
                (18, 27),
                26,
                2,
            ),
            DemoProgramme(
                "rm-groep",
                T(
                    "Groupe d'entraide vers l'emploi",
                    "Werkgroep naar werk",
                    "Peer group towards work",
                ),
                T(
                    "Rencontres mensuelles avec d'autres jeunes et des employeurs.",
                    "Maandelijkse ontmoetingen met andere jongeren en werkgevers.",
                    "Monthly meetings with other young people and employers.",
                ),
                ["employment"],
                ["neet"],
                ["group"],
                (18, 27),
                24,
                1,
            ),
        ],
    ),
]

ORGANISATIONS = [DUO, *OTHERS]

PENDING_APPLICATION = {
    "organisation_name": "Sport & Mentorat Bruxelles",
    "enterprise_number": kbo(8_750_431),
    "website": "https://sport-mentorat.example",
    "languages": ["fr", "nl"],
    "description": "Des coachs sportifs bénévoles deviennent mentors de jeunes de 14 à 20 "
    "ans à Anderlecht et Molenbeek.",
    "contact_name": "Youssef Demo",
    "contact_email": "contact@sport-mentorat.example",
    "language": "fr",
}


def _details(org: DemoOrganisation, programme: DemoProgramme) -> dict[str, str]:
    cities = ", ".join(b[0] for b in org.branches if not programme.at or b[2] in programme.at)
    weeks, hours = programme.weeks, programme.hours
    hours_text = f"{hours:g}"
    return {
        "fr": f"{programme.summaries['fr']} Durée : {weeks} semaines, environ {hours_text} h "
        f"par semaine. Gratuit. Où : {cities}. Organisé par {org.name}.",
        "nl": f"{programme.summaries['nl']} Duur: {weeks} weken, ongeveer {hours_text} uur per "
        f"week. Gratis. Waar: {cities}. Georganiseerd door {org.name}.",
        "en": f"{programme.summaries['en']} Duration: {weeks} weeks, about {hours_text} hours a "
        f"week. Free. Where: {cities}. Run by {org.name}.",
    }


def _programme_body(org: DemoOrganisation, programme: DemoProgramme) -> dict:
    locations = [
        {"postcode": b[2], "country": b[3]}
        for b in org.branches
        if not programme.at or b[2] in programme.at
    ]
    return {
        "title": programme.titles,
        "summary": programme.summaries,
        "description": _details(org, programme),
        "themes": programme.themes,
        "audiences": programme.audiences,
        "formats": programme.formats,
        "languages": org.languages,
        "age_min": programme.ages[0],
        "age_max": programme.ages[1],
        "duration_weeks": programme.weeks,
        "hours_per_week": programme.hours,
        "locations": locations,
        "online_region": programme.online_region,
        "capacity": {"status": "waiting_list" if programme.key == "duo-job" else "open"},
        "cost": "free",
        "apply": {"url": f"{org.website}/{programme.key}", "email": f"info@{org.slug}.example"},
        "status": programme.status,
    }


def _user(email: str, name: str, password_hash: str, coalition_admin: bool = False) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            name=name,
            password_hash=password_hash,
            is_coalition_admin=coalition_admin,
            language="fr",
        )
        db.session.add(user)
        db.session.flush()
    return user


def _role(user: User, organisation: Organisation, role: Role) -> None:
    exists = db.session.scalar(
        select(OrganisationRole.id).where(
            OrganisationRole.user_id == user.id,
            OrganisationRole.organisation_id == organisation.id,
            OrganisationRole.role == role,
        )
    )
    if exists is None:
        db.session.add(OrganisationRole(user=user, organisation_id=organisation.id, role=role))
        db.session.flush()


def _organisation(spec: DemoOrganisation) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == spec.slug))
    if organisation is not None:
        return organisation
    organisation = Organisation(
        slug=spec.slug,
        name=spec.name,
        names=spec.names,
        descriptions=spec.descriptions,
        enterprise_number=kbo(spec.kbo_base),
        website=spec.website,
        email=f"info@{spec.slug}.example",
        languages=spec.languages,
        admitted_at=utcnow(),
    )
    db.session.add(organisation)
    db.session.flush()
    for name, address, postcode, country, opened in spec.branches:
        members.add_branch(
            organisation,
            None,
            name=name,
            address=address,
            postcode=postcode,
            country=country,
            opened_on=opened,
        )
    return organisation


def _programmes(organisation: Organisation, spec: DemoOrganisation, actor: User | None) -> None:
    from coalition.services import programmes

    for programme in spec.programmes:
        if programmes.get_by_external_id(organisation, programme.key) is None:
            programmes.create_programme(
                organisation,
                _programme_body(spec, programme),
                actor,
                external_id=programme.key,
            )


def seed() -> dict[str, int]:
    """Load the demo coalition (what exists is kept); returns the resulting counts."""
    from coalition.services.accounts import hash_password

    password_hash = hash_password(DEMO_PASSWORD)
    _user(*COALITION_ADMIN, password_hash, coalition_admin=True)
    for spec in ORGANISATIONS:
        organisation = _organisation(spec)
        if spec is DUO:
            for email, name, role in DUO_STAFF:
                _role(_user(email, name, password_hash), organisation, role)
            actor = db.session.scalar(select(User).where(User.email == DUO_STAFF[1][0]))
        else:
            admin = _user(f"admin@{spec.slug}.example", f"Admin {spec.name}", password_hash)
            _role(admin, organisation, Role.org_admin)
            actor = admin
        _programmes(organisation, spec, actor)
    number = PENDING_APPLICATION["enterprise_number"]
    if (
        db.session.scalar(
            select(MembershipApplication.id).where(
                MembershipApplication.enterprise_number == number
            )
        )
        is None
    ):
        members.submit_application(**PENDING_APPLICATION)
    # The parts add their own demo data (policy briefs, …) on this signal; the core names none.
    demo_seeded.send(
        organisations={o.slug: o for o in db.session.scalars(select(Organisation))},
        users={u.email: u for u in db.session.scalars(select(User))},
    )
    return counts()


def counts() -> dict[str, int]:
    """How many organisations, users, programmes and applications the database holds."""

    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model)) or 0

    return {
        "organisations": count(Organisation),
        "users": count(User),
        "programmes": count(Programme),
        "applications": count(MembershipApplication),
    }
