"""The weights behind the generator: who works where, what is seized where, and how much.

Places are those of ops.place_seed.PLACES (by code; the seed of the register). Team and agency names are
those of the demo organisations (ops/demo.py); a test keeps the two in step,
because this ground-floor module may not import the demo. Commodity names are
the spreadsheet names that vocab.commodity_code() accepts.
"""

from __future__ import annotations

AGENCIES = [
    "State Customs Committee",
    "State Security Service",
    "Ministry of Internal Affairs",
    "State Border Service",
    "National Drug Control Centre",
]
SECURITY_SERVICE = "State Security Service"

# profile -> agency weights, in the order of AGENCIES (the drug-control centre rarely seizes itself)
AGENCY_WEIGHTS = {
    "afghan": [38, 17, 10, 33, 2],
    "tajik": [36, 14, 14, 34, 2],
    "kyrgyz": [34, 10, 24, 30, 2],
    "kazakh": [44, 10, 20, 24, 2],
    "turkmen": [40, 10, 14, 34, 2],
    "airport": [64, 15, 10, 8, 3],
    "postal": [78, 10, 9, 0, 3],
    "inland": [14, 20, 58, 5, 3],
}

# team code, team name, activity weight, {place code: weight}
TEAMS = [
    ("IMT-TER", "IMT Termez", 14, {"AYRITOM": 40, "TERMEZ_CARGO": 30, "SHEROBOD": 30}),
    ("BLO-AYR", "BLO Ayritom", 12, {"AYRITOM": 85, "GALABA": 15}),
    ("IMT-GAL", "IMT Galaba rail", 6, {"GALABA": 90, "AYRITOM": 10}),
    ("BLO-SAR", "BLO Sariosiyo", 9, {"SARIOSIYO": 90, "SHEROBOD": 10}),
    ("BLO-OYB", "BLO Oybek", 9, {"OYBEK": 90, "CHINAZ": 10}),
    ("IMT-SAM", "IMT Samarkand", 6, {"JARTEPA": 65, "SKD_AIRPORT": 15, "GUZAR": 20}),
    ("IMT-TAS", "IMT Tashkent", 10, {"YALLAMA": 25, "KELES": 30, "CHINAZ": 20, "TAS_YUZHNY": 25}),
    ("IMT-TAP", "IMT Tashkent Airport", 10, {"TAS_AIRPORT": 90, "TAS_MAIL": 10}),
    ("IMT-PST", "IMT Postal Tashkent", 5, {"TAS_MAIL": 100}),
    ("IMT-AND", "IMT Andijan", 7, {"DUSTLIK": 70, "UCHKURGAN": 30}),
    ("BLO-UCH", "BLO Uchkurgan", 5, {"UCHKURGAN": 90, "DUSTLIK": 10}),
    ("IMT-BUK", "IMT Bukhara", 4, {"ALAT": 85, "GUZAR": 15}),
    ("IMT-KKP", "IMT Karakalpakstan", 3, {"DAUT_OTA": 100}),
]

COUNTRY_PROFILE = {"AF": "afghan", "TJ": "tajik", "KG": "kyrgyz", "KZ": "kazakh", "TM": "turkmen"}
KIND_PROFILE = {"airport": "airport", "postal": "postal", "rail": "inland", "road": "inland"}

# how goods cross, by place kind, with a few places of their own
CONVEYANCE_BY_KIND = {
    "bcp": {"truck": 45, "car": 30, "pedestrian": 20, "bus": 5},
    "rail": {"train": 92, "pedestrian": 8},
    "airport": {"air passenger": 86, "air cargo": 10, "postal": 4},
    "postal": {"postal": 100},
    "road": {"truck": 40, "car": 50, "bus": 10},
}
CONVEYANCE_BY_PLACE = {"TERMEZ_CARGO": {"truck": 90, "car": 10}, "DAUT_OTA": {"truck": 55, "car": 20, "train": 25}}

