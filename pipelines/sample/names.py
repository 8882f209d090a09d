"""Fictional names: organisation stems and words, legal suffixes, unresolvable names, people's names,
the real-brand denylist they are checked against, and the contract's organisation normalisation."""

from __future__ import annotations

import re
import unicodedata

# Stems are assembled from neutral syllables and checked against real brand names (is_branded).
STEM_FIRST = (
    "Nor",
    "Qar",
    "Tar",
    "Mer",
    "Kes",
    "Val",
    "Hal",
    "Lor",
    "Ost",
    "Bren",
    "Cal",
    "Dar",
    "Fen",
    "Gal",
    "Jor",
    "Kel",
    "Lun",
    "Mor",
    "Nev",
    "Orv",
    "Pel",
    "Quen",
    "Ros",
    "Sel",
    "Tor",
    "Ulv",
    "Ves",
    "Wyn",
    "Yar",
    "Zel",
    "Ard",
    "Bel",
    "Cor",
    "Dro",
    "Eld",
    "Fal",
    "Gor",
    "Hev",
    "Isk",
    "Jal",
    "Kor",
    "Lav",
    "Mav",
    "Nal",
    "Oss",
    "Pra",
    "Rav",
    "Sav",
    "Tev",
    "Vor",
    "Wen",
    "Yor",
    "Zan",
    "Bar",
    "Cen",
    "Dal",
    "Fir",
    "Hol",
)

STEM_MID = ("vi", "lo", "ra", "ne", "ta", "ri", "mo", "da", "ve", "li", "sa", "no", "ka", "be", "te", "du")

STEM_END = (
    "kel",
    "len",
    "vic",
    "ane",
    "ent",
    "dal",
    "mar",
    "tris",
    "nex",
    "ora",
    "ium",
    "vel",
    "dor",
    "ix",
    "eth",
    "ano",
    "ova",
    "ek",
    "is",
    "ara",
    "en",
    "os",
    "quin",
    "wyn",
)

PLACE_END = (
    "holm",
    "vane",
    "stad",
    "mere",
    "wick",
    "ford",
    "dale",
    "ora",
    "ania",
    "ovo",
    "esk",
    "ven",
    "mont",
)

SM_WORDS = (
    "Networks",
    "Systems",
    "Telecom",
    "Communications",
    "Photonics",
    "Technologies",
    "Microsystems",
    "Labs",
    "Broadband",
    "Digital",
    "Optics",
    "Semiconductors",
    "Wireless",
    "Infrastructure",
    "Software",
    "Cable",
    "Mobile",
    "Data",
    "Connect",
    "Electronics",
    "Media",
)

AS_WORDS = (
    "Solutions",
    "Analytics",
    "Devices",
    "Instruments",
    "Engineering",
    "Research",
    "Sensing",
    "Platforms",
)

ACADEMIA_PATTERNS = (
    "University of {p}",
    "{p} Institute of Technology",
    "{p} Technical University",
    "Institute of {p} Applied Telecom",
    "{p} Polytechnic University",
    "{p} University of Science and Technology",
    "{p} Research Centre for Communications",
)

SUBSIDIARY = (
    ("Europe", "DEU"),
    ("Asia Pacific", "SGP"),
    ("Americas", "USA"),
    ("India", "IND"),
    ("Deutschland", "DEU"),
    ("France", "FRA"),
    ("Japan", "JPN"),
    ("Korea", "KOR"),
    ("UK", "GBR"),
    ("Middle East", "ARE"),
    ("Africa", "ZAF"),
    ("Brasil", "BRA"),
    ("Nordic", "SWE"),
)

LEGAL_VARIANTS = {
    "CHN": (" Co., Ltd.", " Corporation", " Corp."),
    "KOR": (" Co., Ltd.", " Corp."),
    "JPN": (" Corporation", " Co., Ltd."),
    "DEU": (" GmbH", " AG"),
    "AUT": (" GmbH",),
    "CHE": (" AG", " SA"),
    "FRA": (" SA", " S.A."),
    "ESP": (" S.A.",),
    "BEL": (" SA",),
    "GBR": (" plc", " Limited", " Ltd"),
    "USA": (", Inc.", " LLC", " Corp.", " Inc"),
    "CAN": (" Inc.", " Ltd."),
}

DEFAULT_LEGAL = (" Ltd.", " Limited", ", Inc.")

