"""Words of the demo world, per language: captions, bios, comments, disclosures, places.

Written by hand for six languages so that text relevance, disclosure detection and comment
analysis meet real words, not placeholders.
"""

from __future__ import annotations

LANGUAGES = ("de", "pl", "da", "nl", "fr", "en")
COUNTRY_LANGUAGE = {"DE": "de", "PL": "pl", "DK": "da", "NL": "nl", "FR": "fr", "GB": "en", "US": "en"}
CITIES = {
    "DE": ("Berlin", "Hamburg", "München", "Köln", "Leipzig"),
    "PL": ("Warszawa", "Kraków", "Gdańsk", "Wrocław"),
    "DK": ("København", "Aarhus", "Odense"),
    "NL": ("Amsterdam", "Rotterdam", "Utrecht"),
    "FR": ("Paris", "Lyon", "Marseille", "Bordeaux"),
    "GB": ("London", "Manchester", "Bristol"),
    "US": ("New York", "Austin", "Chicago"),
}
NICHES = ("food", "fitness", "fashion", "travel", "beauty", "gaming")

# Things a post in a niche is about, per language.
NOUNS = {
    "food": {
        "de": ("veganer Schokokuchen", "Zimtschnecken", "Sauerteigbrot", "Linsencurry"),
        "pl": ("wegański sernik", "pierogi z kapustą", "chleb na zakwasie", "zupa dyniowa"),
        "da": ("rugbrød", "kanelsnegle", "vegansk lagkage", "grøntsagssuppe"),
        "nl": ("appeltaart", "vegan stamppot", "zuurdesembrood", "bananenbrood"),
        "fr": ("tarte aux pommes", "croissants vegan", "pain au levain", "ratatouille"),
        "en": ("vegan brownies", "cinnamon rolls", "sourdough loaf", "lentil curry"),
    },
    "fitness": {
        "de": ("Ganzkörpertraining", "Laufrunde", "Yoga-Flow", "Krafttraining"),
        "pl": ("trening całego ciała", "bieganie", "joga", "trening siłowy"),
        "da": ("styrketræning", "løbetur", "yoga", "cirkeltræning"),
        "nl": ("krachttraining", "hardlooprondje", "yogasessie", "buikspieroefeningen"),
        "fr": ("séance de musculation", "course à pied", "yoga du matin", "gainage"),
        "en": ("full body workout", "morning run", "yoga flow", "leg day"),
    },
    "fashion": {
        "de": ("Herbst-Outfit", "Vintage-Jacke", "Capsule Wardrobe", "Secondhand-Fund"),
        "pl": ("jesienna stylizacja", "płaszcz vintage", "szafa kapsułowa", "perełka z lumpeksu"),
        "da": ("efterårsoutfit", "vintagejakke", "kapselgarderobe", "genbrugsfund"),
        "nl": ("herfstoutfit", "vintage jas", "capsule garderobe", "tweedehands vondst"),
        "fr": ("tenue d'automne", "veste vintage", "garde-robe capsule", "trouvaille de friperie"),
        "en": ("autumn outfit", "vintage jacket", "capsule wardrobe", "thrift find"),
    },
    "travel": {
        "de": ("Wochenendtrip", "Wanderung in den Alpen", "Städtereise", "Zugreise"),
        "pl": ("weekend w górach", "wycieczka do Tatr", "city break", "podróż pociągiem"),
        "da": ("weekendtur", "vandretur", "storbyferie", "togrejse"),
        "nl": ("weekendje weg", "wandeltocht", "stedentrip", "treinreis"),
        "fr": ("week-end en Bretagne", "randonnée", "escapade en ville", "voyage en train"),
        "en": ("weekend getaway", "mountain hike", "city break", "train journey"),
    },
    "beauty": {
        "de": ("Hautpflege-Routine", "Naturkosmetik", "Make-up-Look", "Haarpflege"),
        "pl": ("rutyna pielęgnacyjna", "kosmetyki naturalne", "makijaż dzienny", "pielęgnacja włosów"),
        "da": ("hudplejerutine", "naturlig kosmetik", "makeup-look", "hårpleje"),
        "nl": ("huidverzorgingsroutine", "natuurlijke cosmetica", "make-up look", "haarverzorging"),
        "fr": ("routine soin", "cosmétiques bio", "maquillage naturel", "soin des cheveux"),
        "en": ("skincare routine", "clean beauty", "makeup look", "hair care"),
    },
    "gaming": {
        "de": ("Koop-Abend", "Speedrun", "Retro-Konsole", "Indie-Spiel"),
        "pl": ("wieczór co-op", "speedrun", "konsola retro", "gra indie"),
        "da": ("co-op aften", "speedrun", "retrokonsol", "indiespil"),
        "nl": ("co-op avond", "speedrun", "retroconsole", "indiegame"),
        "fr": ("soirée coop", "speedrun", "console rétro", "jeu indé"),
        "en": ("co-op night", "speedrun", "retro console", "indie game"),
    },
}
HASHTAGS = {
    "food": {"de": ("veganbacken", "rezepte", "kuchen"), "pl": ("wegańskie", "przepisy", "ciasto"),
             "da": ("opskrift", "bagning", "veganskmad"), "nl": ("recept", "bakken", "veganistisch"),
             "fr": ("recette", "patisserie", "cuisinevegan"), "en": ("vegan", "baking", "recipe")},
    "fitness": {"de": ("fitness", "training", "laufen"), "pl": ("trening", "fitness", "bieganie"),
                "da": ("træning", "fitness", "løb"), "nl": ("sporten", "fitness", "hardlopen"),
                "fr": ("sport", "musculation", "running"), "en": ("fitness", "workout", "running")},
    "fashion": {"de": ("mode", "outfit", "secondhand"), "pl": ("moda", "stylizacja", "vintage"),
                "da": ("mode", "outfit", "genbrug"), "nl": ("mode", "outfit", "tweedehands"),
                "fr": ("mode", "tenue", "friperie"), "en": ("fashion", "ootd", "thrifted")},
    "travel": {"de": ("reisen", "wandern", "urlaub"), "pl": ("podróże", "góry", "wakacje"),
               "da": ("rejser", "vandring", "ferie"), "nl": ("reizen", "wandelen", "vakantie"),
               "fr": ("voyage", "randonnee", "vacances"), "en": ("travel", "hiking", "wanderlust")},
    "beauty": {"de": ("hautpflege", "naturkosmetik", "beauty"), "pl": ("pielęgnacja", "kosmetyki", "uroda"),
               "da": ("hudpleje", "skønhed", "makeup"), "nl": ("huidverzorging", "beauty", "makeup"),
               "fr": ("beaute", "soinvisage", "maquillage"), "en": ("skincare", "beauty", "makeup")},
    "gaming": {"de": ("gaming", "zocken", "videospiele"), "pl": ("gry", "gaming", "granie"),
               "da": ("gaming", "spil", "konsol"), "nl": ("gaming", "games", "gamen"),
               "fr": ("jeuxvideo", "gaming", "gamer"), "en": ("gaming", "gamer", "videogames")},
}
CAPTIONS = {
    "de": ("Heute gibt es {noun} {emoji}", "Neu auf dem Blog: {noun}. Was meint ihr?",
           "{noun} – mein Wochenhighlight {emoji}", "Endlich wieder {noun} in {city}!"),
    "pl": ("Dzisiaj {noun} {emoji}", "Nowy wpis: {noun}. Co myślicie?",
           "{noun} – mój hit tygodnia {emoji}", "Znowu {noun} w {city}!"),
    "da": ("I dag: {noun} {emoji}", "Nyt opslag: {noun}. Hvad synes I?",
           "{noun} – ugens højdepunkt {emoji}", "Endelig {noun} i {city}!"),
    "nl": ("Vandaag: {noun} {emoji}", "Nieuw op de blog: {noun}. Wat vinden jullie?",
           "{noun} – mijn hoogtepunt van de week {emoji}", "Eindelijk weer {noun} in {city}!"),
    "fr": ("Aujourd'hui : {noun} {emoji}", "Nouveau sur le blog : {noun}. Vous en pensez quoi ?",
           "{noun}, mon coup de cœur de la semaine {emoji}", "Enfin {noun} à {city} !"),
    "en": ("Today: {noun} {emoji}", "New on the blog: {noun}. What do you think?",
           "{noun} – my highlight of the week {emoji}", "Finally {noun} in {city}!"),
}
EMOJI = ("🌱", "✨", "❤️", "🔥", "😍", "🙌", "☀️", "🍂")
BIOS = {
    "de": ("{noun} & mehr aus {city}", "Ich teile {noun} und Alltag | {city}", "{noun} ✨ Kooperationen per DM"),
    "pl": ("{noun} i nie tylko | {city}", "Dzielę się: {noun} | {city}", "{noun} ✨ współpraca: DM"),
    "da": ("{noun} og meget mere | {city}", "Jeg deler {noun} | {city}", "{noun} ✨ samarbejde: DM"),
    "nl": ("{noun} en meer uit {city}", "Ik deel {noun} | {city}", "{noun} ✨ samenwerking via DM"),
    "fr": ("{noun} et plus depuis {city}", "Je partage {noun} | {city}", "{noun} ✨ collab en DM"),
    "en": ("{noun} and more from {city}", "Sharing {noun} | {city}", "{noun} ✨ collabs via DM"),
}
AUDIENCE_BIOS = {
    "de": ("Kaffee, Bücher, Katzen", "Studentin in {city}", "Papa, Radfahrer"),
    "pl": ("Kawa i książki", "Studentka z {city}", "Tata, rowerzysta"),
    "da": ("Kaffe og bøger", "Studerende i {city}", "Far og cyklist"),
    "nl": ("Koffie en boeken", "Student in {city}", "Vader, fietser"),
    "fr": ("Café et livres", "Étudiante à {city}", "Papa, cycliste"),
    "en": ("Coffee and books", "Student in {city}", "Dad, cyclist"),
}
COMMENTS = {
    "de": ("Das {noun} sieht richtig gut aus!", "Wie lange hat das gedauert?", "Muss ich am Wochenende ausprobieren",
           "Wo bekommt man das in {city}?", "Hab's nachgemacht, hat super geklappt", "Danke fürs Teilen!"),
    "pl": ("{noun} wygląda świetnie!", "Ile to trwało?", "Muszę spróbować w weekend",
           "Gdzie to kupić w {city}?", "Zrobiłam i wyszło super", "Dzięki, że się dzielisz!"),
    "da": ("{noun} ser virkelig godt ud!", "Hvor lang tid tog det?", "Det må jeg prøve i weekenden",
           "Hvor får man det i {city}?", "Jeg prøvede det, og det virkede", "Tak fordi du deler!"),
    "nl": ("{noun} ziet er echt goed uit!", "Hoe lang duurde dat?", "Ga ik dit weekend proberen",
           "Waar koop je dat in {city}?", "Nagemaakt en het lukte", "Bedankt voor het delen!"),
    "fr": ("{noun}, ça a l'air trop bon !", "Ça prend combien de temps ?", "Je teste ce week-end",
           "On trouve ça où à {city} ?", "Je l'ai refait, top", "Merci du partage !"),
    "en": ("That {noun} looks so good!", "How long did it take?", "Trying this at the weekend",
           "Where do you get that in {city}?", "Made it and it worked", "Thanks for sharing!"),
}
REPLIES = {
    "de": ("Danke dir! ❤️", "Freut mich total!", "Gerne, sag Bescheid wie's war!"),
    "pl": ("Dziękuję! ❤️", "Bardzo się cieszę!", "Daj znać, jak wyszło!"),
    "da": ("Tak! ❤️", "Hvor dejligt!", "Sig til hvordan det gik!"),
    "nl": ("Dankjewel! ❤️", "Wat leuk!", "Laat weten hoe het ging!"),
    "fr": ("Merci beaucoup ! ❤️", "Trop contente !", "Dis-moi ce que ça donne !"),
    "en": ("Thank you! ❤️", "So glad you like it!", "Let me know how it goes!"),
}
# Template praise and emoji-only comments: what comment farms and pods write.
GENERIC_COMMENTS = ("Nice pic 🔥", "Love this ❤️", "😍😍😍", "Great post!", "Amazing 👏", "🔥🔥🔥",
                    "Beautiful ✨", "Wow!", "Super 👍", "Awesome content!", "❤️❤️", "So cool 😎",
                    "Great content! Keep it up 🙌", "Nice 👌", "Stunning 😍")
