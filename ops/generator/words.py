"""Names, documents, plates and narrative sentences of the synthetic records. All people are invented."""

from __future__ import annotations

# nationality -> (first names, surnames)
NAMES = {
    "Uzbekistan": (
        [
            "Alisher",
            "Rustam",
            "Bakhodir",
            "Jasur",
            "Sardor",
            "Otabek",
            "Akmal",
            "Dilshod",
            "Farrukh",
            "Sherzod",
            "Ulugbek",
            "Bekzod",
            "Jamshid",
            "Nodir",
            "Sanjar",
            "Timur",
            "Aziz",
            "Islom",
            "Anvar",
            "Ravshan",
            "Dilnoza",
            "Gulnora",
            "Nilufar",
            "Malika",
            "Madina",
            "Feruza",
        ],
        [
            "Karimov",
            "Yusupov",
            "Rakhimov",
            "Abdullaev",
            "Usmonov",
            "Nazarov",
            "Ergashev",
            "Sobirov",
            "Mirzaev",
            "Tursunov",
            "Kholmatov",
            "Juraev",
            "Saidov",
            "Ismoilov",
            "Rasulov",
            "Alimov",
            "Qodirov",
            "Akhmedov",
            "Umarov",
            "Sultanov",
            "Toshmatov",
            "Haydarov",
            "Kim",
            "Pak",
        ],
    ),
    "Tajikistan": (
        [
            "Firdavs",
            "Rahmon",
            "Sohib",
            "Daler",
            "Farhod",
            "Jamshed",
            "Bahrom",
            "Umed",
            "Parviz",
            "Khurshed",
            "Suhrob",
            "Nigina",
            "Tahmina",
        ],
        [
            "Rahimzoda",
            "Nazarzoda",
            "Saidzoda",
            "Sharipov",
            "Qurbonov",
            "Safarov",
            "Davlatov",
            "Mirzoev",
            "Rajabov",
            "Odinaev",
            "Sattorov",
            "Hasanov",
        ],
    ),
    "Afghanistan": (
        [
            "Ahmad",
            "Mohammad",
            "Abdul Rahim",
            "Gul Agha",
            "Hamid",
            "Naqibullah",
            "Rahmatullah",
            "Sayed",
            "Zabihullah",
            "Ghulam",
            "Noorullah",
            "Jawad",
        ],
        [
            "Noori",
            "Ahmadzai",
            "Popal",
            "Stanekzai",
            "Hotak",
            "Rahimi",
            "Sultani",
            "Hakimi",
            "Qaderi",
            "Amiri",
            "Safi",
            "Wardak",
        ],
    ),
    "Kazakhstan": (
        ["Nurlan", "Yerlan", "Aidos", "Daniyar", "Askar", "Baurzhan", "Arman", "Aigerim", "Aliya"],
        ["Abenov", "Suleimenov", "Zhakupov", "Kassymov", "Omarov", "Akhmetov", "Mukanov", "Iskakov"],
    ),
    "Kyrgyzstan": (
        ["Azamat", "Bakyt", "Nurbek", "Talant", "Kubanych", "Emil", "Aibek", "Cholpon"],
        ["Asanov", "Usenov", "Sydykov", "Mamatov", "Abdrakhmanov", "Zhumabaev", "Osmonov"],
    ),
    "Russia": (
        ["Sergey", "Aleksandr", "Dmitriy", "Andrey", "Vladimir", "Igor", "Oleg", "Pavel", "Olga", "Irina"],
        ["Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov", "Volkov"],
    ),
    "Turkmenistan": (
        ["Merdan", "Berdi", "Myrat", "Serdar", "Dovlet", "Maral"],
        ["Annayev", "Berdiyev", "Orazov", "Gurbanov", "Atayev", "Hojayev"],
    ),
    "Turkey": (["Mehmet", "Ahmet", "Mustafa", "Emre", "Burak", "Ayse"], ["Yilmaz", "Kaya", "Demir", "Sahin", "Celik"]),
    "Pakistan": (["Bilal", "Usman", "Tariq", "Faisal", "Asif"], ["Ahmed", "Hussain", "Malik", "Qureshi", "Butt"]),
    "India": (["Rahul", "Amit", "Vikram", "Suresh", "Priya"], ["Sharma", "Verma", "Gupta", "Singh", "Patel"]),
}