# Organisation names that resolve to no member (the unresolved-organisations list). Fixed at every scale.
UNRESOLVED = (
    ("Department of Radio Engineering, {academia}", "NOR", ("SG5", "SG15", "SG12")),
    ("Brightquay Consulting", "GBR", ("SG3", "SG2", "TSAG")),
    ("Halden Moss Advisory", "USA", ("SG13", "SG17")),
    ("Independent expert", "CHE", ("SG20", "SG5", "SG16")),
    ("Velmora Telecom Research Foundation", "ITA", ("SG13", "SG20")),
    ("Norrholm Regional Regulatory Office", "SWE", ("SG3", "SG5")),
    ("Carvel & Stone Patent Attorneys", "DEU", ("SG16", "SG9", "SG21", "SG12")),
)

TSB_NAME = "ITU/TSB"

# Substrings (>= 4 letters) and whole words (shorter) that generated names must never contain.
BRAND_SUBSTRINGS = (
    "huawei",
    "ericsson",
    "nokia",
    "cisco",
    "samsung",
    "orange",
    "telekom",
    "qualcomm",
    "intel",
    "nortel",
    "ciena",
    "infinera",
    "juniper",
    "arista",
    "ribbon",
    "calix",
    "adtran",
    "zyxel",
    "sagem",
    "mavenir",
    "viavi",
    "keysight",
    "anritsu",
    "fujitsu",
    "hitachi",
    "sony",
    "panasonic",
    "sharp",
    "apple",
    "google",
    "microsoft",
    "amazon",
    "oracle",
    "verizon",
    "comcast",
    "vodafone",
    "telefonica",
    "telia",
    "telenor",
    "swisscom",
    "kddi",
    "softbank",
    "rakuten",
    "telstra",
    "singtel",
    "reliance",
    "airtel",
    "bharti",
    "safaricom",
    "etisalat",
    "ooredoo",
    "turkcell",
    "rostelecom",
    "megafon",
    "beeline",
    "datang",
    "fiberhome",
    "hikvision",
    "dahua",
    "xiaomi",
    "oppo",
    "vivo",
    "lenovo",
    "tencent",
    "alibaba",
    "baidu",
    "broadcom",
    "mediatek",
    "marvell",
    "nvidia",
    "corning",
    "prysmian",
    "sumitomo",
    "furukawa",
    "fujikura",
    "yangtze",
    "hengtong",
    "proximus",
    "elisa",
    "telus",
    "rogers",
    "lumen",
    "siemens",
    "philips",
    "bosch",
    "thales",
    "alcatel",
    "lucent",
    "motorola",
    "avaya",
    "polycom",
    "dolby",
    "netflix",
    "tesla",
    "zain",
    "ntt",
    "zte",
    "china mobile",
    "deutsche telekom",
    "vertex",
    "nexans",
    "corvus",
    "altice",
    "iliad",
    "sprint",
    "merkel",
    "ardent",
    "corvel",
    "eldora",
    "lunova",
    "zanova",
    "calix",
    "kelvin",
    "solaris",
    "nova ",
)

BRAND_WORDS = frozenset(
    {
        "kt",
        "sk",
        "lg",
        "bt",
        "mts",
        "stc",
        "tim",
        "amd",
        "arm",
        "kpn",
        "att",
        "sap",
        "hp",
        "dell",
        "ibm",
        "nec",
        "meta",
        "zoom",
        "mtn",
        "cnn",
        "bbc",
        "nbc",
        "abc",
        "cbs",
        "hbo",
        "mrv",
        "bce",
        "tcl",
        "htc",
        "lge",
        "skt",
        "gte",
        "itt",
        "rca",
        "emc",
        "adi",
        "nxp",
        "jvc",
        "aol",
        "dhl",
        "ups",
        "bmw",
        "ge",
        "ti",
        "utc",
        "tdk",
        "ntl",
        "rim",
        "csl",
        "ctc",
        "sfr",
        "ee",
        "mci",
        "aes",
        "bae",
        "cgi",
        "dxc",
        "eds",
        "csc",
        "sas",
        "idt",
        "rsa",
        "nsn",
        "tdc",
        "otc",
        "rtl",
        "cmc",
        "cnc",
        "ptt",
        "tta",
        "tsb",
        "itu",
        "ietf",
        "ieee",
        "etsi",
        "gsma",
        "bbf",
        "mef",
        "nsa",
        "fbi",
        "cia",
        "nasa",
        "kgb",
        "ntv",
        "vnpt",
        "pldt",
        "dtag",
    }
)