# commodity -> [(unit, weight, median, sigma, decimals)]; decimals 0 = whole numbers
UNITS = {
    "heroin": [("kg", 75, 1.8, 1.2, 3), ("g", 25, 40, 1.0, 1)],
    "opium": [("kg", 85, 4.0, 1.2, 3), ("g", 15, 120, 1.0, 1)],
    "hashish": [("kg", 80, 3.0, 1.2, 3), ("g", 20, 60, 1.0, 1)],
    "marijuana": [("kg", 70, 2.5, 1.3, 3), ("g", 30, 150, 1.0, 1)],
    "cannabis plants": [("plants", 100, 120, 1.0, 0)],
    "poppy straw": [("kg", 100, 8.0, 1.1, 2)],
    "methamphetamine": [("g", 55, 40, 1.2, 1), ("kg", 35, 1.2, 1.1, 3), ("tablets", 10, 500, 1.0, 0)],
    "mephedrone": [("g", 85, 25, 1.1, 1), ("kg", 15, 0.8, 1.0, 3)],
    "alpha-PVP": [("g", 100, 15, 1.1, 1)],
    "synthetic cannabinoids": [("g", 100, 50, 1.1, 1)],
    "cocaine": [("g", 100, 300, 1.0, 1)],
    "tramadol tablets": [("tablets", 100, 600, 1.1, 0)],
    "pregabalin capsules": [("tablets", 100, 400, 1.0, 0)],
    "codeine syrup": [("l", 100, 2.0, 0.8, 2)],
    "acetic anhydride": [("l", 100, 400, 1.0, 1)],
    "ephedrine": [("kg", 100, 3.0, 1.0, 3)],
    "pseudoephedrine tablets": [("tablets", 100, 5000, 1.0, 0)],
    "sulphuric acid": [("l", 100, 200, 1.0, 1)],
    "potassium permanganate": [("kg", 100, 50, 1.0, 2)],
    "pistol": [("pieces", 100, 1.0, 0.5, 0)],
    "assault rifle": [("pieces", 100, 1.0, 0.6, 0)],
    "hunting rifle": [("pieces", 100, 1.0, 0.4, 0)],
    "hand grenade": [("pieces", 100, 1.5, 0.6, 0)],
    "7.62 mm cartridges": [("rounds", 100, 80, 1.0, 0)],
    "9 mm cartridges": [("rounds", 100, 40, 1.0, 0)],
    "12-gauge shotgun shells": [("rounds", 100, 50, 0.9, 0)],
    "undeclared USD cash": [("USD", 100, 25000, 1.0, 0)],
    "undeclared EUR cash": [("EUR", 100, 18000, 1.0, 0)],
    "undeclared RUB cash": [("RUB", 100, 900000, 1.0, 0)],
    "counterfeit cigarettes": [("pieces", 100, 2500, 1.1, 0)],
    "mobile phones": [("pieces", 100, 40, 1.0, 0)],
    "gold jewellery": [("g", 100, 800, 1.0, 1)],
    "counterfeit medicines": [("pieces", 100, 300, 1.0, 0)],
    "saker falcons": [("pieces", 100, 2.0, 0.6, 0)],
    "prohibited extremist literature": [("pieces", 100, 30, 1.0, 0)],
    "forged documents": [("pieces", 100, 3.0, 0.6, 0)],
}

