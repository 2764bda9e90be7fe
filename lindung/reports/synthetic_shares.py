"""The shares synthetic data is drawn with (reports/synthetic.py): names, destinations and their
jobs, phases, education, marriage, cases, programmes and outreach. Figures taken from a source
name it; the others are round shares chosen to look like a sending regency's registry."""

FEMALE_NAMES = (
    "Siti Aminah", "Sri", "Dewi", "Nur", "Ani", "Wati", "Rina", "Yuli", "Eka", "Lestari",
    "Wahyuni", "Susanti", "Rahayu", "Kurniasih", "Fitri", "Nurhayati", "Aminah", "Ratna",
    "Endang", "Tri", "Sumarni", "Suryani", "Puji", "Indah", "Lilis", "Yanti", "Nining",
    "Maesaroh", "Khotimah", "Fatimah", "Umi", "Sulastri", "Kartini", "Winarti", "Sumiati",
    "Rohmah", "Mulyani", "Handayani", "Astuti", "Purwanti", "Ningsih", "Hartati", "Sundari",
    "Juwariyah", "Marlina", "Novita", "Dwi", "Ayu", "Putri", "Siti", "Musrifah", "Tuminah",
    "Sukinah", "Darsih", "Karsini", "Rasminah", "Wartini", "Baiq", "Nurul", "Hikmah",
)  # fmt: skip
MALE_NAMES = (
    "Agus", "Budi", "Eko", "Joko", "Slamet", "Bambang", "Hadi", "Dedi", "Rudi", "Andi",
    "Ahmad", "Muhammad", "Suparman", "Sugeng", "Wahyu", "Heru", "Yusuf", "Rahmat", "Hasan",
    "Imam", "Sutrisno", "Sukarman", "Supriyadi", "Darmawan", "Hendra", "Irfan", "Fajar",
    "Taufik", "Rizki", "Arif", "Yanto", "Mulyono", "Purnomo", "Santoso", "Saputra", "Nugroho",
    "Setiawan", "Hidayat", "Kurniawan", "Prasetyo", "Gunawan", "Firmansyah", "Abdul", "Ali",
    "Lalu", "Suharto", "Wagiman", "Paijo", "Tarmizi", "Zainal",
)  # fmt: skip
FEMALE_SHARE = 0.72
SINGLE_NAME_SHARE = 0.25

# Placements of 2024 (BP2MI, January–October) by destination, with the largest jobs there.
DESTINATIONS = {
    "HK": (85674, {"domestic_worker": 80, "caregiver": 20}),
    "TW": (72973, {"caregiver": 45, "factory_worker": 30, "domestic_worker": 10,
                   "fishing_crew": 15}),
    "MY": (40695, {"plantation": 40, "factory_worker": 25, "construction": 20,
                   "domestic_worker": 15}),
    "JP": (10774, {"factory_worker": 40, "caregiver": 30, "nurse": 10, "construction": 20}),
    "SG": (8757, {"domestic_worker": 85, "caregiver": 15}),
    "KR": (8595, {"factory_worker": 70, "fishing_crew": 20, "construction": 10}),
    "SA": (6612, {"domestic_worker": 70, "hospitality": 20, "other": 10}),
    "IT": (2873, {"hospitality": 60, "caregiver": 40}),
    "BN": (2476, {"domestic_worker": 50, "construction": 50}),
    "TR": (2472, {"hospitality": 70, "other": 30}),
    "AE": (1500, {"domestic_worker": 50, "hospitality": 50}),
    "PL": (900, {"factory_worker": 100}),
    "NL": (400, {"merchant_crew": 100}),
}  # fmt: skip
INFORMAL_JOBS = {"domestic_worker", "caregiver"}
MOSTLY_FEMALE_JOBS = {"domestic_worker": 0.97, "caregiver": 0.9, "nurse": 0.8, "hospitality": 0.6}
MOSTLY_MALE_JOBS = {"plantation", "construction", "fishing_crew", "merchant_crew"}
AGENCIES = (
    "PT Sinar Harapan Mandiri", "PT Bina Karya Sejahtera", "PT Mitra Tenaga Utama",
    "PT Cahaya Insani Abadi", "PT Duta Migran Nusantara", "PT Lintas Benua Sentosa",
    "PT Arta Graha Perkasa", "PT Putra Jaya Bersama",
)  # fmt: skip
# Pasal 27 reasons, weighted (death is left out: it is recorded through its own event).
RETURN_REASONS = {
    "contract_ended": 70, "leave": 8, "dismissed": 5, "accident_illness": 4, "abuse": 2,
    "war_disaster": 1, "deported": 5, "other": 5,
}  # fmt: skip
# Known sending provinces weigh more: Lampung, NTB, Central, East and West Java.
PROVINCE_WEIGHTS = {"18": 12, "52": 12, "33": 18, "35": 18, "32": 14}
OTHER_PROVINCE_WEIGHT = 1
PHASES = {"none": 3, "candidate": 14, "abroad": 45, "returned": 38}
NON_PROCEDURAL_SHARE = 0.18
EDUCATION = {"sd": 30, "smp": 35, "sma": 28, "diploma": 4, "s1": 3}
MARITAL = {"single": 30, "married": 55, "divorced": 12, "widowed": 3}

# Realistic shares (the command's help and docs/performance.md state them).
CASE_SHARE = 0.01  # of persons who have ever worked abroad: a complaint recorded
CASE_VERIFIED_SHARE = 0.6  # the others are still as received
ENROLMENT_SHARE = {"candidate": 0.08, "returned": 0.05}  # in a programme of their regency
# Participants a programme takes (`Program.quota`): a batch of a training or an empowerment
# programme is a class, so once one is full the regency starts another.
QUOTA = 30
# An enrolment's draw below 0.6 completes it; below this a vocational training's completion also
# carries a competency certificate (three in four).
CERTIFIED_DRAW = 0.45
# One in this many persons abroad after a procedural formal-sector departure this year trained
# and was certified first (the Quick Win's persons), chosen by person id.
TRAINED_BEFORE_DEPARTURE = 3
PERSONS_PER_SESSION = 100  # one outreach session for every hundred persons registered
CASE_CATEGORIES = {
    "wages_unpaid": 20, "wants_to_return": 15, "work_not_as_contracted": 12,
    "dismissed_early": 8, "documents_withheld": 8, "sick": 7, "lost_contact": 7,
    "employer_violence": 5, "excessive_fees": 5, "undocumented": 4, "deported": 3,
    "job_fraud": 3, "other": 3,
}  # fmt: skip
PROGRAMME_KINDS = {
    "candidate": ("vocational_training", "orientation"),
    "returned": ("empowerment_business", "empowerment_finance", "empowerment_cooperative"),
}
SESSION_TOPICS = ("rights", "jobs", "procedure", "costs", "trafficking", "complaints", "p3mi")