# nationality -> Russian genitive, for the Russian sentences ("гражданин Таджикистана")
NATIONALITY_RU = {
    "Uzbekistan": "Узбекистана",
    "Tajikistan": "Таджикистана",
    "Afghanistan": "Афганистана",
    "Kazakhstan": "Казахстана",
    "Kyrgyzstan": "Кыргызстана",
    "Russia": "России",
    "Turkmenistan": "Туркменистана",
    "Turkey": "Турции",
    "Pakistan": "Пакистана",
    "India": "Индии",
}

# document number shapes: letters prefix choices, digit count
DOCUMENTS = {
    "Uzbekistan": (("AA", "AB", "AC", "AD", "FA"), 7),
    "Tajikistan": (("A",), 8),
    "Afghanistan": (("P0",), 7),
    "Kazakhstan": (("N",), 8),
    "Kyrgyzstan": (("AC", "PE"), 7),
    "Russia": (("",), 9),
    "Turkmenistan": (("A",), 7),
    "Turkey": (("U",), 8),
    "Pakistan": (("AB", "CK"), 7),
    "India": (("K", "M"), 7),
}

UZ_REGIONS = ["01", "10", "20", "25", "30", "40", "50", "60", "70", "75", "80", "85", "90", "95"]
LETTERS = "ABCDEFHKLMNOPRSTUXYZ"
AFGHAN_PROVINCES = ("BLK", "KBL", "KDZ", "HRT")

CARRIER = {
    "truck": "a truck",
    "car": "a car",
    "bus": "a coach",
    "train": "a freight wagon",
    "pedestrian": "a pedestrian",
    "postal": "a parcel",
    "air passenger": "an air passenger",
    "air cargo": "an air cargo consignment",
}
PERSON_ROLE = {
    "truck": "driver",
    "car": "driver",
    "bus": "passenger",
    "train": "passenger",
    "pedestrian": "traveller",
    "postal": "recipient",
    "air passenger": "passenger",
    "air cargo": "consignee",
}

# Each sentence list is keyed by its place in the narrative; {fields} come from the row.
OPENING = [
    "{team} officers stopped {carrier} at {place} and found {what} {concealment}.",
    "During a joint inspection at {place}, {agency_short} officers discovered {what} {concealment}.",
    "X-ray screening of {carrier} travelling from {origin} to {destination} showed anomalies; a search found {what}.",
    "Acting on a tip-off, the {team} intercepted {carrier} near {place} carrying {what}.",
    "A sniffer dog indicated on {carrier}, leading officers to {what} {concealment}.",
    "Risk profiling flagged {carrier} on the {origin}-{destination} route; inspection at {place} uncovered {what}.",
    "A controlled delivery that began in {origin} ended at {place} with the seizure of {what}.",
    "A document check of {carrier} at {place} led to a full search; {what} was found {concealment}.",
]
PERSON = [
    "The {role}, {person} ({nationality}), was detained.",
    "{person} claimed not to know the contents and was taken for questioning.",
    "The suspect, {person}, tried to flee but was stopped by {agency_short} officers.",
    "{person} (document {document}) was arrested; accomplices are being sought.",
]
NOBODY = [
    "No suspect was present; the consignment was declared abandoned.",
    "The sender could not be identified; the item was seized for examination.",
]
FOLLOW_UP = [
    "A criminal case was opened.",
    "Samples were sent to the forensic laboratory.",
    "Information was shared with partner agencies through the BLO channel.",
    "The route and concealment method match earlier cases.",
]
IMPOUNDED = "The vehicle {plate} and its documents were impounded."
WHERE = {"body carry": "strapped to the body", "swallowed capsules": "in swallowed capsules"}
RUSSIAN = [
    "Возбуждено уголовное дело.",
    "Задержанный дал признательные показания.",
    "Образцы направлены на экспертизу.",
    "Груз обнаружен при рентгеновском досмотре.",
    "Изъятое направлено на исследование.",
    "Проводятся оперативно-розыскные мероприятия.",
]
RUSSIAN_PERSON = "Гражданин {nationality_ru} задержан на месте."
AGENCY_SHORT = {
    "State Customs Committee": "customs",
    "State Security Service": "security service",
    "Ministry of Internal Affairs": "police",
    "State Border Service": "border guard",
    "National Drug Control Centre": "drug-control centre",
}
