"""Write kg's curated gazetteer rows: the well-known names of French-language news.

    python scripts/curate_gazetteer.py           # writes kg/data/curated.jsonl (make gazetteer)
    python scripts/curate_gazetteer.py --check   # exit 1 if the shipped files differ

The tables below are the source. Running the script

1. builds one row for each entity of the tables, in the format of ``kg/data/gazetteer.jsonl``
   (``key``, French ``label``, ``class``, ``kind``, ``wikidata``, ``names``, optional
   ``demonyms`` and ``roles``) and writes them to ``kg/data/curated.jsonl``, sorted by class
   then key;
2. adds to rows of ``kg/data/gazetteer.jsonl`` the names, roles and Wikidata ids listed in
   :data:`EXTEND` (each only once: running it again changes nothing);
3. refuses (exit 2, naming the rows) a key the base table already has, a name two entities
   claim, a Wikidata id two entities claim, a role whose target is no key, or an extension
   that contradicts the base table.

A Wikidata id is written only where it is known for certain; the others stay ``null``
(``owl:sameAs`` is a promise). Names are names, never descriptions: ``Moody's`` and
``agence Moody's``, not ``l'agence de notation américaine``. A name that two entities could
claim (``Sénat``, ``Chambre des communes``, ``Albert II``) goes to the one French-language
news means without a qualifier (the French Sénat, the British Commons) and the others get
qualified names only (``Sénat américain``, ``Chambre des communes du Canada``,
``Albert II de Monaco``); a surname alone is a name only when it is nobody else's in the
news (``Juppé``, but not ``Philippe`` or ``Clinton``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.gazetteer import CURATED_PATH, DEFAULT_PATH, KINDS  # noqa: E402
from kg.text import match_key, slugify  # noqa: E402
from kg.types import ENTITY_CLASSES  # noqa: E402

ORG = "Organization"
GPE = "GeopoliticalEntity"
LOC = "Location"
PER = "Person"


def org(key: str, label: str, kind: str, wikidata: str | None, *names: str) -> dict:
    return _row(key, label, ORG, kind, wikidata, names)


def place(key: str, label: str, cls: str, kind: str, wikidata: str | None, names: tuple[str, ...], demonyms: tuple[str, ...] = ()) -> dict:
    row = _row(key, label, cls, kind, wikidata, names)
    if demonyms:
        row["demonyms"] = list(demonyms)
    return row


def person(key: str, label: str, wikidata: str | None, names: tuple[str, ...], *roles: tuple[str, str]) -> dict:
    row = _row(key, label, PER, "person", wikidata, names)
    if roles:
        row["roles"] = [{"role": role, "of": of} for role, of in roles]
    return row


def _row(key: str, label: str, cls: str, kind: str, wikidata: str | None, names: tuple[str, ...]) -> dict:
    return {"key": key, "label": label, "class": cls, "kind": kind, "wikidata": wikidata, "names": [label, *(n for n in names if n != label)]}


# --------------------------------------------------------------------------- platforms, companies

COMPANIES = [
    org("Google", "Google", "organization", "Q95", "Google"),
    org("Alphabet", "Alphabet", "organization", "Q20800404", "Alphabet Inc."),
    org("YouTube", "YouTube", "organization", "Q866", "Youtube"),
    org("Facebook", "Facebook", "organization", "Q355"),
    org("Meta_Platforms", "Meta", "organization", "Q380", "Meta Platforms"),
    org("Instagram", "Instagram", "organization", "Q209330"),
    org("WhatsApp", "WhatsApp", "organization", "Q1049511", "Whatsapp"),
    org("Twitter", "Twitter", "organization", "Q918", "réseau social X", "X (ex-Twitter)"),
    org("TikTok", "TikTok", "organization", "Q48938223", "Tiktok"),
    org("ByteDance", "ByteDance", "organization", None),
    org("Telegram", "Telegram", "organization", "Q15616276"),
    org("Snapchat", "Snapchat", "organization", None),
    org("LinkedIn", "LinkedIn", "organization", "Q213660", "Linkedin"),
    org("Reddit", "Reddit", "organization", "Q1136"),
    org("Skype", "Skype", "organization", "Q40984"),
    org("Wikipedia", "Wikipédia", "media", "Q52", "Wikipedia"),
    org("Wikinews", "Wikinews", "media", "Q964"),
    org("Wikimedia_Foundation", "Wikimedia Foundation", "organization", "Q180", "Fondation Wikimedia", "Wikimedia"),
    org("Apple", "Apple", "organization", "Q312", "Apple Inc."),
    org("Microsoft", "Microsoft", "organization", "Q2283"),
    org("Amazon", "Amazon", "organization", "Q3884", "Amazon.com"),
    org("Netflix", "Netflix", "organization", "Q907311"),
    org("Spotify", "Spotify", "organization", "Q689141"),
    org("Uber", "Uber", "organization", "Q692400"),
    org("Airbnb", "Airbnb", "organization", None),
    org("Tesla", "Tesla", "organization", "Q478214", "Tesla Inc.", "Tesla Motors"),
    org("SpaceX", "SpaceX", "organization", "Q193701"),
    org("Starlink", "Starlink", "organization", None),
    org("OpenAI", "OpenAI", "organization", "Q21708200"),
    org("Mistral_AI", "Mistral AI", "organization", None),
    org("Nvidia", "Nvidia", "organization", "Q182477", "NVIDIA"),
    org("Intel", "Intel", "organization", "Q248"),
    org("IBM", "IBM", "organization", "Q37156"),
    org("Samsung", "Samsung", "organization", None, "Samsung Electronics"),
    org("Huawei", "Huawei", "organization", "Q160120"),
    org("Xiaomi", "Xiaomi", "organization", "Q1636958"),
    org("Alibaba", "Alibaba", "organization", "Q1359568", "Alibaba Group"),
    org("Tencent", "Tencent", "organization", "Q860580"),
    org("Baidu", "Baidu", "organization", "Q14772"),
    org("Yahoo", "Yahoo", "organization", "Q37093", "Yahoo!"),
    org("eBay", "eBay", "organization", "Q58024"),
    org("Dailymotion", "Dailymotion", "organization", None),
    # companies French news names every day; the common words among them (Orange, Total,
    # Free) match only when capitalised as a name (kg.nlp.mentions.gazetteer_mentions)
    org("Orange_SA", "Orange", "organization", "Q1431486", "Orange SA"),
    org("Free_ISP", "Free", "organization", None, "Free Mobile"),
    org("SFR", "SFR", "organization", None),
    org("Bouygues", "Bouygues", "organization", None, "Bouygues Telecom"),
    org("TotalEnergies", "TotalEnergies", "organization", "Q154037", "Total", "Total Energies"),
    org("EDF", "EDF", "organization", None, "Électricité de France"),
    org("Engie", "Engie", "organization", None),
    org("SNCF", "SNCF", "organization", None, "Société nationale des chemins de fer français"),
    org("Air_France", "Air France", "organization", None, "Air France-KLM"),
    org("Airbus", "Airbus", "organization", "Q67"),
    org("Boeing", "Boeing", "organization", "Q66"),
    org("Renault", "Renault", "organization", "Q6686"),
    org("Stellantis", "Stellantis", "organization", None),
    org("Volkswagen", "Volkswagen", "organization", None),
    org("LVMH", "LVMH", "organization", None, "Moët Hennessy Louis Vuitton"),
    org("Sanofi", "Sanofi", "organization", None),
    org("BNP_Paribas", "BNP Paribas", "organization", None),
    org("Pfizer", "Pfizer", "organization", None),
    org("Moderna", "Moderna", "organization", None),
    org("BioNTech", "BioNTech", "organization", None),
    org("AstraZeneca", "AstraZeneca", "organization", None),
    org("Gazprom", "Gazprom", "organization", None),
    org("Saudi_Aramco", "Aramco", "organization", None, "Saudi Aramco"),
]

RATING_AGENCIES = [
    org("Moodys", "Moody's", "organization", None, "agence Moody's", "Moody's Investors Service", "Moody's Ratings", "Moodys"),
    org("Standard_and_Poors", "Standard & Poor's", "organization", None, "agence Standard & Poor's", "S&P", "S&P Global Ratings", "S&P Global", "Standard and Poor's", "Standard & Poors"),
    org("Fitch_Ratings", "Fitch", "organization", None, "Fitch Ratings", "agence Fitch"),
]

# --------------------------------------------------------------------------- media

MEDIA = [
    # news agencies
    org("Belga", "Belga", "media", None, "agence Belga"),
    org("Keystone-ATS", "Keystone-ATS", "media", None, "ATS", "agence ATS", "Agence télégraphique suisse", "Keystone ATS"),
    org("Canadian_Press", "La Presse canadienne", "media", None, "Presse canadienne", "The Canadian Press"),
    org("EFE", "EFE", "media", None, "agence EFE"),
    org("Maghreb_Arabe_Presse", "Maghreb Arabe Presse", "media", None, "MAP", "agence MAP"),
    org("IRNA", "IRNA", "media", None, "agence IRNA"),
    org("Agence_de_presse_africaine", "Agence de presse africaine", "media", None),
    # France
    org("Le_Parisien", "Le Parisien", "media", None, "Le Parisien-Aujourd'hui en France"),
    org("Les_Echos", "Les Échos", "media", None, "Les Echos"),
    org("L_Express", "L'Express", "media", None),
    org("Le_Point", "Le Point", "media", None),
    org("L_Obs", "L'Obs", "media", None, "Le Nouvel Observateur", "Nouvel Obs"),
    org("Mediapart", "Mediapart", "media", None),
    org("Ouest-France", "Ouest-France", "media", None, "Ouest France"),
    org("La_Croix", "La Croix", "media", None),
    org("L_Humanite", "L'Humanité", "media", None),
    org("Le_Journal_du_dimanche", "Le Journal du dimanche", "media", None, "JDD", "Journal du dimanche"),
    org("Le_Canard_enchaine", "Le Canard enchaîné", "media", None, "Canard enchaîné"),
    org("Paris_Match", "Paris Match", "media", None),
    org("Courrier_international", "Courrier international", "media", None),
    org("Le_Monde_diplomatique", "Le Monde diplomatique", "media", None),
    org("Charlie_Hebdo", "Charlie Hebdo", "media", None),
    org("France_Televisions", "France Télévisions", "media", None),
    org("France_2", "France 2", "media", None),
    org("France_3", "France 3", "media", None),
    org("Franceinfo", "Franceinfo", "media", None, "France Info", "franceinfo"),
    org("Radio_France", "Radio France", "media", None),
    org("France_Inter", "France Inter", "media", None),
    org("France_Culture", "France Culture", "media", None),
    org("TF1", "TF1", "media", None),
    org("M6", "M6", "media", None),
    org("BFMTV", "BFMTV", "media", None, "BFM TV", "BFM"),
    org("LCI", "LCI", "media", None),
    org("CNews", "CNews", "media", None),
    org("Europe_1", "Europe 1", "media", None),
    org("RTL", "RTL", "media", None),
    org("Arte", "Arte", "media", None),
    # Belgium, Switzerland, Luxembourg
    org("Le_Soir", "Le Soir", "media", None),
    org("La_Libre_Belgique", "La Libre Belgique", "media", None, "La Libre"),
    org("La_Derniere_Heure", "La Dernière Heure", "media", None),
    org("L_Echo", "L'Écho", "media", None),
    org("RTBF", "RTBF", "media", None, "Radio-télévision belge de la Communauté française"),
    org("Le_Temps", "Le Temps", "media", None),
    org("Tribune_de_Geneve", "Tribune de Genève", "media", None, "La Tribune de Genève"),
    org("Radio_Television_Suisse", "Radio télévision suisse", "media", None, "Radio Télévision Suisse"),
    # Québec, Canada
    org("La_Presse", "La Presse", "media", None, "La Presse+"),
    org("Le_Devoir", "Le Devoir", "media", None),
    org("Le_Journal_de_Montreal", "Le Journal de Montréal", "media", None, "Journal de Montréal"),
    org("Radio-Canada", "Radio-Canada", "media", None, "ICI Radio-Canada", "Société Radio-Canada"),
    org("CBC", "CBC", "media", None, "Canadian Broadcasting Corporation", "CBC News"),
    org("TVA_Nouvelles", "TVA Nouvelles", "media", None, "Groupe TVA"),
    org("The_Globe_and_Mail", "The Globe and Mail", "media", None, "Globe and Mail"),
    # Africa
    org("Jeune_Afrique", "Jeune Afrique", "media", None),
    org("TV5Monde", "TV5Monde", "media", None, "TV5 Monde", "TV5"),
    org("Radio_Okapi", "Radio Okapi", "media", None),
    org("Africa_24", "Africa 24", "media", None),
    # the rest of the world
    org("Euronews", "Euronews", "media", None),
    org("The_Times", "The Times", "media", "Q50008", "Times of London"),
    org("The_Daily_Telegraph", "The Daily Telegraph", "media", None, "Daily Telegraph", "The Telegraph"),
    org("The_Independent", "The Independent", "media", None),
    org("Sky_News", "Sky News", "media", None),
    org("El_Pais", "El País", "media", "Q8813", "El Pais"),
    org("El_Mundo", "El Mundo", "media", None),
    org("Corriere_della_Sera", "Corriere della Sera", "media", None),
    org("La_Repubblica", "La Repubblica", "media", None),
    org("Frankfurter_Allgemeine_Zeitung", "Frankfurter Allgemeine Zeitung", "media", None, "FAZ", "Frankfurter Allgemeine"),
    org("Suddeutsche_Zeitung", "Süddeutsche Zeitung", "media", None, "Sueddeutsche Zeitung"),
    org("Die_Welt", "Die Welt", "media", None),
    org("Die_Zeit", "Die Zeit", "media", None),
    org("NBC", "NBC", "media", "Q13974", "NBC News", "National Broadcasting Company"),
    org("CBS", "CBS", "media", "Q43380", "CBS News"),
    org("ABC_US", "ABC News", "media", None, "American Broadcasting Company"),
    org("NPR", "NPR", "media", "Q671510", "National Public Radio"),
    org("CNBC", "CNBC", "media", None),
    org("USA_Today", "USA Today", "media", None),
    org("Los_Angeles_Times", "Los Angeles Times", "media", None, "LA Times"),
    org("Axios", "Axios", "media", None),
    org("Newsweek", "Newsweek", "media", None),
    org("Haaretz", "Haaretz", "media", None),
    org("The_Times_of_Israel", "The Times of Israel", "media", None, "Times of Israel"),
    org("Al_Arabiya", "Al Arabiya", "media", None, "Al-Arabiya"),
    org("NHK", "NHK", "media", None),
    org("CCTV", "CCTV", "media", None, "télévision centrale de Chine", "China Central Television"),
    org("CGTN", "CGTN", "media", None),
    org("Global_Times", "Global Times", "media", None),
    org("Peoples_Daily", "Quotidien du peuple", "media", None, "Le Quotidien du peuple", "People's Daily", "Renmin Ribao"),
    org("Kommersant", "Kommersant", "media", None),
    org("Izvestia", "Izvestia", "media", None, "Izvestiya"),
]

# --------------------------------------------------------------------------- institutions

INSTITUTIONS = [
    # France
    org("Senate_of_France", "Sénat", "organization", None, "Sénat français", "Sénat de la République française", "palais du Luxembourg", "Haute Assemblée", "French Senate"),
    org("National_Assembly_of_France", "Assemblée nationale", "organization", "Q193582", "Assemblée nationale française", "palais Bourbon", "French National Assembly"),
    org("Constitutional_Council_of_France", "Conseil constitutionnel", "organization", None, "Conseil constitutionnel français"),
    org("Council_of_State_of_France", "Conseil d'État", "organization", None, "Conseil d'Etat"),
    org("Court_of_Cassation_of_France", "Cour de cassation", "organization", None),
    org("Court_of_Audit_of_France", "Cour des comptes", "organization", None),
    org("Parliament_of_France", "Parlement français", "organization", None),
    org("Matignon", "Matignon", "agency", None, "hôtel Matignon", "hôtel de Matignon"),
    org("Bercy", "Bercy", "agency", None),
    org("Place_Beauvau", "place Beauvau", "agency", None, "Beauvau"),
    org("Banque_de_France", "Banque de France", "organization", None),
    org("INSEE", "Insee", "agency", "Q156616", "INSEE", "Institut national de la statistique et des études économiques"),
    # Belgium
    org("Belgian_Chamber_of_Representatives", "Chambre des représentants de Belgique", "organization", None, "Chambre belge", "Chambre des représentants belge"),
    org("Belgian_Senate", "Sénat de Belgique", "organization", None, "Sénat belge"),
    org("Belgian_Federal_Parliament", "Parlement fédéral", "organization", None, "Parlement fédéral belge", "Parlement belge"),
    org("Parliament_of_Wallonia", "Parlement de Wallonie", "organization", None, "Parlement wallon"),
    org("Flemish_Parliament", "Parlement flamand", "organization", None),
    # Switzerland
    org("Swiss_Federal_Council", "Conseil fédéral", "agency", None, "Conseil fédéral suisse"),
    org("Swiss_Federal_Assembly", "Assemblée fédérale", "organization", None, "Assemblée fédérale suisse", "Parlement suisse"),
    org("Swiss_National_Council", "Conseil national suisse", "organization", None),
    org("Swiss_Council_of_States", "Conseil des États", "organization", None, "Conseil des Etats"),
    # Canada, Québec
    org("Parliament_of_Canada", "Parlement du Canada", "organization", None, "Parlement canadien", "Parlement d'Ottawa"),
    org("House_of_Commons_of_Canada", "Chambre des communes du Canada", "organization", None, "Communes d'Ottawa", "Chambre des communes canadienne"),
    org("Senate_of_Canada", "Sénat du Canada", "organization", None, "Sénat canadien"),
    org("Supreme_Court_of_Canada", "Cour suprême du Canada", "organization", None),
    org("National_Assembly_of_Quebec", "Assemblée nationale du Québec", "organization", None, "Assemblée nationale québécoise"),
    org("Royal_Canadian_Mounted_Police", "Gendarmerie royale du Canada", "agency", None, "GRC", "RCMP"),
    # United States, United Kingdom, Germany, Russia
    org("United_States_Congress", "Congrès américain", "organization", "Q11268", "Congrès des États-Unis", "US Congress", "United States Congress"),
    org("United_States_Senate", "Sénat américain", "organization", "Q66096", "Sénat des États-Unis", "US Senate", "United States Senate"),
    org("United_States_House_of_Representatives", "Chambre des représentants", "organization", "Q11701", "Chambre des représentants américaine", "Chambre des représentants des États-Unis", "US House of Representatives", "House of Representatives"),
    org("Supreme_Court_of_the_United_States", "Cour suprême des États-Unis", "organization", "Q11201", "Cour suprême américaine", "US Supreme Court"),
    org("Parliament_of_the_United_Kingdom", "Parlement britannique", "organization", "Q11010", "Parlement du Royaume-Uni", "UK Parliament"),
    org("House_of_Commons_of_the_United_Kingdom", "Chambre des communes", "organization", "Q11005", "Chambre des communes britannique", "House of Commons"),
    org("House_of_Lords", "Chambre des lords", "organization", "Q11007", "Chambre des Lords", "House of Lords"),
    org("Bundestag", "Bundestag", "organization", "Q154797", "Bundestag allemand"),
    org("State_Duma", "Douma", "organization", None, "Douma d'État", "Douma russe", "State Duma"),
    # Europe
    org("Court_of_Justice_of_the_European_Union", "Cour de justice de l'Union européenne", "organization", "Q4951", "CJUE", "Court of Justice of the European Union", "CJEU"),
    org("European_Investment_Bank", "Banque européenne d'investissement", "organization", None, "BEI", "European Investment Bank"),
    org("Frontex", "Frontex", "agency", None),
    org("Europol", "Europol", "agency", None),
    org("European_Space_Agency", "Agence spatiale européenne", "agency", "Q42262", "ESA", "European Space Agency"),
    org("NASA", "NASA", "agency", "Q23548", "Nasa", "National Aeronautics and Space Administration"),
    org("African_Union_Commission", "Commission de l'Union africaine", "organization", None, "Commission de l'UA", "African Union Commission"),
]

# --------------------------------------------------------------------------- international organisations

INTERNATIONAL = [
    org("Food_and_Agriculture_Organization", "Organisation des Nations unies pour l'alimentation et l'agriculture", "organization", "Q82151", "FAO"),
    org("International_Labour_Organization", "Organisation internationale du travail", "organization", "Q54129", "OIT", "International Labour Organization", "ILO"),
    org("United_Nations_Development_Programme", "Programme des Nations unies pour le développement", "organization", None, "PNUD", "UNDP"),
    org("United_Nations_Environment_Programme", "Programme des Nations unies pour l'environnement", "organization", None, "PNUE", "UNEP"),
    org("United_Nations_Human_Rights_Council", "Conseil des droits de l'homme de l'ONU", "organization", None, "Conseil des droits de l'homme des Nations unies", "UN Human Rights Council"),
    org("OHCHR", "Haut-Commissariat des Nations unies aux droits de l'homme", "organization", None, "Haut-Commissariat aux droits de l'homme", "HCDH", "OHCHR"),
    org("OCHA", "Bureau de la coordination des affaires humanitaires", "organization", None, "OCHA", "Bureau des Nations unies pour la coordination des affaires humanitaires"),
    org("International_Organization_for_Migration", "Organisation internationale pour les migrations", "organization", None, "OIM", "International Organization for Migration", "IOM"),
    org("UNAIDS", "Onusida", "organization", None, "ONUSIDA", "UNAIDS"),
    org("World_Meteorological_Organization", "Organisation météorologique mondiale", "organization", None, "OMM", "World Meteorological Organization"),
    org("IPCC", "Groupe d'experts intergouvernemental sur l'évolution du climat", "organization", None, "GIEC", "IPCC", "Intergovernmental Panel on Climate Change"),
    org("MONUSCO", "Monusco", "organization", None, "MONUSCO"),
    org("MINUSMA", "Minusma", "organization", None, "MINUSMA"),
    org("International_Energy_Agency", "Agence internationale de l'énergie", "organization", None, "AIE", "International Energy Agency", "IEA"),
    org("Organisation_internationale_de_la_Francophonie", "Organisation internationale de la Francophonie", "organization", None, "OIF", "Francophonie"),
    org("Commonwealth_of_Nations", "Commonwealth", "organization", "Q7785", "Commonwealth des nations", "Commonwealth of Nations"),
    org("Organisation_of_Islamic_Cooperation", "Organisation de la coopération islamique", "organization", None, "OCI", "Organisation of Islamic Cooperation"),
    org("Mercosur", "Mercosur", "organization", None, "Marché commun du Sud"),
    org("ECCAS", "Communauté économique des États de l'Afrique centrale", "organization", None, "CEEAC", "ECCAS"),
    org("CEMAC", "Communauté économique et monétaire de l'Afrique centrale", "organization", None, "CEMAC"),
    org("WAEMU", "Union économique et monétaire ouest-africaine", "organization", None, "UEMOA"),
    org("SADC", "Communauté de développement d'Afrique australe", "organization", None, "SADC"),
    org("African_Development_Bank", "Banque africaine de développement", "organization", None, "BAD", "BAfD", "African Development Bank"),
    org("Alliance_of_Sahel_States", "Alliance des États du Sahel", "organization", None, "AES", "Confédération des États du Sahel"),
    # non-governmental organisations
    org("Amnesty_International", "Amnesty International", "organization", "Q42970", "Amnesty"),
    org("Human_Rights_Watch", "Human Rights Watch", "organization", "Q187052", "HRW"),
    org("Reporters_Without_Borders", "Reporters sans frontières", "organization", None, "RSF", "Reporters Without Borders"),
    org("Medecins_Sans_Frontieres", "Médecins sans frontières", "organization", None, "MSF", "Médecins Sans Frontières", "Doctors Without Borders"),
    org("International_Committee_of_the_Red_Cross", "Comité international de la Croix-Rouge", "organization", "Q71", "CICR", "International Committee of the Red Cross", "ICRC"),
    org("Red_Cross", "Croix-Rouge", "organization", None, "La Croix-Rouge", "Croissant-Rouge", "Red Cross", "Mouvement international de la Croix-Rouge et du Croissant-Rouge"),
    org("Greenpeace", "Greenpeace", "organization", None),
    org("WWF", "WWF", "organization", None, "Fonds mondial pour la nature", "World Wide Fund for Nature"),
    org("Oxfam", "Oxfam", "organization", None),
    org("Transparency_International", "Transparency International", "organization", None),
    org("Committee_to_Protect_Journalists", "Comité pour la protection des journalistes", "organization", None, "CPJ", "Committee to Protect Journalists"),
    org("FIDH", "Fédération internationale pour les droits humains", "organization", None, "FIDH", "Fédération internationale des ligues des droits de l'homme"),
    org("Ligue_des_droits_de_l_homme", "Ligue des droits de l'homme", "organization", None, "LDH"),
    # sport
    org("International_Olympic_Committee", "Comité international olympique", "organization", "Q40970", "CIO", "International Olympic Committee", "IOC"),
    org("FIFA", "FIFA", "organization", "Q253414", "Fédération internationale de football association"),
    org("UEFA", "UEFA", "organization", "Q35572", "Union des associations européennes de football"),
]

# --------------------------------------------------------------------------- parties

PARTIES = [
    # France
    org("Renaissance_party", "parti Renaissance", "party", None, "La République en marche", "LREM", "LaREM"),
    org("Union_for_a_Popular_Movement", "Union pour un mouvement populaire", "party", None, "UMP"),
    org("Les_Ecologistes", "Les Écologistes", "party", None, "Europe Écologie Les Verts", "EELV", "Europe Écologie-Les Verts"),
    org("French_Communist_Party", "Parti communiste français", "party", None, "PCF"),
    org("MoDem", "MoDem", "party", None, "Mouvement démocrate"),
    org("Horizons_party", "parti Horizons", "party", None),
    org("Reconquete", "Reconquête", "party", None, "parti Reconquête", "Reconquête!"),
    org("Union_of_Democrats_and_Independents", "Union des démocrates et indépendants", "party", None, "UDI"),
    org("New_Popular_Front", "Nouveau Front populaire", "party", None, "NFP"),
    # Belgium
    org("New_Flemish_Alliance", "N-VA", "party", None, "Nieuw-Vlaamse Alliantie", "Alliance néo-flamande", "NVA"),
    org("Vlaams_Belang", "Vlaams Belang", "party", None),
    org("Socialist_Party_Belgium", "Parti socialiste belge", "party", None, "PS belge"),
    org("Reformist_Movement", "Mouvement réformateur", "party", None, "MR"),
    org("Ecolo", "Ecolo", "party", None),
    org("Workers_Party_of_Belgium", "Parti du travail de Belgique", "party", None, "PTB", "PVDA"),
    org("Les_Engages", "Les Engagés", "party", None),
    org("CD_and_V", "CD&V", "party", None),
    org("Open_VLD", "Open VLD", "party", None, "Open Vld"),
    org("Vooruit", "Vooruit", "party", None),
    # Switzerland
    org("Swiss_Peoples_Party", "Union démocratique du centre", "party", None, "UDC", "SVP"),
    org("Social_Democratic_Party_of_Switzerland", "Parti socialiste suisse", "party", None, "PSS", "PS suisse"),
    org("FDP_The_Liberals", "PLR. Les Libéraux-Radicaux", "party", None, "PLR", "Parti libéral-radical"),
    org("Green_Party_of_Switzerland", "Les Vert-e-s suisses", "party", None, "Verts suisses", "Parti écologiste suisse"),
    org("Green_Liberal_Party_of_Switzerland", "Parti vert'libéral", "party", None, "Vert'libéraux"),
    # Canada, Québec
    org("Liberal_Party_of_Canada", "Parti libéral du Canada", "party", None, "PLC", "Liberal Party of Canada"),
    org("Conservative_Party_of_Canada", "Parti conservateur du Canada", "party", None, "Conservative Party of Canada"),
    org("New_Democratic_Party", "Nouveau Parti démocratique", "party", None, "NPD", "New Democratic Party"),
    org("Bloc_Quebecois", "Bloc québécois", "party", None),
    org("Parti_Quebecois", "Parti québécois", "party", None, "PQ"),
    org("Coalition_Avenir_Quebec", "Coalition avenir Québec", "party", None, "CAQ"),
    org("Quebec_Liberal_Party", "Parti libéral du Québec", "party", None, "PLQ"),
    org("Quebec_solidaire", "Québec solidaire", "party", None),
]

# --------------------------------------------------------------------------- places the offices need

PLACES = [
    place("Quebec", "Québec", GPE, "region", "Q176", ("province de Québec", "province du Québec", "Quebec"), ("québécois", "québécoise", "québécoises")),
    place("Quebec_City", "ville de Québec", GPE, "city", "Q2145", ("Quebec City",)),
    place("Wallonia", "Wallonie", GPE, "region", None, ("Région wallonne", "Wallonia"), ("wallon", "wallonne", "wallons", "wallonnes")),
    place("Flanders", "Flandre", GPE, "region", None, ("Région flamande", "Flanders"), ("flamand", "flamande", "flamands", "flamandes")),
]

# --------------------------------------------------------------------------- people

PRES, PM, FM = "président", "premier ministre", "ministre des affaires étrangères"

HEADS_G20 = [
    # Argentina
    person("Cristina_Fernandez_de_Kirchner", "Cristina Fernández de Kirchner", None, ("Cristina Kirchner", "Cristina Fernández"), ("présidente", "Argentina")),
    person("Mauricio_Macri", "Mauricio Macri", None, ("Macri",), (PRES, "Argentina")),
    person("Alberto_Fernandez", "Alberto Fernández", None, (), (PRES, "Argentina")),
    # Australia
    person("Kevin_Rudd", "Kevin Rudd", None, (), (PM, "Australia")),
    person("Julia_Gillard", "Julia Gillard", None, ("Gillard",), ("première ministre", "Australia")),
    person("Tony_Abbott", "Tony Abbott", None, (), (PM, "Australia")),
    person("Malcolm_Turnbull", "Malcolm Turnbull", None, ("Turnbull",), (PM, "Australia")),
    person("Scott_Morrison", "Scott Morrison", None, (), (PM, "Australia")),
    # Brazil
    person("Dilma_Rousseff", "Dilma Rousseff", None, ("Rousseff",), ("présidente", "Brazil")),
    person("Michel_Temer", "Michel Temer", None, ("Temer",), (PRES, "Brazil")),
    # Canada
    person("Stephen_Harper", "Stephen Harper", "Q206", ("Harper",), (PM, "Canada")),
    person("Mark_Carney", "Mark Carney", None, ("Carney",), (PM, "Canada")),
    # China
    person("Hu_Jintao", "Hu Jintao", None, (), (PRES, "China")),
    person("Wen_Jiabao", "Wen Jiabao", None, (), (PM, "China")),
    person("Li_Keqiang", "Li Keqiang", None, (), (PM, "China")),
    # France
    person("Francois_Fillon", "François Fillon", None, ("Fillon",), (PM, "France")),
    person("Jean-Marc_Ayrault", "Jean-Marc Ayrault", None, ("Ayrault",), (PM, "France"), (FM, "France")),
    person("Manuel_Valls", "Manuel Valls", None, ("Valls",), (PM, "France")),
    person("Bernard_Cazeneuve", "Bernard Cazeneuve", None, ("Cazeneuve",), (PM, "France")),
    person("Edouard_Philippe", "Édouard Philippe", None, ("Edouard Philippe",), (PM, "France")),
    person("Jean_Castex", "Jean Castex", None, ("Castex",), (PM, "France")),
    # Germany
    person("Horst_Kohler", "Horst Köhler", None, ("Horst Koehler",), (PRES, "Germany")),
    person("Christian_Wulff", "Christian Wulff", None, ("Wulff",), (PRES, "Germany")),
    person("Joachim_Gauck", "Joachim Gauck", None, ("Gauck",), (PRES, "Germany")),
    person("Frank-Walter_Steinmeier", "Frank-Walter Steinmeier", None, ("Steinmeier",), (PRES, "Germany"), (FM, "Germany")),
    # India
    person("Manmohan_Singh", "Manmohan Singh", None, (), (PM, "India")),
    person("Pratibha_Patil", "Pratibha Patil", None, (), ("présidente", "India")),
    person("Pranab_Mukherjee", "Pranab Mukherjee", None, (), (PRES, "India")),
    person("Ram_Nath_Kovind", "Ram Nath Kovind", None, ("Kovind",), (PRES, "India")),
    person("Droupadi_Murmu", "Droupadi Murmu", None, (), ("présidente", "India")),
    # Indonesia
    person("Susilo_Bambang_Yudhoyono", "Susilo Bambang Yudhoyono", None, ("Yudhoyono", "SBY"), (PRES, "Indonesia")),
    person("Joko_Widodo", "Joko Widodo", None, ("Jokowi", "Widodo"), (PRES, "Indonesia")),
    person("Prabowo_Subianto", "Prabowo Subianto", None, ("Prabowo",), (PRES, "Indonesia")),
    # Italy
    person("Silvio_Berlusconi", "Silvio Berlusconi", "Q11860", ("Berlusconi",), (PM, "Italy")),
    person("Mario_Monti", "Mario Monti", None, (), (PM, "Italy")),
    person("Enrico_Letta", "Enrico Letta", None, ("Letta",), (PM, "Italy")),
    person("Matteo_Renzi", "Matteo Renzi", None, ("Renzi",), (PM, "Italy")),
    person("Paolo_Gentiloni", "Paolo Gentiloni", None, ("Gentiloni",), (PM, "Italy")),
    person("Giuseppe_Conte", "Giuseppe Conte", None, (), (PM, "Italy")),
    person("Mario_Draghi", "Mario Draghi", None, ("Draghi",), (PM, "Italy"), (PRES, "European_Central_Bank")),
    person("Giorgio_Napolitano", "Giorgio Napolitano", None, ("Napolitano",), (PRES, "Italy")),
    person("Sergio_Mattarella", "Sergio Mattarella", None, ("Mattarella",), (PRES, "Italy")),
    # Japan
    person("Yukio_Hatoyama", "Yukio Hatoyama", None, ("Hatoyama",), (PM, "Japan")),
    person("Naoto_Kan", "Naoto Kan", None, (), (PM, "Japan")),
    person("Yoshihiko_Noda", "Yoshihiko Noda", None, (), (PM, "Japan")),
    person("Yoshihide_Suga", "Yoshihide Suga", None, (), (PM, "Japan")),
    person("Shigeru_Ishiba", "Shigeru Ishiba", None, ("Ishiba",), (PM, "Japan")),
    person("Sanae_Takaichi", "Sanae Takaichi", None, ("Takaichi",), ("première ministre", "Japan")),
    # Mexico
    person("Felipe_Calderon", "Felipe Calderón", None, (), (PRES, "Mexico")),
    person("Enrique_Pena_Nieto", "Enrique Peña Nieto", None, ("Peña Nieto", "Pena Nieto"), (PRES, "Mexico")),
    person("Andres_Manuel_Lopez_Obrador", "Andrés Manuel López Obrador", None, ("López Obrador", "Lopez Obrador", "AMLO"), (PRES, "Mexico")),
    # Russia
    person("Mikhail_Mishustin", "Mikhaïl Michoustine", None, ("Michoustine", "Mikhail Mishustin", "Mishustin"), (PM, "Russia")),
    # Saudi Arabia
    person("Abdullah_of_Saudi_Arabia", "Abdallah ben Abdelaziz Al Saoud", None, ("roi Abdallah d'Arabie saoudite", "Abdallah ben Abdelaziz"), ("roi", "Saudi_Arabia")),
    person("Salman_of_Saudi_Arabia", "Salmane ben Abdelaziz Al Saoud", None, ("roi Salmane", "Salmane ben Abdelaziz", "King Salman"), ("roi", "Saudi_Arabia")),
    # South Africa
    person("Jacob_Zuma", "Jacob Zuma", None, ("Zuma",), (PRES, "South_Africa")),
    # South Korea
    person("Lee_Myung-bak", "Lee Myung-bak", None, (), (PRES, "South_Korea")),
    person("Park_Geun-hye", "Park Geun-hye", None, (), ("présidente", "South_Korea")),
    person("Moon_Jae-in", "Moon Jae-in", None, (), (PRES, "South_Korea")),
    person("Lee_Jae-myung", "Lee Jae-myung", None, (), (PRES, "South_Korea")),
    # Turkey
    person("Abdullah_Gul", "Abdullah Gül", None, ("Abdullah Gul",), (PRES, "Turkey")),
    person("Ahmet_Davutoglu", "Ahmet Davutoğlu", None, ("Davutoğlu", "Ahmet Davutoglu", "Davutoglu"), (PM, "Turkey"), (FM, "Turkey")),
    person("Binali_Yildirim", "Binali Yıldırım", None, ("Binali Yildirim",), (PM, "Turkey")),
    # United Kingdom
    person("Gordon_Brown", "Gordon Brown", "Q10648", (), (PM, "United_Kingdom")),
    person("Liz_Truss", "Liz Truss", None, ("Truss",), ("première ministre", "United_Kingdom"), (FM, "United_Kingdom")),
    person("Elizabeth_II", "Élisabeth II", "Q9682", ("Elizabeth II", "reine Élisabeth II", "reine Elizabeth II", "Queen Elizabeth II"), ("reine", "United_Kingdom")),
    # United States
    person("Mike_Pence", "Mike Pence", None, ("Pence",), ("vice-président", "United_States")),
    # European Union, African Union
    person("Jose_Manuel_Barroso", "José Manuel Barroso", None, ("Barroso", "José Manuel Durão Barroso"), (PRES, "European_Commission"), (PM, "Portugal")),
    person("Jean-Claude_Juncker", "Jean-Claude Juncker", None, ("Juncker",), (PRES, "European_Commission"), (PM, "Luxembourg")),
    person("Herman_Van_Rompuy", "Herman Van Rompuy", None, ("Van Rompuy",), (PRES, "European_Council"), (PM, "Belgium")),
    person("Catherine_Ashton", "Catherine Ashton", None, (), ("haute représentante", "European_Union")),
    person("Federica_Mogherini", "Federica Mogherini", None, ("Mogherini",), ("haute représentante", "European_Union")),
    person("Jean_Ping", "Jean Ping", None, (), (PRES, "African_Union_Commission")),
    person("Nkosazana_Dlamini-Zuma", "Nkosazana Dlamini-Zuma", None, ("Dlamini-Zuma",), ("présidente", "African_Union_Commission")),
    person("Moussa_Faki_Mahamat", "Moussa Faki Mahamat", None, ("Moussa Faki",), (PRES, "African_Union_Commission")),
    person("Mahmoud_Ali_Youssouf", "Mahmoud Ali Youssouf", None, (), (PRES, "African_Union_Commission")),
]

FOREIGN_MINISTERS = [
    # United States
    person("Hillary_Clinton", "Hillary Clinton", "Q6294", ("Hillary Rodham Clinton",), ("secrétaire d'état", "United_States")),
    person("John_Kerry", "John Kerry", "Q22316", ("Kerry",), ("secrétaire d'état", "United_States")),
    person("Rex_Tillerson", "Rex Tillerson", None, ("Tillerson",), ("secrétaire d'état", "United_States")),
    person("Mike_Pompeo", "Mike Pompeo", None, ("Pompeo",), ("secrétaire d'état", "United_States")),
    # China
    person("Yang_Jiechi", "Yang Jiechi", None, (), (FM, "China")),
    person("Qin_Gang", "Qin Gang", None, (), (FM, "China")),
    # France
    person("Bernard_Kouchner", "Bernard Kouchner", None, ("Kouchner",), (FM, "France")),
    person("Michele_Alliot-Marie", "Michèle Alliot-Marie", None, ("Alliot-Marie",), ("ministre des affaires étrangères", "France")),
    person("Alain_Juppe", "Alain Juppé", None, ("Juppé",), (FM, "France"), (PM, "France")),
    person("Laurent_Fabius", "Laurent Fabius", None, ("Fabius",), (FM, "France"), (PM, "France")),
    person("Jean-Yves_Le_Drian", "Jean-Yves Le Drian", None, ("Le Drian",), (FM, "France")),
    person("Catherine_Colonna", "Catherine Colonna", None, (), (FM, "France")),
    person("Stephane_Sejourne", "Stéphane Séjourné", None, ("Séjourné",), (FM, "France")),
    person("Jean-Noel_Barrot", "Jean-Noël Barrot", None, (), (FM, "France")),
    # United Kingdom
    person("William_Hague", "William Hague", None, (), (FM, "United_Kingdom")),
    person("Philip_Hammond", "Philip Hammond", None, (), (FM, "United_Kingdom")),
    person("Jeremy_Hunt", "Jeremy Hunt", None, (), (FM, "United_Kingdom")),
    person("Dominic_Raab", "Dominic Raab", None, ("Raab",), (FM, "United_Kingdom")),
    person("James_Cleverly", "James Cleverly", None, (), (FM, "United_Kingdom")),
    person("David_Lammy", "David Lammy", None, ("Lammy",), (FM, "United_Kingdom")),
    person("Yvette_Cooper", "Yvette Cooper", None, (), (FM, "United_Kingdom")),
    # Germany
    person("Guido_Westerwelle", "Guido Westerwelle", None, ("Westerwelle",), (FM, "Germany")),
    person("Sigmar_Gabriel", "Sigmar Gabriel", None, (), (FM, "Germany")),
    person("Heiko_Maas", "Heiko Maas", None, (), (FM, "Germany")),
    person("Annalena_Baerbock", "Annalena Baerbock", None, ("Baerbock",), (FM, "Germany")),
    person("Johann_Wadephul", "Johann Wadephul", None, ("Wadephul",), (FM, "Germany")),
    # Ukraine, Iran, India, Turkey, Italy, Spain, Poland, Saudi Arabia
    person("Andrii_Sybiha", "Andriï Sybiha", None, ("Sybiha", "Andrii Sybiha"), (FM, "Ukraine")),
    person("Mohammad_Javad_Zarif", "Mohammad Javad Zarif", None, ("Zarif",), (FM, "Iran")),
    person("Hossein_Amir-Abdollahian", "Hossein Amir-Abdollahian", None, ("Amir-Abdollahian",), (FM, "Iran")),
    person("Abbas_Araghchi", "Abbas Araghchi", None, ("Araghchi", "Abbas Araqchi"), (FM, "Iran")),
    person("Subrahmanyam_Jaishankar", "Subrahmanyam Jaishankar", None, ("S. Jaishankar", "Jaishankar"), (FM, "India")),
    person("Mevlut_Cavusoglu", "Mevlüt Çavuşoğlu", None, ("Çavuşoğlu", "Mevlut Cavusoglu", "Cavusoglu"), (FM, "Turkey")),
    person("Hakan_Fidan", "Hakan Fidan", None, ("Fidan",), (FM, "Turkey")),
    person("Luigi_Di_Maio", "Luigi Di Maio", None, ("Di Maio",), (FM, "Italy")),
    person("Antonio_Tajani", "Antonio Tajani", None, ("Tajani",), (FM, "Italy")),
    person("Jose_Manuel_Albares", "José Manuel Albares", None, ("Albares",), (FM, "Spain")),
    person("Radoslaw_Sikorski", "Radosław Sikorski", None, ("Radoslaw Sikorski", "Sikorski"), (FM, "Poland")),
    person("Faisal_bin_Farhan", "Fayçal ben Farhane", None, ("Faisal bin Farhan", "prince Fayçal ben Farhane"), (FM, "Saudi_Arabia")),
    # Canada, Belgium
    person("Chrystia_Freeland", "Chrystia Freeland", None, ("Freeland",), (FM, "Canada")),
    person("Melanie_Joly", "Mélanie Joly", None, (), (FM, "Canada")),
    person("Anita_Anand", "Anita Anand", None, (), (FM, "Canada")),
    person("Didier_Reynders", "Didier Reynders", None, ("Reynders",), (FM, "Belgium")),
    person("Hadja_Lahbib", "Hadja Lahbib", None, ("Lahbib",), (FM, "Belgium")),
    person("Maxime_Prevot", "Maxime Prévot", None, (), (FM, "Belgium")),
]

HEADS_FRANCOPHONE = [
    # Belgium
    person("Yves_Leterme", "Yves Leterme", None, ("Leterme",), (PM, "Belgium")),
    person("Elio_Di_Rupo", "Elio Di Rupo", None, ("Di Rupo",), (PM, "Belgium")),
    person("Sophie_Wilmes", "Sophie Wilmès", None, ("Wilmès", "Sophie Wilmes"), ("première ministre", "Belgium"), (FM, "Belgium")),
    person("Alexander_De_Croo", "Alexander De Croo", None, ("De Croo",), (PM, "Belgium")),
    person("Bart_De_Wever", "Bart De Wever", None, ("De Wever",), (PM, "Belgium")),
    person("Albert_II_of_Belgium", "Albert II de Belgique", None, ("roi Albert II",), ("roi", "Belgium")),
    person("Philippe_of_Belgium", "Philippe de Belgique", None, ("roi Philippe", "roi des Belges Philippe"), ("roi", "Belgium")),
    # Switzerland: the presidents of the Confederation, one a year
    person("Doris_Leuthard", "Doris Leuthard", None, ("Leuthard",), ("présidente", "Switzerland"), ("conseillère fédérale", "Swiss_Federal_Council")),
    person("Micheline_Calmy-Rey", "Micheline Calmy-Rey", None, ("Calmy-Rey",), ("présidente", "Switzerland"), ("conseillère fédérale", "Swiss_Federal_Council")),
    person("Eveline_Widmer-Schlumpf", "Eveline Widmer-Schlumpf", None, ("Widmer-Schlumpf",), ("présidente", "Switzerland"), ("conseillère fédérale", "Swiss_Federal_Council")),
    person("Ueli_Maurer", "Ueli Maurer", None, (), (PRES, "Switzerland"), ("conseiller fédéral", "Swiss_Federal_Council")),
    person("Didier_Burkhalter", "Didier Burkhalter", None, ("Burkhalter",), (PRES, "Switzerland"), ("conseiller fédéral", "Swiss_Federal_Council")),
    person("Simonetta_Sommaruga", "Simonetta Sommaruga", None, ("Sommaruga",), ("présidente", "Switzerland"), ("conseillère fédérale", "Swiss_Federal_Council")),
    person("Johann_Schneider-Ammann", "Johann Schneider-Ammann", None, ("Schneider-Ammann",), (PRES, "Switzerland"), ("conseiller fédéral", "Swiss_Federal_Council")),
    person("Alain_Berset", "Alain Berset", None, ("Berset",), (PRES, "Switzerland"), ("conseiller fédéral", "Swiss_Federal_Council"), ("secrétaire général", "Council_of_Europe")),
    person("Guy_Parmelin", "Guy Parmelin", None, ("Parmelin",), (PRES, "Switzerland"), ("conseiller fédéral", "Swiss_Federal_Council")),
    person("Ignazio_Cassis", "Ignazio Cassis", None, (), (PRES, "Switzerland"), ("conseiller fédéral", "Swiss_Federal_Council")),
    person("Viola_Amherd", "Viola Amherd", None, ("Amherd",), ("présidente", "Switzerland"), ("conseillère fédérale", "Swiss_Federal_Council")),
    person("Karin_Keller-Sutter", "Karin Keller-Sutter", None, ("Keller-Sutter",), ("présidente", "Switzerland"), ("conseillère fédérale", "Swiss_Federal_Council")),
    # Luxembourg, Monaco
    person("Xavier_Bettel", "Xavier Bettel", None, ("Bettel",), (PM, "Luxembourg")),
    person("Luc_Frieden", "Luc Frieden", None, ("Frieden",), (PM, "Luxembourg")),
    person("Henri_of_Luxembourg", "Henri de Luxembourg", None, ("grand-duc Henri",), ("grand-duc", "Luxembourg")),
    person("Guillaume_of_Luxembourg", "Guillaume de Luxembourg", None, ("grand-duc Guillaume",), ("grand-duc", "Luxembourg")),
    person("Albert_II_of_Monaco", "Albert II de Monaco", None, ("prince Albert II", "prince Albert II de Monaco"), ("prince", "Monaco")),
    # Québec
    person("Jean_Charest", "Jean Charest", None, ("Charest",), (PM, "Quebec")),
    person("Pauline_Marois", "Pauline Marois", None, ("Marois",), ("première ministre", "Quebec")),
    person("Philippe_Couillard", "Philippe Couillard", None, ("Couillard",), (PM, "Quebec")),
    person("Francois_Legault", "François Legault", None, ("Legault",), (PM, "Quebec")),
    # North Africa
    person("Abdelaziz_Bouteflika", "Abdelaziz Bouteflika", None, ("Bouteflika",), (PRES, "Algeria")),
    person("Abdelilah_Benkirane", "Abdelilah Benkirane", None, ("Benkirane",), ("chef du gouvernement", "Morocco")),
    person("Saadeddine_Othmani", "Saâdeddine El Othmani", None, ("El Othmani", "Saad-Eddine El Othmani", "Saadeddine El Othmani"), ("chef du gouvernement", "Morocco")),
    person("Aziz_Akhannouch", "Aziz Akhannouch", None, ("Akhannouch",), ("chef du gouvernement", "Morocco")),
    person("Zine_El_Abidine_Ben_Ali", "Zine el-Abidine Ben Ali", None, ("Ben Ali", "Zine El Abidine Ben Ali"), (PRES, "Tunisia")),
    person("Moncef_Marzouki", "Moncef Marzouki", None, ("Marzouki",), (PRES, "Tunisia")),
    person("Beji_Caid_Essebsi", "Béji Caïd Essebsi", None, ("Caïd Essebsi", "Essebsi", "Béji Caïd Sebsi"), (PRES, "Tunisia")),
    person("Kais_Saied", "Kaïs Saïed", None, ("Saïed", "Kais Saied", "Kaïs Saïd"), (PRES, "Tunisia")),
    person("Hosni_Mubarak", "Hosni Moubarak", None, ("Moubarak", "Hosni Mubarak", "Mubarak"), (PRES, "Egypt")),
    person("Mohamed_Morsi", "Mohamed Morsi", None, ("Morsi", "Mohamed Morsy", "Morsy"), (PRES, "Egypt")),
    person("Mohamed_Ould_Abdel_Aziz", "Mohamed Ould Abdel Aziz", None, ("Ould Abdel Aziz",), (PRES, "Mauritania")),
    person("Mohamed_Ould_Ghazouani", "Mohamed Ould Ghazouani", None, ("Ghazouani", "Mohamed Ould Cheikh El Ghazouani"), (PRES, "Mauritania")),
    # West Africa
    person("Abdoulaye_Wade", "Abdoulaye Wade", None, (), (PRES, "Senegal")),
    person("Macky_Sall", "Macky Sall", None, (), (PRES, "Senegal")),
    person("Bassirou_Diomaye_Faye", "Bassirou Diomaye Faye", None, ("Diomaye Faye",), (PRES, "Senegal")),
    person("Ousmane_Sonko", "Ousmane Sonko", None, ("Sonko",), (PM, "Senegal")),
    person("Laurent_Gbagbo", "Laurent Gbagbo", None, (), (PRES, "Ivory_Coast")),
    person("Alassane_Ouattara", "Alassane Ouattara", None, ("Ouattara", "Alassane Dramane Ouattara", "ADO"), (PRES, "Ivory_Coast")),
    person("Amadou_Toumani_Toure", "Amadou Toumani Touré", None, ("ATT",), (PRES, "Mali")),
    person("Dioncounda_Traore", "Dioncounda Traoré", None, (), (PRES, "Mali")),
    person("Ibrahim_Boubacar_Keita", "Ibrahim Boubacar Keïta", None, ("IBK", "Ibrahim Boubacar Keita"), (PRES, "Mali")),
    person("Bah_Ndaw", "Bah N'Daw", None, ("Bah Ndaw",), (PRES, "Mali")),
    person("Assimi_Goita", "Assimi Goïta", None, ("Goïta", "Assimi Goita", "colonel Assimi Goïta"), (PRES, "Mali")),
    person("Blaise_Compaore", "Blaise Compaoré", None, ("Compaoré", "Blaise Compaore"), (PRES, "Burkina_Faso")),
    person("Michel_Kafando", "Michel Kafando", None, ("Kafando",), (PRES, "Burkina_Faso")),
    person("Roch_Marc_Christian_Kabore", "Roch Marc Christian Kaboré", None, ("Roch Kaboré", "Roch Marc Christian Kabore"), (PRES, "Burkina_Faso")),
    person("Paul-Henri_Sandaogo_Damiba", "Paul-Henri Sandaogo Damiba", None, ("Damiba", "Paul-Henri Damiba"), (PRES, "Burkina_Faso")),
    person("Ibrahim_Traore", "Ibrahim Traoré", None, ("capitaine Ibrahim Traoré", "Ibrahim Traore"), (PRES, "Burkina_Faso")),
    person("Mamadou_Tandja", "Mamadou Tandja", None, ("Tandja",), (PRES, "Niger")),
    person("Salou_Djibo", "Salou Djibo", None, (), (PRES, "Niger")),
    person("Mahamadou_Issoufou", "Mahamadou Issoufou", None, ("Issoufou",), (PRES, "Niger")),
    person("Mohamed_Bazoum", "Mohamed Bazoum", None, ("Bazoum",), (PRES, "Niger")),
    person("Abdourahamane_Tiani", "Abdourahamane Tiani", None, ("Tiani", "Abdourahamane Tchiani", "Tchiani", "général Tiani"), (PRES, "Niger")),
    person("Alpha_Conde", "Alpha Condé", None, ("Alpha Conde",), (PRES, "Guinea")),
    person("Mamadi_Doumbouya", "Mamadi Doumbouya", None, ("Doumbouya",), (PRES, "Guinea")),
    person("Faure_Gnassingbe", "Faure Gnassingbé", None, ("Faure Gnassingbe",), (PRES, "Togo")),
    person("Thomas_Boni_Yayi", "Thomas Boni Yayi", None, ("Boni Yayi", "Yayi Boni"), (PRES, "Benin")),
    person("Patrice_Talon", "Patrice Talon", None, (), (PRES, "Benin")),
    person("Umaro_Sissoco_Embalo", "Umaro Sissoco Embaló", None, ("Embaló", "Umaro Sissoco Embalo", "Embalo"), (PRES, "Guinea-Bissau")),
    # Central Africa
    person("Paul_Biya", "Paul Biya", None, ("Biya",), (PRES, "Cameroon")),
    person("Ali_Bongo_Ondimba", "Ali Bongo Ondimba", None, ("Ali Bongo",), (PRES, "Gabon")),
    person("Brice_Oligui_Nguema", "Brice Clotaire Oligui Nguema", None, ("Oligui Nguema", "Brice Oligui Nguema", "général Oligui Nguema"), (PRES, "Gabon")),
    person("Denis_Sassou_Nguesso", "Denis Sassou Nguesso", None, ("Sassou Nguesso", "Denis Sassou-Nguesso", "Sassou-Nguesso"), (PRES, "Republic_of_the_Congo")),
    person("Joseph_Kabila", "Joseph Kabila", None, ("Kabila", "Joseph Kabila Kabange"), (PRES, "Democratic_Republic_of_the_Congo")),
    person("Felix_Tshisekedi", "Félix Tshisekedi", None, ("Tshisekedi", "Félix Antoine Tshisekedi", "Felix Tshisekedi"), (PRES, "Democratic_Republic_of_the_Congo")),
    person("Idriss_Deby", "Idriss Déby", None, ("Idriss Déby Itno", "Idriss Deby"), (PRES, "Chad")),
    person("Mahamat_Idriss_Deby", "Mahamat Idriss Déby", None, ("Mahamat Déby", "Mahamat Idriss Déby Itno", "Mahamat Idriss Deby"), (PRES, "Chad")),
    person("Francois_Bozize", "François Bozizé", None, ("Bozizé",), (PRES, "Central_African_Republic")),
    person("Michel_Djotodia", "Michel Djotodia", None, ("Djotodia",), (PRES, "Central_African_Republic")),
    person("Catherine_Samba-Panza", "Catherine Samba-Panza", None, ("Samba-Panza",), ("présidente", "Central_African_Republic")),
    person("Faustin-Archange_Touadera", "Faustin-Archange Touadéra", None, ("Touadéra", "Faustin Archange Touadéra"), (PRES, "Central_African_Republic")),
    person("Teodoro_Obiang_Nguema_Mbasogo", "Teodoro Obiang Nguema Mbasogo", None, ("Teodoro Obiang", "Obiang Nguema"), (PRES, "Equatorial_Guinea")),
    # Great Lakes, Indian Ocean, Horn of Africa
    person("Paul_Kagame", "Paul Kagame", None, ("Kagame",), (PRES, "Rwanda")),
    person("Pierre_Nkurunziza", "Pierre Nkurunziza", None, ("Nkurunziza",), (PRES, "Burundi")),
    person("Evariste_Ndayishimiye", "Évariste Ndayishimiye", None, ("Ndayishimiye", "Evariste Ndayishimiye"), (PRES, "Burundi")),
    person("Andry_Rajoelina", "Andry Rajoelina", None, ("Rajoelina",), (PRES, "Madagascar")),
    person("Hery_Rajaonarimampianina", "Hery Rajaonarimampianina", None, ("Rajaonarimampianina",), (PRES, "Madagascar")),
    person("Azali_Assoumani", "Azali Assoumani", None, ("Azali",), (PRES, "Comoros")),
    person("Ismail_Omar_Guelleh", "Ismaïl Omar Guelleh", None, ("Guelleh", "Ismail Omar Guelleh", "IOG"), (PRES, "Djibouti")),
    # Haiti, Lebanon
    person("Rene_Preval", "René Préval", None, ("Préval",), (PRES, "Haiti")),
    person("Michel_Martelly", "Michel Martelly", None, ("Martelly",), (PRES, "Haiti")),
    person("Jovenel_Moise", "Jovenel Moïse", None, ("Jovenel Moise",), (PRES, "Haiti")),
    person("Ariel_Henry", "Ariel Henry", None, (), (PM, "Haiti")),
    person("Michel_Sleiman", "Michel Sleiman", None, ("Sleiman", "Michel Souleiman"), (PRES, "Lebanon")),
    person("Michel_Aoun", "Michel Aoun", None, (), (PRES, "Lebanon")),
    person("Joseph_Aoun", "Joseph Aoun", None, (), (PRES, "Lebanon")),
    person("Saad_Hariri", "Saad Hariri", None, (), (PM, "Lebanon")),
    person("Najib_Mikati", "Najib Mikati", None, ("Mikati",), (PM, "Lebanon")),
    person("Tammam_Salam", "Tammam Salam", None, (), (PM, "Lebanon")),
    person("Nawaf_Salam", "Nawaf Salam", None, (), (PM, "Lebanon")),
    # Ukraine, whose wars run through the news of the period
    person("Viktor_Yanukovych", "Viktor Ianoukovitch", None, ("Ianoukovitch", "Viktor Yanukovych", "Yanukovych"), (PRES, "Ukraine")),
    person("Petro_Poroshenko", "Petro Porochenko", None, ("Porochenko", "Petro Poroshenko", "Poroshenko"), (PRES, "Ukraine")),
]

CURATED = [*COMPANIES, *RATING_AGENCIES, *MEDIA, *INSTITUTIONS, *INTERNATIONAL, *PARTIES, *PLACES, *HEADS_G20, *FOREIGN_MINISTERS, *HEADS_FRANCOPHONE]

# --------------------------------------------------------------------------- rows of the base table

#: key of a row of kg/data/gazetteer.jsonl → what to add to it: ``names`` (appended unless the
#: row has it already), ``roles`` (appended unless present), ``wikidata``
#: (only where the row has none)
EXTEND: dict[str, dict] = {
    # Wikidata ids known for certain, on rows that had none
    "Nicolas_Sarkozy": {"wikidata": "Q329"},
    "Francois_Hollande": {"wikidata": "Q157"},
    "Dmitry_Medvedev": {"wikidata": "Q23530"},
    "Theresa_May": {"wikidata": "Q264766"},
    "David_Cameron": {"wikidata": "Q192", "roles": [{"role": FM, "of": "United_Kingdom"}]},
    "Charles_III": {"wikidata": "Q43274"},
    "Shinzo_Abe": {"wikidata": "Q132345"},
    "Recep_Tayyip_Erdogan": {"wikidata": "Q39259", "names": ["Recep Tayyip Erdoğan", "Erdoğan"], "roles": [{"role": PM, "of": "Turkey"}]},
    "Jair_Bolsonaro": {"wikidata": "Q10304982"},
    "Donald_Tusk": {"wikidata": "Q946"},
    "Kim_Jong-un": {"wikidata": "Q56226", "names": ["Kim Jong Un"]},
    "Bashar_al-Assad": {"wikidata": "Q44329"},
    "Ali_Khamenei": {"wikidata": "Q57336"},
    "Pope_Francis": {"wikidata": "Q450675"},
    "Ban_Ki-moon": {"wikidata": "Q1253"},
    "Kamala_Harris": {"wikidata": "Q10853588"},
    "Der_Spiegel": {"wikidata": "Q131478"},
    "The_Washington_Post": {"wikidata": "Q166032"},
    "ASEAN": {"wikidata": "Q7768"},
    "Liberation": {"wikidata": "Q13717"},
    # more names and offices
    "Boris_Johnson": {"roles": [{"role": FM, "of": "United_Kingdom"}]},
    "Charles_Michel": {"roles": [{"role": PM, "of": "Belgium"}]},
    "Vladimir_Putin": {"roles": [{"role": PM, "of": "Russia"}]},
    "Al_Jazeera": {"names": ["Al-Jazeera"]},
    "France_24": {"names": ["France24"]},
    "Le_Figaro": {"wikidata": "Q216047"},
    "Agence_France-Presse": {"names": ["agence France-Presse", "agence AFP", "Agence France Presse"]},
    "Republican_Party": {"names": ["parti républicain"]},
    "Democratic_Party": {"names": ["parti démocrate"]},
    "Interpol": {"names": ["Organisation internationale de police criminelle-Interpol"]},
    "ECOWAS": {"names": ["Cédéao"]},
}


# --------------------------------------------------------------------------- building


class CurationError(Exception):
    """The tables contradict themselves or the base table."""


def _dump(row: dict) -> str:
    order = ("key", "label", "class", "kind", "wikidata", "names", "demonyms", "capital", "roles")
    return json.dumps({field: row[field] for field in order if field in row}, ensure_ascii=False)


def _sorted(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["class"], r["key"].casefold(), r["key"]))


def _unique_names(names: list[str]) -> list[str]:
    """The names in order, each once. Spellings that differ only in case stay apart: the
    phrase matcher takes a capitalised word of the text only where a name capitalises it
    (``parti républicain`` beside ``Parti républicain``)."""
    return list(dict.fromkeys(names))


def extended_base(base: list[dict]) -> list[dict]:
    """The base rows with :data:`EXTEND` applied."""
    by_key = {row["key"]: row for row in base}
    unknown = sorted(set(EXTEND) - set(by_key))
    if unknown:
        raise CurationError(f"EXTEND names keys the base table does not have: {', '.join(unknown)}")
    rows = []
    for row in base:
        row = json.loads(json.dumps(row))
        extra = EXTEND.get(row["key"], {})
        if "wikidata" in extra and row.get("wikidata") not in (None, extra["wikidata"]):
            raise CurationError(f"{row['key']}: the base table says {row['wikidata']}, EXTEND says {extra['wikidata']}")
        if "wikidata" in extra:
            row["wikidata"] = extra["wikidata"]
        if "names" in extra:
            row["names"] = _unique_names([*row["names"], *extra["names"]])
        for role in extra.get("roles", []):
            row.setdefault("roles", [])
            if role not in row["roles"]:
                row["roles"].append(role)
        rows.append(row)
    return rows


def curated_rows(base: list[dict]) -> list[dict]:
    """The curated rows, checked against each other and against ``base``."""
    rows = [dict(row, names=_unique_names(row["names"])) for row in CURATED]
    problems: list[str] = []
    base_keys = {row["key"] for row in base}
    seen: set[str] = set()
    for row in rows:
        if row["key"] in base_keys:
            problems.append(f"{row['key']}: already a row of the base table (extend it in EXTEND)")
        if row["key"] in seen:
            problems.append(f"{row['key']}: defined twice")
        seen.add(row["key"])
        if slugify(row["key"]) != row["key"]:
            problems.append(f"{row['key']}: not a slug")
        if row["class"] not in ENTITY_CLASSES or row["kind"] not in KINDS:
            problems.append(f"{row['key']}: class {row['class']!r} or kind {row['kind']!r} unknown")
    everything = [*base, *rows]
    keys = {row["key"] for row in everything}
    owners: defaultdict[str, set[str]] = defaultdict(set)
    qids: defaultdict[str, set[str]] = defaultdict(set)
    for row in everything:
        for name in (row["label"], *row["names"]):
            owners[match_key(name)].add(row["key"])
        for word in row.get("demonyms", []):
            owners["demonym:" + word].add(row["key"])
        if row.get("wikidata"):
            qids[row["wikidata"]].add(row["key"])
        for role in row.get("roles", []):
            if role["of"] not in keys:
                problems.append(f"{row['key']}: role target {role['of']!r} is no key")
    problems += [f"name {name!r} claimed by {', '.join(sorted(k))}" for name, k in owners.items() if len(k) > 1]
    problems += [f"Wikidata id {qid} claimed by {', '.join(sorted(k))}" for qid, k in qids.items() if len(k) > 1]
    if problems:
        raise CurationError("\n".join(problems))
    return _sorted(rows)


def render() -> dict[Path, str]:
    """The text of each file the script writes."""
    base = [json.loads(line) for line in DEFAULT_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = extended_base(base)
    curated = curated_rows(base)
    return {
        DEFAULT_PATH: "".join(_dump(row) + "\n" for row in base),
        CURATED_PATH: "".join(_dump(row) + "\n" for row in curated),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the shipped files are what the tables give")
    args = parser.parse_args(argv)
    try:
        files = render()
    except CurationError as exc:
        print(f"curate_gazetteer: {exc}", file=sys.stderr)
        return 2
    stale = [path for path, text in files.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is not what scripts/curate_gazetteer.py writes", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