# profile -> commodity weights (before 2023)
COMMODITY_WEIGHTS = {
    "afghan": {
        "heroin": 32,
        "opium": 14,
        "hashish": 16,
        "marijuana": 4,
        "poppy straw": 1,
        "methamphetamine": 4,
        "tramadol tablets": 2,
        "acetic anhydride": 4,
        "sulphuric acid": 1,
        "ephedrine": 1,
        "pistol": 1,
        "assault rifle": 1.5,
        "hand grenade": 0.5,
        "7.62 mm cartridges": 3,
        "undeclared USD cash": 5,
        "counterfeit cigarettes": 4,
        "mobile phones": 3,
        "gold jewellery": 1,
        "counterfeit medicines": 2,
    },
    "tajik": {
        "heroin": 14,
        "opium": 10,
        "hashish": 18,
        "marijuana": 8,
        "poppy straw": 2,
        "methamphetamine": 3,
        "tramadol tablets": 4,
        "pregabalin capsules": 2,
        "acetic anhydride": 2,
        "undeclared USD cash": 6,
        "undeclared RUB cash": 3,
        "counterfeit cigarettes": 5,
        "mobile phones": 4,
        "gold jewellery": 2,
        "pistol": 1,
        "9 mm cartridges": 1.5,
        "hunting rifle": 1,
        "prohibited extremist literature": 1,
        "forged documents": 1,
    },
    "kyrgyz": {
        "hashish": 18,
        "marijuana": 20,
        "cannabis plants": 3,
        "heroin": 5,
        "opium": 3,
        "synthetic cannabinoids": 6,
        "mephedrone": 3,
        "tramadol tablets": 6,
        "pregabalin capsules": 3,
        "undeclared USD cash": 5,
        "counterfeit cigarettes": 8,
        "mobile phones": 6,
        "9 mm cartridges": 1.5,
        "12-gauge shotgun shells": 2,
        "hunting rifle": 1.5,
        "prohibited extremist literature": 1.5,
        "counterfeit medicines": 3,
        "forged documents": 1,
    },
    "kazakh": {
        "mephedrone": 10,
        "alpha-PVP": 8,
        "synthetic cannabinoids": 8,
        "methamphetamine": 4,
        "hashish": 5,
        "heroin": 3,
        "marijuana": 4,
        "tramadol tablets": 8,
        "pregabalin capsules": 6,
        "pseudoephedrine tablets": 2,
        "ephedrine": 2,
        "potassium permanganate": 1,
        "codeine syrup": 2,
        "undeclared USD cash": 8,
        "undeclared RUB cash": 6,
        "undeclared EUR cash": 2,
        "counterfeit cigarettes": 6,
        "mobile phones": 5,
        "gold jewellery": 2,
        "forged documents": 2,
    },
    "turkmen": {
        "heroin": 6,
        "opium": 10,
        "hashish": 6,
        "tramadol tablets": 6,
        "methamphetamine": 4,
        "counterfeit cigarettes": 10,
        "undeclared USD cash": 6,
        "gold jewellery": 3,
        "mobile phones": 4,
        "forged documents": 2,
        "7.62 mm cartridges": 1,
        "counterfeit medicines": 3,
    },
    "airport": {
        "tramadol tablets": 22,
        "pregabalin capsules": 12,
        "methamphetamine": 5,
        "cocaine": 3,
        "heroin": 2,
        "hashish": 2,
        "synthetic cannabinoids": 3,
        "mephedrone": 2,
        "codeine syrup": 3,
        "undeclared USD cash": 16,
        "undeclared EUR cash": 6,
        "undeclared RUB cash": 3,
        "gold jewellery": 10,
        "mobile phones": 4,
        "counterfeit medicines": 5,
        "saker falcons": 2,
    },
    "postal": {
        "tramadol tablets": 20,
        "pregabalin capsules": 12,
        "synthetic cannabinoids": 12,
        "mephedrone": 10,
        "alpha-PVP": 8,
        "methamphetamine": 4,
        "marijuana": 4,
        "counterfeit medicines": 10,
        "pseudoephedrine tablets": 3,
        "codeine syrup": 3,
        "prohibited extremist literature": 3,
        "mobile phones": 3,
        "forged documents": 3,
    },
    "inland": {
        "heroin": 8,
        "opium": 6,
        "hashish": 14,
        "marijuana": 14,
        "cannabis plants": 4,
        "poppy straw": 5,
        "methamphetamine": 6,
        "mephedrone": 6,
        "alpha-PVP": 4,
        "synthetic cannabinoids": 6,
        "tramadol tablets": 8,
        "pregabalin capsules": 4,
        "pistol": 2,
        "hunting rifle": 2,
        "9 mm cartridges": 2,
        "12-gauge shotgun shells": 2,
        "hand grenade": 0.5,
        "undeclared USD cash": 4,
        "counterfeit cigarettes": 5,
        "gold jewellery": 1,
        "prohibited extremist literature": 2,
        "forged documents": 2,
    },
}
# from 2023 the Afghan poppy ban cuts opiates while synthetic drugs rise
FROM_2023 = {
    "heroin": 0.55,
    "opium": 0.5,
    "poppy straw": 0.5,
    "methamphetamine": 2.2,
    "mephedrone": 1.4,
    "alpha-PVP": 1.4,
    "synthetic cannabinoids": 1.4,
}

# quantity scale by conveyance: bulk in trucks and trains, grams on a body or in the post
SCALE = {
    "truck": 3.0,
    "train": 4.0,
    "car": 1.0,
    "bus": 0.5,
    "pedestrian": 0.15,
    "postal": 0.05,
    "air passenger": 0.2,
    "air cargo": 1.5,
}

CONCEALMENT = {
    "truck": [
        "false floor",
        "fuel tank",
        "among a cargo of onions",
        "spare tyre",
        "cab sleeper compartment",
        "inside cotton bales",
        "refrigeration unit",
        "trailer roof cavity",
        "among a cargo of dried fruit",
    ],
    "car": [
        "false floor",
        "fuel tank",
        "door panels",
        "spare tyre",
        "under the rear seat",
        "dashboard",
        "bumper cavity",
        "gas cylinder",
        "boot lining",
    ],
    "bus": ["luggage compartment among passengers' bags", "under a seat", "roof cavity", "hand luggage"],
    "train": [
        "behind wagon panelling",
        "among a cargo of grain",
        "passenger compartment ceiling",
        "coal load",
        "conductor's compartment",
    ],
    "pedestrian": [
        "body carry",
        "hand luggage",
        "sewn into clothing",
        "shoes",
        "swallowed capsules",
        "food containers",
    ],
    "postal": [
        "parcel declared as clothing",
        "inside toys",
        "vitamin bottles",
        "cosmetics jars",
        "inside books",
        "auto parts",
        "parcel declared as tea",
    ],
    "air passenger": [
        "checked baggage",
        "false-bottom suitcase",
        "body carry",
        "swallowed capsules",
        "hand luggage",
        "among personal medicines",
        "sewn into clothing",
    ],
    "air cargo": ["among legitimate cargo", "misdeclared consignment", "inside machine parts"],
}