FEMALE = (
    "Amina Anja Aiko Beatriz Chiara Daniela Elena Fatima Grace Hana Ines Jia Katarzyna Leila Lucia Mai "
    "Maria Mei Nadia Nkechi Olga Priya Qing Rania Sakura Sara Sofia Svetlana Tamar Ulla Valentina Wanjiru "
    "Xin Yasmin Yuna Zanele Zoë Ayesha Bianca Camila Dilnoza Eun-ji Farida Gabriela Hyun-joo Ingrid "
    "Johanna Karin Lina Marta Nour Paula Rosa Salma Tatiana Ursula Vera Wen Ximena Yelena Zainab Adaeze "
    "Asel Chloé Dana Emma Freya Helga Irina Jasmine Kavya Lerato Mariam Noor Oksana Pooja Rukhsana Seo- "
    "yeon Thandiwe Yuki Ana Hye-jin Shirin Aigerim Mónica Hélène Min Fang Xiaoling Akosua Ebere"
).split()

MALE = (
    "Ahmed Alexei Ali Andrés Bilal Carlos Chen Daniel Dmitri Emeka Erik Farid Felipe Gustavo Hamid "
    "Hiroshi Ibrahim Ivan Jae-won Jamal Javier Jin Jonas Kenji Kofi Kwame Lars Lukas Luis Marco Mateus "
    "Min-ho Mohamed Nikolai Omar Pavel Pedro Rahul Rajesh Samir Sanjay Sergei Stefan Takeshi Tariq Thomas "
    "Tomás Vikram Wei Yaw Youssef Yusuf Zhiwei Zoltan Abdou Arjun Bruno Cheng Diego Elias Fabio Gaurav "
    "Hassan Ilya Jorge Kaito Karim Liang Mamadou Nasser Oleg Paolo Rashid Seung-hoon Tiago Umar Viktor "
    "Xavier Yong Zoran Anders Björn Cédric Dong-hyun Emre Florian Goran Hyun-woo Jun Kamal Leonardo Marek "
    "Nuno Oscar Pieter Rafael Sibusiso Taro"
).split()

LAST = (
    "Abara Adeyemi Aguilar Ahn Akhtar Alvarez Amadi Andersen Antonov Araújo Asante Bakr Banerjee Bauer "
    "Becker Bello Benali Bergström Bianchi Bondarenko Botha Brandt Cardoso Castillo Chang Chatterjee "
    "Chaudhry Chen Cho Costa Dahl Dang Das Diallo Dimitrov Dlamini Dubois Duarte Eriksen Farah Fernández "
    "Fischer Fontaine Fujita Gallo Gao García Ghosh Gómez Greco Gupta Haddad Hakimi Hansen Hashemi "
    "Hayashi Hoang Horvat Huang Hussain Ibrahimov Ikeda Inoue Ivanova Jansen Jensen Jiang Johansson Kamau "
    "Kang Kapoor Karimi Kato Kaya Khalil Khan Kim Kimura Kobayashi Koch Kovac Kowalski Kumar Kuznetsov "
    "Laine Larsen Lebedev Lee Lefebvre Li Lim Lin Lindqvist Liu Lopes López Lund Ma Mahlangu Maier "
    "Mansour Marino Martins Matsumoto Mbeki Mendes Meyer Mishra Moreau Moreno Mori Moyo Müller Murata "
    "Mwangi Nakamura Nasser Nguyen Nielsen Njoroge Nkosi Novak Nowak Nunes Obi Odhiambo Ogunleye Okafor "
    "Okonkwo Oliveira Olsen Omondi Osei Otieno Ozturk Park Patel Pereira Petrov Pham Popescu Qureshi "
    "Rahman Ramos Rao Reddy Reyes Ribeiro Rodrigues Romano Rossi Saito Salazar Santos Sato Schmidt "
    "Schneider Seo Shah Sharma Shin Silva Singh Sokolov Song Suzuki Svensson Takahashi Tanaka Tran Traoré "
    "Tshabalala Usman Vargas Vasquez Virtanen Volkov Wagner Wang Weber Wu Xu Yamada Yamamoto Yang Yilmaz "
    "Yoon Zhang Zhao Zhou Zimmermann Abe Achieng Barros Ceylan Demir Esposito Farouk Grigoryan Halvorsen "
    "Iyer Jovanović Kariuki Lungu Mensah Nordin Ouédraogo Pak Quispe Rasmussen Sandoval Tembo Uddin Vu "
    "Wójcik Yeo Zulu"
).split()


def normalise_org(name: str) -> str:
    """The contract's organisation normalisation (to check uniqueness and for the README figures)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[.'’`´]", "", text)
    text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    tokens = text.split()
    suffixes = {"inc", "ltd", "co", "corp", "corporation", "gmbh", "ag", "sa", "plc", "llc", "limited"}
    while len(tokens) > 1 and tokens[-1] in suffixes:
        tokens.pop()
    return " ".join(tokens)


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def is_branded(name: str) -> bool:
    low = name.casefold()
    if any(b in low for b in BRAND_SUBSTRINGS):
        return True
    return any(w in BRAND_WORDS for w in re.findall(r"[a-z0-9]+", low))