POD_COMMENTS = ("Great content! 🔥", "Love this so much ❤️", "Amazing as always 👏", "Yes!! 🙌",
                "So inspiring ✨", "Obsessed 😍")
FRIEND_COMMENTS = {
    "de": ("Haha, das war so ein schöner Abend 😄", "Nächstes Mal komm ich mit!", "Wann sehen wir uns wieder?"),
    "pl": ("Haha, to był super wieczór 😄", "Następnym razem idę z tobą!", "Kiedy się widzimy?"),
    "da": ("Haha, det var en skøn aften 😄", "Næste gang tager jeg med!", "Hvornår ses vi?"),
    "nl": ("Haha, wat een leuke avond was dat 😄", "Volgende keer ga ik mee!", "Wanneer zien we elkaar weer?"),
    "fr": ("Haha, quelle belle soirée 😄", "La prochaine fois je viens !", "On se voit quand ?"),
    "en": ("Haha, what a night that was 😄", "Next time I'm coming with you!", "When are we meeting up?"),
}
GIVEAWAY = {
    "de": "GEWINNSPIEL 🎁 Folgt mir und markiert zwei Freunde!",
    "pl": "KONKURS 🎁 Obserwuj i oznacz dwie osoby!",
    "da": "KONKURRENCE 🎁 Følg mig og tag to venner!",
    "nl": "WINACTIE 🎁 Volg mij en tag twee vrienden!",
    "fr": "CONCOURS 🎁 Abonne-toi et identifie deux amis !",
    "en": "GIVEAWAY 🎁 Follow me and tag two friends!",
}
GIVEAWAY_COMMENTS = ("Ich mache mit! @{friend}", "Biorę udział! @{friend}", "Jeg er med! @{friend}",
                     "Ik doe mee! @{friend}", "Je participe ! @{friend}", "I'm in! @{friend}")