# profile -> nationality weights (English country names, as spreadsheets write them)
NATIONALITY_WEIGHTS = {
    "afghan": {"Uzbekistan": 55, "Afghanistan": 36, "Tajikistan": 4, "Pakistan": 3, "Kazakhstan": 2},
    "tajik": {"Uzbekistan": 50, "Tajikistan": 42, "Afghanistan": 3, "Russia": 3, "Kyrgyzstan": 2},
    "kyrgyz": {"Uzbekistan": 55, "Kyrgyzstan": 38, "Tajikistan": 3, "Kazakhstan": 2, "Russia": 2},
    "kazakh": {"Uzbekistan": 55, "Kazakhstan": 30, "Russia": 10, "Kyrgyzstan": 2, "Tajikistan": 3},
    "turkmen": {"Uzbekistan": 55, "Turkmenistan": 37, "Afghanistan": 4, "Turkey": 4},
    "airport": {
        "Uzbekistan": 55,
        "Russia": 10,
        "Turkey": 9,
        "India": 8,
        "Pakistan": 5,
        "Tajikistan": 5,
        "Afghanistan": 3,
        "Kazakhstan": 5,
    },
    "postal": {"Uzbekistan": 82, "Russia": 6, "Kazakhstan": 4, "India": 4, "Turkey": 4},
    "inland": {"Uzbekistan": 82, "Tajikistan": 6, "Kyrgyzstan": 4, "Kazakhstan": 3, "Afghanistan": 3, "Russia": 2},
}

# profile -> (origin weights, destination weights)
ROUTES = {
    "afghan": (
        {"Afghanistan": 80, "Uzbekistan": 12, "Pakistan": 8},
        {"Uzbekistan": 45, "Kazakhstan": 20, "Russia": 30, "Afghanistan": 5},
    ),
    "tajik": (
        {"Tajikistan": 72, "Afghanistan": 18, "Uzbekistan": 10},
        {"Uzbekistan": 55, "Kazakhstan": 15, "Russia": 25, "Tajikistan": 5},
    ),
    "kyrgyz": (
        {"Kyrgyzstan": 70, "Uzbekistan": 20, "China": 10},
        {"Uzbekistan": 70, "Kyrgyzstan": 15, "Russia": 10, "Kazakhstan": 5},
    ),
    "kazakh": (
        {"Uzbekistan": 45, "Kazakhstan": 35, "Russia": 15, "Kyrgyzstan": 5},
        {"Kazakhstan": 40, "Russia": 35, "Uzbekistan": 25},
    ),
    "turkmen": (
        {"Turkmenistan": 60, "Iran": 20, "Afghanistan": 10, "Uzbekistan": 10},
        {"Uzbekistan": 75, "Kazakhstan": 10, "Russia": 10, "Turkmenistan": 5},
    ),
    "airport": (
        {
            "Turkey": 18,
            "United Arab Emirates": 18,
            "India": 14,
            "Russia": 14,
            "Uzbekistan": 16,
            "Pakistan": 6,
            "China": 6,
            "Germany": 4,
            "Iran": 4,
        },
        {"Uzbekistan": 60, "Russia": 14, "Turkey": 10, "United Arab Emirates": 8, "Kazakhstan": 8},
    ),
    "postal": (
        {
            "India": 25,
            "China": 20,
            "Russia": 15,
            "Turkey": 10,
            "Germany": 8,
            "Netherlands": 7,
            "Kazakhstan": 8,
            "United States": 7,
        },
        {"Uzbekistan": 90, "Russia": 5, "Kazakhstan": 5},
    ),
    "inland": (
        {"Uzbekistan": 45, "Tajikistan": 20, "Afghanistan": 15, "Kyrgyzstan": 10, "Kazakhstan": 10},
        {"Uzbekistan": 60, "Russia": 20, "Kazakhstan": 20},
    ),
}

# operation visibility: mostly agency or partners; the security service keeps more to itself
VISIBILITY_WEIGHTS = {"team": 4, "agency": 50, "partners": 36, "all": 10}
SECURITY_VISIBILITY_WEIGHTS = {"team": 10, "agency": 70, "partners": 17, "all": 3}

YEARS = {2019: 0.95, 2020: 0.6, 2021: 0.8, 2022: 1.0, 2023: 1.1, 2024: 1.2, 2025: 1.25, 2026: 1.3}
MONTHS = [0.7, 0.7, 0.85, 1.0, 1.1, 1.2, 1.25, 1.3, 1.3, 1.2, 1.0, 0.8]  # post-harvest peak
HOURS = [2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 9, 8, 8, 8, 8, 8, 7, 6, 5, 4, 3, 3, 2]
SEIZURES_PER_OPERATION = {1: 45, 2: 25, 3: 14, 4: 8, 5: 4, 6: 2, 7: 1, 8: 1}