# Disclosure of paid posts as creators write it in each language.
DISCLOSURE_TAGS = {
    "de": ("#anzeige", "#werbung"), "pl": ("#reklama", "#współpraca"), "da": ("#reklame", "#annonce"),
    "nl": ("#advertentie", "#gesponsord"), "fr": ("#publicité", "#sponsorisé"), "en": ("#ad", "#sponsored"),
}
DISCLOSURE_PHRASES = {
    "de": "Bezahlte Partnerschaft mit", "pl": "Płatna współpraca z", "da": "Betalt samarbejde med",
    "nl": "Betaalde samenwerking met", "fr": "Partenariat rémunéré avec", "en": "Paid partnership with",
}
CODE_PHRASES = {
    "de": "Mit dem Code {code} bekommt ihr 15 % Rabatt bei @{brand}",
    "pl": "Z kodem {code} macie -15% w @{brand}",
    "da": "Brug koden {code} og få 15 % rabat hos @{brand}",
    "nl": "Met de code {code} krijg je 15% korting bij @{brand}",
    "fr": "Avec le code {code}, -15 % chez @{brand}",
    "en": "Use code {code} for 15% off at @{brand}",
}
SPONSORED_LINES = {
    "de": "Ich liebe die neuen Sachen von @{brand}", "pl": "Uwielbiam nowości od @{brand}",
    "da": "Jeg elsker de nye ting fra @{brand}", "nl": "Ik ben fan van de nieuwe spullen van @{brand}",
    "fr": "J'adore les nouveautés de @{brand}", "en": "Loving the new range from @{brand}",
}
EMPLOYEE_BIOS = {
    "de": "Arbeite bei @{brand} in {city}", "pl": "Pracuję w @{brand}, {city}", "da": "Arbejder hos @{brand} i {city}",
    "nl": "Werk bij @{brand} in {city}", "fr": "Je travaille chez @{brand} à {city}", "en": "Working at @{brand} in {city}",
}
EMPLOYEE_POSTS = {
    "de": "Schicht bei @{brand} heute – bestes Team {emoji}", "pl": "Dzisiaj zmiana w @{brand} – najlepszy zespół {emoji}",
    "da": "Vagt hos @{brand} i dag – bedste team {emoji}", "nl": "Dienst bij @{brand} vandaag – beste team {emoji}",
    "fr": "Journée chez @{brand} – meilleure équipe {emoji}", "en": "Shift at @{brand} today – best team {emoji}",
}
TAGGER_POSTS = {
    "de": "Mein neuer Lieblingsladen: @{brand} {emoji}", "pl": "Moje nowe ulubione miejsce: @{brand} {emoji}",
    "da": "Mit nye yndlingssted: @{brand} {emoji}", "nl": "Mijn nieuwe favoriet: @{brand} {emoji}",
    "fr": "Ma nouvelle adresse préférée : @{brand} {emoji}", "en": "My new favourite: @{brand} {emoji}",
}
FIRST_NAMES = {
    "de": ("lena", "jonas", "mia", "felix", "hanna", "paul"), "pl": ("ola", "kasia", "piotr", "marta", "kuba", "zosia"),
    "da": ("freja", "mads", "ida", "emil", "sofie", "oscar"), "nl": ("sanne", "daan", "lotte", "bram", "fleur", "sem"),
    "fr": ("chloe", "lucas", "manon", "hugo", "lea", "jules"), "en": ("emma", "jack", "lily", "noah", "grace", "leo"),
}
HANDLE_WORDS = {"food": ("bakes", "kitchen", "eats", "cooks"), "fitness": ("fit", "runs", "moves", "lifts"),
                "fashion": ("style", "wears", "closet", "looks"), "travel": ("travels", "roams", "trips", "goes"),
                "beauty": ("glow", "beauty", "skin", "makeup"), "gaming": ("plays", "games", "gg", "pixel")}
BRAND_WORDS = {"food": ("bakery", "kitchen", "foods"), "fitness": ("gym", "sports", "active"),
               "fashion": ("wear", "studio", "label"), "travel": ("trips", "rail", "travel"),
               "beauty": ("cosmetics", "skin", "care"), "gaming": ("games", "play", "arcade")}
BRAND_STEMS = ("korn", "blume", "nord", "lumi", "vita", "oak", "fjord", "mosa", "rivo", "sola", "kilo", "tavi")
